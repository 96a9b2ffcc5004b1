import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { identifierSchema, timestampSchema } from '../../../contracts/rest-common';
import { generateOrderEvents } from '../events';
import { dispatchOf } from '../model';
import type { MesRouteContext } from './context';

const rejectionsSchema = z.object({
  orders: z.record(z.string(), z.string().min(1)).optional(),
  materials: z.record(z.string(), z.string().min(1)).optional(),
});

const generateSchema = z.object({
  startAt: timestampSchema.optional(),
  stepMinutes: z.number().positive().optional(),
  recordedLagMinutes: z.number().nonnegative().optional(),
  instance: z.string().optional(),
  yield: z
    .string()
    .regex(/^\d+(\.\d+)?$/)
    .optional(),
  scrap: z
    .string()
    .regex(/^\d+(\.\d+)?$/)
    .optional(),
  rework: z
    .string()
    .regex(/^\d+(\.\d+)?$/)
    .optional(),
  producedLotId: identifierSchema.optional(),
  componentLots: z.record(z.string(), z.array(identifierSchema).min(1)).optional(),
  operator: z.string().optional(),
  runId: z.string().optional(),
});

/**
 * Test/demo-only routes (hidden from the OpenAPI document, no bearer token like the rest of /__sim):
 * arrange dispatch refusals, and generate the events a dispatched order would push to plantflow.
 */
export function adminRoutes({ holder }: MesRouteContext): FastifyPluginAsyncZod {
  return async (api) => {
    api.get('/__sim/mes/rejections', { schema: { hide: true } }, async () => holder.state.rejections);

    api.put('/__sim/mes/rejections', { schema: { hide: true, body: rejectionsSchema } }, async (request) => {
      holder.state.rejections = { orders: request.body.orders ?? {}, materials: request.body.materials ?? {} };
      return holder.state.rejections;
    });

    api.delete('/__sim/mes/rejections', { schema: { hide: true } }, async () => {
      holder.state.rejections = { orders: {}, materials: {} };
      return holder.state.rejections;
    });

    api.post(
      '/__sim/mes/plants/:site/dispatches/:orderRef/events',
      {
        schema: {
          hide: true,
          params: z.object({ site: z.string(), orderRef: z.string() }),
          body: generateSchema.optional(),
        },
      },
      async (request) => {
        const dispatch = dispatchOf(holder.state, request.params.site, request.params.orderRef);
        const body = request.body ?? {};
        return {
          events: generateOrderEvents(dispatch, { ...body, startAt: body.startAt ?? new Date().toISOString() }),
        };
      },
    );
  };
}
