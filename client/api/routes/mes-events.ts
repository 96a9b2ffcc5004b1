import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { MAX_MES_BATCH, mesEventReportSchema } from '../../../domain/events';
import type { PlantflowClient } from '../../index';
import type { MesBatchResult } from '../../../workflows/messages/order';
import { toApiError } from '../errors';
import type { ApiMetrics } from '../metrics';

/** Updates one batch sends at once, to different orders. */
const ORDERS_IN_FLIGHT = 16;

/** A rejected event answers `{code, message}` as the single-event route's error body would. */
function batchAnswer(answer: MesBatchResult): unknown {
  if (answer.outcome !== 'rejected') return answer;
  return { outcome: 'rejected', eventId: answer.eventId, code: answer.code, message: answer.reason };
}

/**
 * Shop-floor events (MES). One event answers with its outcome, or 422 with the reason it is impossible.
 * A batch answers per event, in order, so a shift-handover resend is one call; nothing in it is lost.
 */
export function mesEventRoutes(plantflow: PlantflowClient, metrics: ApiMetrics): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/mes/events',
      {
        config: { roles: ['mes'] },
        schema: {
          tags: ['mes'],
          summary: `Report one MES event, or {events: [...]} (up to ${MAX_MES_BATCH}) in order`,
          body: mesEventReportSchema,
        },
      },
      async (request) => {
        const body = request.body;
        if (!('events' in body)) {
          try {
            const answer = await plantflow.orders.reportMesEvent(body);
            metrics.mesEvent(body.type, answer.outcome, body.recordedAt);
            return answer;
          } catch (err) {
            if (toApiError(err).status < 500) metrics.mesEvent(body.type, 'refused', body.recordedAt);
            throw err;
          }
        }
        const all = body.events;
        // One Update per order, events kept in their order; answers come back in the request's order.
        const byOrder = new Map<string, number[]>();
        all.forEach((e, i) => {
          const key = `${e.site}/${e.correlation.orderRef}`;
          const indexes = byOrder.get(key);
          if (indexes) indexes.push(i);
          else byOrder.set(key, [i]);
        });
        const results: unknown[] = new Array(all.length);
        const report = async (indexes: number[]) => {
          const events = indexes.map((i) => all[i]!);
          try {
            const answers = await plantflow.orders.reportMesEvents(events);
            answers.forEach((answer, j) => (results[indexes[j]!] = batchAnswer(answer)));
          } catch (err) {
            const apiError = toApiError(err);
            if (apiError.status >= 500) throw err;
            indexes.forEach(
              (i) =>
                (results[i] = {
                  outcome: 'rejected',
                  eventId: all[i]!.eventId,
                  code: apiError.code,
                  message: apiError.message,
                }),
            );
          }
        };
        // Orders are independent: their Updates go out side by side (a few at a time, so one batch of many
        // orders cannot flood the frontend), instead of one order's round trip after the other's.
        const queue = [...byOrder.values()];
        await Promise.all(
          Array.from({ length: Math.min(ORDERS_IN_FLIGHT, queue.length) }, async () => {
            for (let next = queue.shift(); next; next = queue.shift()) await report(next);
          }),
        );
        results.forEach((r, i) =>
          metrics.mesEvent(all[i]!.type, (r as { outcome: string }).outcome, all[i]!.recordedAt),
        );
        return { results };
      },
    );
  };
}
