import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { decodeArrayFromPayloads, decodeOptionalSinglePayload } from '@temporalio/common/lib/internal-non-workflow';
import { optionalTsToMs } from '@temporalio/common/lib/time';
import type { temporal } from '@temporalio/proto';
import { onePerPosting } from './batched-calls';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** One activity a run performed, with what it was asked and what the system answered (from the history). */
export interface ActivityCall {
  workflowId: string;
  activity: string;
  summary?: string;
  input: unknown;
  outcome: 'completed' | 'failed' | 'pending';
  result?: unknown;
  failure?: string;
  scheduledAt: string;
  endedAt?: string;
}

/** A Signal or an accepted Update the run received, with its arguments. */
export interface RunMessage {
  workflowId: string;
  kind: 'signal' | 'update';
  name: string;
  args: unknown[];
  at: string;
}

export interface RunHistory {
  workflowId: string;
  found: boolean;
  /** How many runs of the continue-as-new chain were read (newest first in the chain, returned oldest first). */
  runs: number;
  activities: ActivityCall[];
  messages: RunMessage[];
}

const iso = (event: HistoryEvent) => new Date(optionalTsToMs(event.eventTime) ?? 0).toISOString();
/** Bounded: the record of a lot never walks more than this many continued runs of one workflow. */
const MAX_RUNS = 50;

/**
 * Reads a workflow's own histories (every run of its continue-as-new chain, closed runs included) and decodes
 * the payloads through the client's data converter, so the ERP answers the activities recorded are read back
 * exactly as the run received them. No second database: the history is the record.
 */
export async function readRunHistory(client: Client, workflowId: string): Promise<RunHistory> {
  const converter = client.options.loadedDataConverter;
  const decode = (payloads?: temporal.api.common.v1.IPayloads | null) =>
    decodeArrayFromPayloads(converter, payloads?.payloads);
  const chain: HistoryEvent[][] = [];
  let runId: string | undefined;
  try {
    for (let i = 0; i < MAX_RUNS; i++) {
      const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
      const events = history.events ?? [];
      chain.unshift(events);
      runId = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
      if (!runId) break;
    }
  } catch (err) {
    if (err instanceof WorkflowNotFoundError)
      return { workflowId, found: false, runs: 0, activities: [], messages: [] };
    throw err;
  }

  const activities: ActivityCall[] = [];
  const messages: RunMessage[] = [];
  for (const events of chain) {
    const scheduled = new Map<string, ActivityCall>();
    for (const event of events) {
      const id = String(event.eventId ?? '');
      const a = event.activityTaskScheduledEventAttributes;
      if (a) {
        const call: ActivityCall = {
          workflowId,
          activity: a.activityType?.name ?? '',
          summary: (await decodeOptionalSinglePayload<string>(converter, event.userMetadata?.summary)) ?? undefined,
          input: (await decode(a.input))[0],
          outcome: 'pending',
          scheduledAt: iso(event),
        };
        scheduled.set(id, call);
        activities.push(call);
        continue;
      }
      const done = event.activityTaskCompletedEventAttributes;
      if (done) {
        const call = scheduled.get(String(done.scheduledEventId ?? ''));
        if (call)
          Object.assign(call, { outcome: 'completed', result: (await decode(done.result))[0], endedAt: iso(event) });
        continue;
      }
      const failed = event.activityTaskFailedEventAttributes ?? event.activityTaskTimedOutEventAttributes;
      if (failed) {
        const call = scheduled.get(String(failed.scheduledEventId ?? ''));
        if (call)
          Object.assign(call, { outcome: 'failed', failure: failed.failure?.message ?? 'failed', endedAt: iso(event) });
        continue;
      }
      const signal = event.workflowExecutionSignaledEventAttributes;
      if (signal) {
        messages.push({
          workflowId,
          kind: 'signal',
          name: signal.signalName ?? '',
          args: await decode(signal.input),
          at: iso(event),
        });
        continue;
      }
      const update = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input;
      if (update)
        messages.push({
          workflowId,
          kind: 'update',
          name: update.name ?? '',
          args: await decode(update.args),
          at: iso(event),
        });
    }
  }
  return { workflowId, found: true, runs: chain.length, activities: activities.flatMap(onePerPosting), messages };
}
