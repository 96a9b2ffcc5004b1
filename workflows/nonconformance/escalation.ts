import { condition } from '@temporalio/workflow';
import { capaDecision } from '../../domain/ncr';
import { qty } from '../../domain/quantity';
import { summariseFailure } from '../shared/failures';
import { withSummary } from '../shared/activities';
import type { NcrRun } from './run';
import type { SlaName } from './state';
import { durationMs } from '../shared/durations';
import { keyOf, step } from './steps';

const SLA_TEXT: Record<SlaName, string> = {
  containment: 'containment is not finished',
  disposition: 'the nonconforming quantity is not fully dispositioned',
  closure: 'the NCR is not closed',
};

function met(run: NcrRun, sla: SlaName): boolean {
  if (sla === 'containment') return run.state.containmentRuns > 0;
  if (sla === 'disposition') return run.fullyDispositioned;
  return run.terminal;
}

/**
 * SLA timers (docs/architecture.md §2.3): one watcher per deadline. A missed deadline sets `Overdue`, notifies
 * (plantflowNotify) and reminds at `remindEvery` until met. Watchers stop at `stop()` (continue-as-new)
 * and start again in the next run from the carried deadlines and escalations.
 */
export function watchDeadlines(run: NcrRun, stop: () => boolean): Promise<void> {
  return Promise.all((['containment', 'disposition', 'closure'] as SlaName[]).map((sla) => watch(run, sla, stop))).then(
    () => undefined,
  );
}

async function watch(run: NcrRun, sla: SlaName, stop: () => boolean): Promise<void> {
  const done = () => met(run, sla) || run.terminal || stop();
  let escalation = run.state.escalations.find((e) => e.sla === sla && !e.resolvedAt);
  if (!escalation) {
    if (run.state.escalations.some((e) => e.sla === sla)) return; // escalated and resolved before: once is enough
    const remaining = Date.parse(run.state.deadlines[sla]) - Date.now();
    if (remaining > 0 && (await condition(done, remaining))) return;
    if (done()) return;
    const now = new Date().toISOString();
    escalation = { sla, dueAt: run.state.deadlines[sla], escalatedAt: now, reminders: 0, lastNotifiedAt: now };
    run.state.escalations.push(escalation);
    run.publish(`overdue: ${SLA_TEXT[sla]}`);
    run.note('Escalated', `${sla} SLA missed (due ${run.state.deadlines[sla]}): ${SLA_TEXT[sla]}`);
    await notify(
      run,
      `NCR ${run.ncrId} overdue: ${SLA_TEXT[sla]}`,
      `Due ${run.state.deadlines[sla]}. ${run.view().dispositions.remaining.value} ${run.unit} not dispositioned; status ${run.state.status}.`,
    );
  }
  const every = durationMs(run.policy.remindEvery);
  for (;;) {
    const wait = Math.max(Date.parse(escalation.lastNotifiedAt) + every - Date.now(), 1);
    if (await condition(done, wait)) break;
    escalation.reminders += 1;
    escalation.lastNotifiedAt = new Date().toISOString();
    await notify(
      run,
      `NCR ${run.ncrId} still overdue (reminder ${escalation.reminders}): ${SLA_TEXT[sla]}`,
      `Due ${escalation.dueAt}; status ${run.state.status}.`,
    );
  }
  if (stop() && !met(run, sla) && !run.terminal) return;
  escalation.resolvedAt = new Date().toISOString();
  run.note('EscalationResolved', `${sla} SLA met after escalation`);
  run.publish();
}

async function notify(run: NcrRun, subject: string, message: string): Promise<void> {
  try {
    await withSummary(run.acts.plantflow.plantflowNotify, subject, {
      kind: 'escalation',
      subject,
      message,
      workflowId: run.workflowId,
    });
  } catch (err) {
    // A lost notification must not stop the NCR; the Overdue attribute still flags it in the UI.
    run.note('NotificationFailed', `${subject}: ${summariseFailure(err).message}`);
  }
}

/**
 * CAPA (docs/architecture.md §2.3): opened in the QMS when the severity demands it, or when the material had
 * `recurrenceCount` NCRs within `recurrenceWindow` (counted over NCR workflows by visibility). The
 * recurrence CAPA is named after the oldest NCR of the window, so later NCRs join it instead of
 * opening another.
 */
export async function evaluateCapa(run: NcrRun): Promise<void> {
  if (run.state.capaEvaluated) return;
  const i = run.input;
  const policy = run.policy;
  let recurrence: { ncrIds: string[] } | undefined;
  if (!policy.capa.severities.includes(i.severity)) {
    const since = new Date(Date.now() - durationMs(policy.capa.recurrenceWindow)).toISOString();
    const summary = `Count nonconformances of ${i.material} since ${since.slice(0, 10)}`;
    const counted = await step(run, 'capa/count', summary, () =>
      withSummary(run.acts.plantflow.plantflowCountNonconformances, summary, { material: i.material, since }),
    );
    recurrence = counted ? { ncrIds: counted.ncrIds } : undefined;
    if (counted)
      run.note(
        'Recurrence',
        `${counted.count} NCR(s) of ${i.material} within ${policy.capa.recurrenceWindow} (CAPA at ${policy.capa.recurrenceCount})`,
      );
  }
  const decision = capaDecision(run.ncrId, i.severity, policy, recurrence);
  if (decision) {
    const title =
      decision.trigger === 'severity'
        ? `${i.severity} nonconformance ${run.ncrId} on ${i.material}`
        : `Recurring nonconformances on ${i.material} (${decision.ncrIds.length} within ${policy.capa.recurrenceWindow})`;
    const summary = `Open CAPA ${decision.capaId} in the QMS (${decision.trigger})`;
    const opened = await step(run, 'capa/open', summary, () =>
      withSummary(run.acts.qms.qmsOpenCapa, summary, {
        idempotencyKey: keyOf(run, `capa/${decision.capaId}`),
        capaId: decision.capaId,
        title: title.slice(0, 200),
        material: i.material,
        ncrIds: decision.ncrIds,
        trigger: decision.trigger,
        owner: policy.capa.owner,
        description: `${i.description} (${qty.format(i.quantity)}; raised by ${i.raisedBy})`.slice(0, 4000),
        dueAt: new Date(Date.now() + durationMs(policy.capa.dueWithin)).toISOString(),
      }),
    );
    if (opened) {
      run.state.capa = {
        capaId: decision.capaId,
        trigger: decision.trigger,
        outcome: opened.outcome,
        ncrIds: opened.capa.ncrIds,
        at: new Date().toISOString(),
      };
      run.note('Capa', `CAPA ${decision.capaId} ${opened.outcome} (${decision.trigger})`);
    }
  }
  run.state.capaEvaluated = true;
}
