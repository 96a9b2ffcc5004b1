import { ParentClosePolicy, patched, startChild, WorkflowIdReusePolicy } from '@temporalio/workflow';
import type { BusinessException, ExceptionDecision } from '../../domain/exceptions';
import { repairOf } from '../../domain/reconciliation';
import { DRIFT_REPAIR_WORKFLOW_TYPE, driftRepairWorkflowId, type DriftRepairInput } from '../messages/reconciliation';
import { SiteAttr } from '../search-attributes';

/**
 * An operator's `reapply` of a drift starts its repair: a run of its own, id drift-repair:<site>:<exception>,
 * so the decision returns at once, the repair retries on its own, and a second start of it is refused by id.
 */
export async function startDriftRepair(
  site: string,
  exception: BusinessException,
  decision: ExceptionDecision,
): Promise<void> {
  // Added after exception records were already running: a replayed reapply of before started no repair.
  if (!patched('drift-reapply-repair')) return;
  const repair = repairOf(exception.expected);
  if (exception.kind !== 'Drift' || !repair) return;
  const args: [DriftRepairInput] = [
    { site, exceptionId: exception.exceptionId, repair, reason: `${decision.by}: ${decision.reason}` },
  ];
  try {
    await startChild(DRIFT_REPAIR_WORKFLOW_TYPE, {
      workflowId: driftRepairWorkflowId(site, exception.exceptionId),
      args,
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      typedSearchAttributes: [{ key: SiteAttr, value: site }],
      staticSummary: `Re-apply ${exception.summary}`.slice(0, 200),
    });
  } catch (err) {
    // Already repaired or repairing (an automatic re-application took it first): nothing to do twice.
    if ((err as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw err;
  }
}
