import { ApplicationFailure } from '@temporalio/common';
import { getExternalWorkflowHandle, type SignalDefinition } from '@temporalio/workflow';

/**
 * The server could not find the run: it never started or has closed. The SDK reports it as an
 * ApplicationFailure whose type is the failed cause (…EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND) and whose
 * message says "it was not found".
 */
export function isRunNotFound(err: unknown): boolean {
  return (
    err instanceof ApplicationFailure &&
    (/NOT_FOUND|NotFound/.test(err.type ?? '') || /because it was not found/.test(err.message))
  );
}

/**
 * Tells another plantflow run something (a hold, a status): 'delivered', or 'not_running' when that run
 * has closed or never started — the one answer a caller acts on. Anything else is a bug and surfaces.
 */
export async function signalRun<Args extends unknown[]>(
  workflowId: string,
  signal: SignalDefinition<Args>,
  ...args: Args
): Promise<'delivered' | 'not_running'> {
  try {
    await getExternalWorkflowHandle(workflowId).signal(signal, ...args);
    return 'delivered';
  } catch (err) {
    if (isRunNotFound(err)) return 'not_running';
    throw err;
  }
}
