// Material lot: registration, genealogy, inspections and signed batch release (docs/architecture.md §2.2).
import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { DEFAULT_RELEASE_WITHIN } from '../domain/lot';
import { parentKeys } from '../domain/lot-genealogy';
import type { LotWorkflowStart } from './messages/lot';
import { executeDecision } from './lot/execute';
import { registerLotHandlers } from './lot/handlers';
import { InspectionRecorder } from './lot/inspections';
import { quarantine, register } from './lot/register';
import { LotRun } from './lot/run';
import { watchReleaseDeadline } from './lot/sla';
import type { LotOutcome } from './lot/state';
import { LotIdAttr, MaterialAttr, ParentLotsAttr, SiteAttr } from './search-attributes';

export type { LotOutcome, LotStatusView } from './lot/state';

const DEFAULT_MAX_HISTORY_EVENTS = 10_000;

function deadlineFrom(releaseWithin: string | undefined): string {
  let ms: number;
  try {
    ms = msToNumber((releaseWithin ?? DEFAULT_RELEASE_WITHIN) as Duration);
  } catch {
    ms = msToNumber(DEFAULT_RELEASE_WITHIN);
  }
  return new Date(Date.now() + ms).toISOString();
}

/** Workflow type 'materialLot' (LOT_WORKFLOW_TYPE), id lot:<material>:<lotId>. */
export async function materialLot(input: LotWorkflowStart): Promise<LotOutcome> {
  const run = new LotRun(input, deadlineFrom(input.releaseWithin));
  registerLotHandlers(run);
  const recorder = new InspectionRecorder(run);
  upsertSearchAttributes([
    { key: LotIdAttr, value: input.lotId },
    { key: MaterialAttr, value: input.material },
    { key: SiteAttr, value: input.site },
    ...(input.received && !input.carry ? [{ key: ParentLotsAttr, value: parentKeys(run.genealogy) }] : []),
  ]);
  if (!input.carry) {
    run.setStatus('registering');
    run.note(
      input.received ? 'LotReceived' : 'LotCreated',
      input.received
        ? `received by ${input.received.receivedBy}${input.received.reference ? ` (${input.received.reference})` : ''}`
        : 'produced lot registered by its order',
    );
  }
  // Background work: recording inspection results, and the release deadline.
  const background = (p: Promise<void>) => p.catch((err: unknown) => void (run.backgroundFailure ??= err));
  void background(recorder.loop());
  void background(watchReleaseDeadline(run));

  const maxEvents = input.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS;
  const shouldContinueAsNew = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= maxEvents;
  const quarantineDue = () =>
    run.registration.stockReceived && run.registration.quarantine === 'pending' && !run.decidedFinal;
  const nextDecision = () => run.dispositions.find((d) => d.recordId === run.toExecute[0]);

  if (!run.registered && !(await register(run))) return finish(run);
  while (!run.final) {
    await condition(
      () =>
        run.final ||
        run.backgroundFailure !== undefined ||
        nextDecision() !== undefined ||
        quarantineDue() ||
        (shouldContinueAsNew() && recorder.idle),
    );
    if (run.backgroundFailure !== undefined) throw run.backgroundFailure;
    if (run.final) break;
    const decision = nextDecision();
    if (decision) {
      await executeDecision(run, decision);
      continue;
    }
    if (quarantineDue()) {
      await quarantine(run);
      continue;
    }
    recorder.drain();
    run.stopping = true;
    await condition(() => recorder.idle && allHandlersFinished());
    await continueAsNew<typeof materialLot>({ ...input, carry: run.carry() });
  }
  return finish(run);
}

async function finish(run: LotRun): Promise<LotOutcome> {
  run.stopping = true;
  await condition(allHandlersFinished);
  const { material, lotId } = run.input;
  return { workflowId: run.workflowId, material, lotId, status: run.status, reason: run.failure };
}
