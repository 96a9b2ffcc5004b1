import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { orderAmendmentSchema, productionOrderSchema } from '../../../domain/order';
import type { Role } from '../../../domain/roles';
import type { PlantflowClient } from '../../index';

const READERS: Role[] = ['viewer', 'planner', 'operator', 'qa', 'qp', 'mes', 'qms'];
const params = z.object({ site: z.string().min(1).max(64), orderRef: z.string().min(1).max(64) });
const person = z.string().min(1).max(64);
const reason = z.string().trim().min(1).max(500);

/**
 * Production order routes (docs/architecture.md §2.1); each maps to one client call, errors become
 * {code, message, details}.
 */
export function orderRoutes(plantflow: PlantflowClient): FastifyPluginAsyncZod {
  const orders = plantflow.orders;
  return async (app) => {
    app.post(
      '/orders',
      {
        config: { roles: ['planner'] },
        schema: {
          tags: ['orders'],
          summary:
            'Release a production order (validated; refused while its run is live or after it completed; a failed, terminated or aborted run may be released again)',
          body: productionOrderSchema,
        },
      },
      async (request, reply) => reply.code(202).send(await orders.release(request.body)),
    );

    app.get(
      '/orders/:site/:orderRef',
      {
        config: { roles: READERS },
        schema: { tags: ['orders'], summary: 'Status of an order run (its real end when Temporal ended it)', params },
      },
      async (request) => orders.status(request.params.site, request.params.orderRef),
    );

    app.get(
      '/orders/:site/:orderRef/timeline',
      {
        config: { roles: READERS },
        schema: { tags: ['orders'], summary: 'Canonical events of the order, by effectiveAt', params },
      },
      async (request) => orders.timeline(request.params.site, request.params.orderRef),
    );

    app.post(
      '/orders/:site/:orderRef/holds',
      {
        config: { roles: ['qa', 'qp', 'operator'] },
        schema: {
          tags: ['orders'],
          summary: 'Place a hold: no new dispatch, the plant is told, recording continues',
          params,
          body: z.object({
            holdId: z.string().min(1).max(64),
            reason,
            by: person,
            source: z.enum(['person', 'ncr']).default('person'),
          }),
        },
      },
      async (request) => orders.placeHold(request.params.site, request.params.orderRef, request.body),
    );

    app.post(
      '/orders/:site/:orderRef/holds/:holdId/lift',
      {
        config: { roles: ['qa', 'qp', 'operator'] },
        schema: {
          tags: ['orders'],
          summary: 'Lift a hold',
          params: params.extend({ holdId: z.string().min(1) }),
          body: z.object({ reason, by: person }),
        },
      },
      async (request) =>
        orders.liftHold(request.params.site, request.params.orderRef, {
          holdId: request.params.holdId,
          ...request.body,
        }),
    );

    app.post(
      '/orders/:site/:orderRef/complete',
      {
        config: { roles: ['planner', 'operator'] },
        schema: {
          tags: ['orders'],
          summary: 'Complete: full, with a backorder for the rest, or short close (with a reason)',
          params,
          body: z.object({
            mode: z.enum(['complete', 'backorder', 'short_close']),
            by: person,
            reason: reason.optional(),
          }),
        },
      },
      async (request) => orders.complete(request.params.site, request.params.orderRef, request.body),
    );

    app.post(
      '/orders/:site/:orderRef/cancel',
      {
        config: { roles: ['planner'] },
        schema: {
          tags: ['orders'],
          summary: 'Cancel before execution starts (compensates the release)',
          params,
          body: z.object({ reason, by: person }),
        },
      },
      async (request) => orders.cancel(request.params.site, request.params.orderRef, request.body),
    );

    app.post(
      '/orders/:site/:orderRef/amend',
      {
        config: { roles: ['planner'] },
        schema: {
          tags: ['orders'],
          summary:
            "Correct the order's ERP references before its release in the ERPs; the parked master data check is retried",
          params,
          body: orderAmendmentSchema,
        },
      },
      async (request) => orders.amend(request.params.site, request.params.orderRef, request.body),
    );

    app.post(
      '/orders/:site/:orderRef/parked',
      {
        config: { roles: ['operator'] },
        schema: {
          tags: ['orders'],
          summary: 'Decide on a parked step: retry, skip or abort, with a reason',
          params,
          body: z.object({ step: z.string().min(1), action: z.enum(['retry', 'skip', 'abort']), reason, by: person }),
        },
      },
      async (request) => orders.resolveParkedStep(request.params.site, request.params.orderRef, request.body),
    );
  };
}
