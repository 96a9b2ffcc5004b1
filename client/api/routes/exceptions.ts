import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { exceptionActionSchema, exceptionKindSchema, exceptionSystemSchema } from '../../../domain/exceptions';
import { siteSchema } from '../../../domain/ids';
import type { Role } from '../../../domain/roles';
import type { ExceptionsClient } from '../../exceptions';
import { listExceptionsOfSites } from '../../exception-listing';

const READERS: Role[] = ['viewer', 'planner', 'operator', 'qa', 'qp'];
/** Operators act on what the plant could not apply; QA on what touches quality and signing. */
const DECIDERS: Role[] = ['operator', 'qa', 'qp'];
const ref = z.string().min(1).max(300);

const listQuery = z
  .object({
    site: siteSchema.optional(),
    status: z.enum(['open', 'resolved']).optional(),
    kind: exceptionKindSchema.optional(),
    orderRef: ref.optional(),
    material: ref.optional(),
    lotId: ref.optional(),
    ncrId: ref.optional(),
    eventId: ref.optional(),
    signerId: ref.optional(),
    system: exceptionSystemSchema.optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

/**
 * Business exceptions (one record per site): what plantflow could not apply or found out of step, for the
 * operator to find, count and decide on. Without `site`, every configured site is listed.
 */
export function exceptionRoutes(exceptions: ExceptionsClient, sites: string[]): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/exceptions',
      {
        config: { roles: READERS },
        schema: {
          tags: ['operations'],
          summary: 'Business exceptions by site, status, kind and subject, with open/total counts per kind',
          querystring: listQuery,
        },
      },
      async (request) => {
        const { site, status, kind, limit, ...subject } = request.query;
        return listExceptionsOfSites(exceptions, site ? [site] : sites, { status, kind, subject, limit });
      },
    );

    app.post(
      '/exceptions/:site/:exceptionId/decision',
      {
        config: { roles: DECIDERS },
        schema: {
          tags: ['operations'],
          summary: 'Decide on an exception: acknowledge, resolve (or reapply, accept, ignore for drift), with a reason',
          params: z.object({ site: siteSchema, exceptionId: z.string().min(1).max(400) }),
          body: z
            .object({ action: exceptionActionSchema, reason: z.string().trim().min(1).max(1000), by: ref.optional() })
            .strict(),
        },
      },
      async (request) => {
        const { site, exceptionId } = request.params;
        const by = request.body.by ?? request.caller?.keyId ?? 'api';
        return exceptions.decide(site, { exceptionId, action: request.body.action, reason: request.body.reason, by });
      },
    );
  };
}
