import type { WorkflowExecutionDescription, WorkflowHandle } from '@temporalio/client';

/** How a run ended without reaching its own end: the process's last status would be stale. */
export type RunEnd = 'failed' | 'terminated' | 'timed_out' | 'cancelled';

export interface AbnormalEnd {
  end: RunEnd;
  runId: string;
  closedAt?: string;
  /** Temporal's failure of the run (the error, the termination reason). */
  failure: string;
}

const ENDS: Record<string, RunEnd | undefined> = {
  FAILED: 'failed',
  TERMINATED: 'terminated',
  TIMED_OUT: 'timed_out',
  CANCELLED: 'cancelled',
};

/** The run's end as Temporal recorded it when the run did not finish by itself; undefined otherwise. */
export async function abnormalEnd(
  handle: WorkflowHandle,
  described?: WorkflowExecutionDescription,
): Promise<AbnormalEnd | undefined> {
  described ??= await handle.describe();
  const end = ENDS[described.status.name];
  if (!end) return undefined;
  let failure = described.status.name.toLowerCase();
  try {
    await handle.result();
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause;
    failure = cause?.message || (err as Error).message || failure;
  }
  return { end, runId: described.runId, closedAt: described.closeTime?.toISOString(), failure };
}

/** A process's status view as reported to readers: its real end when Temporal ended the run. */
export type StatusReport<V extends { status: string }> = Omit<V, 'status'> & {
  status: V['status'] | RunEnd;
  /** The run still runs (false: closed, its view is the last it had). */
  running: boolean;
  runEnd?: AbnormalEnd;
};

/**
 * A status view with the run's real end over the status the process last set, when Temporal ended it
 * (a failure, a termination, a timeout, a cancellation): it needs no one's attention inside the run any more.
 */
export async function withRealEnd<V extends { status: string; needsAttention: boolean }>(
  handle: WorkflowHandle,
  view: () => Promise<V>,
): Promise<StatusReport<V>> {
  const described = await handle.describe();
  const ended = await abnormalEnd(handle, described);
  const seen = { ...(await view()), running: described.status.name === 'RUNNING' };
  return ended ? { ...seen, status: ended.end, needsAttention: false, runEnd: ended } : seen;
}
