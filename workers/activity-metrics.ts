import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { ApplicationFailure } from '@temporalio/common';
import { postingsOfBatch } from '../domain/batched-postings';
import type { EventTimes } from '../domain/postings';
import type { WorkerMetrics } from '../runtime/business-metrics';

interface PostingArg {
  idempotencyKey?: unknown;
  eventAt?: EventTimes;
}
interface PostingAnswer {
  alreadyPosted?: boolean;
  alreadyApplied?: boolean;
  /** Odoo's way of saying it. */
  status?: string;
}

/** The postings an activity input carries, each with its verb: itself (an idempotency key), or each of a batch's. */
function postingsIn(activity: string, arg: unknown): Array<{ verb: string; posting: PostingArg }> {
  const a = (arg ?? {}) as PostingArg;
  if (typeof a.idempotencyKey === 'string') return [{ verb: activity, posting: a }];
  return (postingsOfBatch(activity, arg) ?? [])
    .map(({ verb, input }) => ({ verb, posting: (input ?? {}) as PostingArg }))
    .filter((i) => typeof i.posting.idempotencyKey === 'string');
}

function answersOf(result: unknown, count: number): PostingAnswer[] {
  const r = (result ?? {}) as PostingAnswer & { results?: unknown };
  if (count === 1 && !Array.isArray(r.results)) return [r];
  return Array.isArray(r.results) ? (r.results as PostingAnswer[]) : [];
}

/**
 * Counts every activity attempt for the business metrics: which system, which verb, what came of it. A
 * posting (an input with an idempotency key) also reports whether it was new and, when it came from an MES
 * event, how long after the event the system answered.
 */
export function activityMetrics(metrics: WorkerMetrics, system: string): ActivityInterceptorsFactory {
  return (ctx) => ({
    inbound: {
      async execute(input, next) {
        const activity = ctx.info.activityType;
        // Postings are counted under their own verb, also when several travel in one batch call.
        const postings = postingsIn(activity, input.args[0]);
        const stop = metrics.callSeconds.startTimer({ system });
        try {
          const result = await next(input);
          metrics.calls.inc({ system, activity, outcome: 'ok' });
          metrics.up.set({ system }, 1);
          const answers = answersOf(result, postings.length);
          const now = Date.now();
          postings.forEach(({ verb, posting }, i) => {
            const a = answers[i];
            const again = a?.alreadyPosted === true || a?.alreadyApplied === true || a?.status === 'already_posted';
            metrics.postings.inc({ system, activity: verb, outcome: again ? 'already_posted' : 'posted' });
            if (!posting.eventAt) return;
            for (const from of ['recordedAt', 'effectiveAt'] as const) {
              const at = Date.parse(posting.eventAt[from]);
              if (Number.isFinite(at))
                metrics.eventToPosting.observe({ system, from: from.replace('At', '') }, (now - at) / 1000);
            }
          });
          return result;
        } catch (err) {
          // A system that answered "no" is up; one that could not be reached (or answered 5xx) is not.
          const refused = err instanceof ApplicationFailure && err.nonRetryable;
          metrics.calls.inc({ system, activity, outcome: refused ? 'refused' : 'transient' });
          metrics.up.set({ system }, refused ? 1 : 0);
          // A refused batch is posted again one by one, where the refused posting is counted.
          const gaveUp = refused && postings.length === 1;
          for (const { verb } of postings)
            metrics.postings.inc({ system, activity: verb, outcome: gaveUp ? 'refused' : 'retrying' });
          if (refused) metrics.refusals.inc({ system, reason: err.type ?? 'ApplicationFailure' });
          throw err;
        } finally {
          stop();
        }
      },
    },
  });
}
