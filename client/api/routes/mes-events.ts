import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { mesEventSchema } from '../../../domain/events';
import type { PlantflowClient } from '../../index';
import { toApiError } from '../errors';

const MAX_BATCH = 500;

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
          summary: 'Report one MES event, or {events: [...]} (up to 500) in order',
          body: z.union([mesEventSchema, z.object({ events: z.array(mesEventSchema).min(1).max(MAX_BATCH) })]),
        },
      },
      async (request) => {
        if (!('events' in request.body)) return plantflow.orders.reportMesEvent(request.body);
        const results = [];
        for (const event of request.body.events) {
          try {
            results.push(await plantflow.orders.reportMesEvent(event));
          } catch (err) {
            const apiError = toApiError(err);
            if (apiError.status >= 500) throw err;
            results.push({ outcome: 'rejected' as const, eventId: event.eventId, code: apiError.code, message: apiError.message });
          }
        }
        return { results };
      },
    );
  };
}
