import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { MAX_MES_BATCH, mesEventReportSchema } from '../../../domain/events';
import type { PlantflowClient } from '../../index';
import type { MesBatchResult } from '../../../workflows/messages/order';
import { toApiError } from '../errors';

/** A rejected event answers `{code, message}` as the single-event route's error body would. */
function batchAnswer(answer: MesBatchResult): unknown {
  if (answer.outcome !== 'rejected') return answer;
  return { outcome: 'rejected', eventId: answer.eventId, code: answer.code, message: answer.reason };
}

/**
 * Shop-floor events (MES). One event answers with its outcome, or 422 with the reason it is impossible.
 * A batch answers per event, in order, so a shift-handover resend is one call; nothing in it is lost.
 */
export function mesEventRoutes(plantflow: PlantflowClient): FastifyPluginAsyncZod {
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
        if (!('events' in body)) return plantflow.orders.reportMesEvent(body);
        const all = body.events;
        // One Update per order, events kept in their order; answers come back in the request's order.
        const byOrder = new Map<string, number[]>();
        all.forEach((e, i) => {
          const key = `${e.site}/${e.correlation.orderRef}`;
          byOrder.set(key, [...(byOrder.get(key) ?? []), i]);
        });
        const results: unknown[] = new Array(all.length);
        for (const indexes of byOrder.values()) {
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
        }
        return { results };
      },
    );
  };
}
