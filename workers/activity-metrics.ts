import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { ApplicationFailure } from '@temporalio/common';
import type { EventTimes } from '../domain/postings';
import type { WorkerMetrics } from '../runtime/business-metrics';

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
        const arg = (input.args[0] ?? {}) as { idempotencyKey?: unknown; eventAt?: EventTimes };
        const posting = typeof arg.idempotencyKey === 'string';
        const stop = metrics.callSeconds.startTimer({ system });
        try {
          const result = (await next(input)) as { alreadyPosted?: boolean; alreadyApplied?: boolean } | undefined;
          metrics.calls.inc({ system, activity, outcome: 'ok' });
          metrics.up.set({ system }, 1);
          if (posting) {
            const again = result?.alreadyPosted === true || result?.alreadyApplied === true;
            metrics.postings.inc({ system, activity, outcome: again ? 'already_posted' : 'posted' });
            if (arg.eventAt) {
              const now = Date.now();
              for (const from of ['recordedAt', 'effectiveAt'] as const) {
                const at = Date.parse(arg.eventAt[from]);
                if (Number.isFinite(at))
                  metrics.eventToPosting.observe({ system, from: from.replace('At', '') }, (now - at) / 1000);
              }
            }
          }
          return result;
        } catch (err) {
          // A system that answered "no" is up; one that could not be reached (or answered 5xx) is not.
          const refused = err instanceof ApplicationFailure && err.nonRetryable;
          metrics.calls.inc({ system, activity, outcome: refused ? 'refused' : 'transient' });
          metrics.up.set({ system }, refused ? 1 : 0);
          if (posting) metrics.postings.inc({ system, activity, outcome: refused ? 'refused' : 'retrying' });
          if (refused) metrics.refusals.inc({ system, reason: err.type ?? 'ApplicationFailure' });
          throw err;
        } finally {
          stop();
        }
      },
    },
  });
}
