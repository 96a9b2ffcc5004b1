import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { ncrWorkflowId } from '../../domain/ids';
import { NCR_WORKFLOW_TYPE, type NcrWorkflowStart } from '../../workflows/messages/ncr';

export type { NcrWorkflowStart };
import { MaterialAttr, SiteAttr } from '../../workflows/search-attributes';
import { TaskQueue } from '../../workflows/task-queues';

export interface OpenNonconformanceResult {
  ncrId: string;
  workflowId: string;
  /** running: started now or already running (a retried start); closed: the NCR ran before and is closed. */
  outcome: 'running' | 'closed';
}

/**
 * Opens a nonconformance by starting its workflow `ncr:<ncrId>`. The id is deterministic, so a retried
 * activity joins the run the first attempt started (USE_EXISTING) and a closed NCR is never reopened.
 */
export async function openNonconformance(client: Client, start: NcrWorkflowStart): Promise<OpenNonconformanceResult> {
  const workflowId = ncrWorkflowId(start.ncrId);
  try {
    await client.workflow.start(NCR_WORKFLOW_TYPE, {
      workflowId,
      taskQueue: TaskQueue.workflows,
      args: [start],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [
        { key: MaterialAttr, value: start.material },
        { key: SiteAttr, value: start.site },
      ],
      staticSummary: `Nonconformance ${start.ncrId} on ${start.material} (${start.source}, ${start.severity})`,
    });
    return { ncrId: start.ncrId, workflowId, outcome: 'running' };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { ncrId: start.ncrId, workflowId, outcome: 'closed' };
    throw err;
  }
}
