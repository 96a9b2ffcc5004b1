import { isGrpcServiceError, type Client, type WorkflowExecutionInfo } from '@temporalio/client';

/**
 * The one way plantflow asks Temporal's visibility store for runs: every client, route and activity builds
 * its query here, so a viewer's filter value (a lot id, a material) is always a string literal and never
 * query syntax, and no listing can tie up the store for longer than VISIBILITY_TIMEOUT_MS.
 */

/** How long one listing may take before the caller is told to come back (503, Retry-After). */
export const VISIBILITY_TIMEOUT_MS = 5_000;
export const VISIBILITY_RETRY_AFTER_SECONDS = 5;

/** A string literal in a visibility query: backslashes and both quote characters escaped (for what the builder does not express: OR groups, counts). */
export function quoted(value: string): string {
  return `'${value.replace(/[\\'"]/g, (c) => `\\${c}`)}'`;
}

export type VisibilityValue = string | boolean;
/** One condition; `undefined` leaves it out, so optional filters read as a list. */
export type VisibilityCondition = [field: string, op: '=' | '>=', value: VisibilityValue] | undefined;

function literal(value: VisibilityValue): string {
  return typeof value === 'boolean' ? String(value) : quoted(value);
}

/** `A = 'x' AND B >= 'y'`: the conditions given, in order, values quoted. */
export function visibilityQuery(conditions: VisibilityCondition[]): string {
  return conditions
    .filter((c): c is NonNullable<VisibilityCondition> => c !== undefined)
    .map(([field, op, value]) => `${field} ${op} ${literal(value)}`)
    .join(' AND ');
}

/** The visibility store did not answer in time: nothing was read, the caller may try again. */
export class VisibilityUnavailableError extends Error {
  readonly retryAfterSeconds = VISIBILITY_RETRY_AFTER_SECONDS;

  constructor(cause: unknown) {
    super(`the run listing did not answer within ${VISIBILITY_TIMEOUT_MS / 1000} s; try again shortly`, { cause });
    this.name = 'VisibilityUnavailableError';
  }
}

// gRPC DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, UNAVAILABLE.
const TRANSIENT = new Set([4, 8, 14]);

/**
 * Runs matching `conditions`, newest first, handed to `take` until it answers `'stop'`; bounded by
 * VISIBILITY_TIMEOUT_MS in total, past which it throws VisibilityUnavailableError.
 */
export async function listRuns(
  client: Client,
  conditions: VisibilityCondition[],
  take: (info: WorkflowExecutionInfo) => 'stop' | void,
  timeoutMs = VISIBILITY_TIMEOUT_MS,
): Promise<void> {
  const query = visibilityQuery(conditions);
  try {
    await client.withDeadline(Date.now() + timeoutMs, async () => {
      for await (const info of client.workflow.list({ query })) if (take(info) === 'stop') return;
    });
  } catch (err) {
    const grpc = isGrpcServiceError(err) ? err : (err as { cause?: unknown }).cause;
    if (isGrpcServiceError(grpc) && TRANSIENT.has(grpc.code)) throw new VisibilityUnavailableError(err);
    throw err;
  }
}
