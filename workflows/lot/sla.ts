import { condition } from '@temporalio/workflow';
import { withSummary } from '../shared/activities';
import { summariseFailure } from '../shared/failures';
import type { LotRun } from './run';

/**
 * docs/architecture.md §2.2: a lot not finally dispositioned by its deadline escalates once — `Overdue=true` for
 * operators' saved views, and a notification to people. The deadline is absolute, so it survives
 * continue-as-new; the timer is cancelled as soon as a decision is signed.
 */
export async function watchReleaseDeadline(run: LotRun): Promise<void> {
  if (run.state.sla.escalatedAt || run.decidedFinal) return;
  const remaining = Date.parse(run.state.sla.deadlineAt) - Date.now();
  if (remaining > 0) {
    const settled = await condition(() => run.decidedFinal || run.stopping, remaining);
    if (settled) return;
  }
  run.state.sla.escalatedAt = new Date().toISOString();
  run.setOverdue(true);
  const { material, lotId } = run.input;
  const waiting = [
    run.state.holds.length > 0 ? `holds ${run.state.holds.map((h) => h.holdId).join(', ')}` : undefined,
    run.openNcrs.length > 0 ? `open NCRs ${run.openNcrs.join(', ')}` : undefined,
    run.registered ? undefined : 'registration',
  ].filter(Boolean);
  const subject = `Lot ${lotId} of ${material} is overdue for release`;
  const on = waiting.length ? `; waiting on ${waiting.join('; ')}` : '';
  const message = `The release deadline ${run.state.sla.deadlineAt} passed without a final disposition (status ${run.state.status}${on}).`;
  run.note('LotOverdue', message);
  try {
    await withSummary(run.acts.plantflow.plantflowNotify, subject, {
      kind: 'escalation',
      subject,
      message,
      workflowId: run.workflowId,
    });
  } catch (err) {
    // The flag is set and visible; a notification that cannot be delivered must not stop the lot.
    run.note('EscalationUndelivered', `escalation not delivered: ${summariseFailure(err).message}`);
  }
}
