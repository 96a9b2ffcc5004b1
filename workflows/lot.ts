// Material lot: registration, genealogy, inspections and signed batch release (docs/architecture.md §2.2).
import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import { allHandlersFinished, condition, continueAsNew, upsertSearchAttributes } from '@temporalio/workflow';
import { DEFAULT_RELEASE_WITHIN } from '../domain/lot';
import { parentKeys } from '../domain/lot-genealogy';
import type { LotWorkflowInput } from './messages/lot';
import { executeDecision } from './lot/execute';
import { registerLotHandlers } from './lot/handlers';
import { InspectionRecorder } from './lot/inspections';
import { quarantine, register } from './lot/register';
import { LotRun } from './lot/run';
import { watchReleaseDeadline } from './lot/sla';
import type { LotOutcome } from './lot/state';
import { LotIdAttr, MaterialAttr, ParentLotsAttr, SiteAttr } from './search-attributes';
import { historyFull, serve } from './shared/procedure';

export type { LotOutcome, LotStatusView } from './lot/state';

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
export async function materialLot(input: LotWorkflowInput): Promise<LotOutcome> {
  const run = new LotRun(input, deadlineFrom(input.releaseWithin));
  registerLotHandlers(run);
  const recorder = new InspectionRecorder(run);
  upsertSearchAttributes([
    { key: LotIdAttr, value: input.lotId },
    { key: MaterialAttr, value: input.material },
    { key: SiteAttr, value: input.site },
    ...(input.received && !input.carry ? [{ key: ParentLotsAttr, value: parentKeys(run.state.genealogy) }] : []),
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
  const background = (p: Promise<void>) => p.catch((error: unknown) => void (run.backgroundFailure ??= { error }));
  void background(recorder.loop());
  void background(watchReleaseDeadline(run));

  if (!run.registered && !(await register(run))) return finish(run);
  const nextDecision = () => run.state.dispositions.find((d) => d.recordId === run.state.toExecute[0]);
  const end = await serve({
    duties: [
      {
        name: 'execute the signed decision',
        due: () => !run.final && nextDecision() !== undefined,
        perform: () => executeDecision(run, nextDecision()!),
      },
      {
        name: 'quarantine the stock once Odoo holds it',
        due: () =>
          run.state.registration.stockReceived && run.state.registration.quarantine === 'pending' && !run.decidedFinal,
        perform: () => quarantine(run),
      },
    ],
    finished: () => run.final,
    continueAsNewDue: () => historyFull(input.maxHistoryEvents) && recorder.idle,
    failed: () => run.backgroundFailure,
  });
  if (end === 'continue-as-new') {
    recorder.drain();
    run.stopping = true;
    await condition(() => recorder.idle && allHandlersFinished());
    return continueAsNew<typeof materialLot>({ ...input, carry: run.state });
  }
  return finish(run);
}

async function finish(run: LotRun): Promise<LotOutcome> {
  run.stopping = true;
  await condition(allHandlersFinished);
  const { material, lotId } = run.input;
  return { workflowId: run.workflowId, material, lotId, status: run.state.status, reason: run.state.failure };
}
