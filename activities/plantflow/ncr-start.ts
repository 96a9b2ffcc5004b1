import type { Client } from '@temporalio/client';
import { NcrClient } from '../../client/ncrs';
import type { NcrPolicyOverrides } from '../../domain/ncr';
import type { NcrWorkflowStart } from '../../workflows/messages/ncr';

export type { NcrWorkflowStart };

export interface OpenNonconformanceResult {
  ncrId: string;
  workflowId: string;
  /** running: started now or already running (a retried start); closed: the NCR ran before and is closed. */
  outcome: 'running' | 'closed';
}

/**
 * Opens a nonconformance from a lot's failed inspection. The id is deterministic, so a retried activity
 * joins the run the first attempt started and a closed NCR is never reopened (NcrClient.openStart).
 */
export async function openNonconformance(
  client: Client,
  start: NcrWorkflowStart,
  policy?: NcrPolicyOverrides,
): Promise<OpenNonconformanceResult> {
  const opened = await new NcrClient(client, { policy }).openStart(start, { existing: 'use' });
  // With `use`, a running NCR is joined without error: only a closed one is reported as existing.
  return { ncrId: start.ncrId, workflowId: opened.workflowId, outcome: opened.alreadyExisted ? 'closed' : 'running' };
}
