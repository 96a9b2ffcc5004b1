import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { lotInspectionSchema } from '../../../domain/lot-inspection';
import type { PlantflowClient } from '../../index';

/**
 * Inspection results from the QMS or a lab system (docs/architecture.md §2.2). They reach the lot by signal: the
 * answer is 202; the lot records the result in the QMS and Odoo, holds and opens an NCR on a failure,
 * and lists a result it cannot take (not in the plan, wrong unit) under `refusedResults`.
 */
export function inspectionRoutes(plantflow: PlantflowClient): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/inspections',
      {
        config: { roles: ['qms'] },
        schema: {
          tags: ['lots'],
          summary: 'Report one inspection result for a lot (eventId deduplicates resends)',
          body: lotInspectionSchema,
        },
      },
      async (request, reply) => reply.code(202).send(await plantflow.lots.recordInspection(request.body)),
    );
  };
}
