import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { edgeReportSchema } from '../../../domain/edge';
import type { Role } from '../../../domain/roles';
import { EdgeClient } from '../../edges';
import type { ApiDeps } from '../deps';
import { ApiError } from '../../../runtime/http/errors';

const READERS: Role[] = ['viewer', 'planner', 'operator', 'qa', 'qp', 'mes', 'qms'];
const siteParam = edgeReportSchema.shape.site;
const edgeIdParam = edgeReportSchema.shape.edgeId;

/**
 * Plant edges: each reports its backlog and state (role `edge`) every PLANTFLOW_EDGE_REPORT_EVERY_MS, and at
 * once when its backlog drains, starts to wait or raises its alarm; readers (/health, GET /edges) see every
 * edge's last contact and backlog.
 */
export function edgeRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  const edges = new EdgeClient(deps.temporal, deps.config.edge.silentAfterMs);
  return async (app) => {
    app.put(
      '/edges/:site/:edgeId',
      {
        config: { roles: ['edge'] },
        schema: {
          tags: ['operations'],
          summary: "A plant edge's report of itself: backlog, forwarding counts, refusals",
          params: z.object({ site: siteParam, edgeId: edgeIdParam }),
          body: edgeReportSchema,
        },
      },
      async (request) => {
        const { site, edgeId } = request.params;
        const report = request.body;
        if (report.site !== site || report.edgeId !== edgeId) {
          throw new ApiError(
            400,
            'invalid_request',
            `the report is from ${report.site}/${report.edgeId}, sent to ${site}/${edgeId}`,
          );
        }
        const contact = await edges.report(report, new Date());
        return { lastContactAt: contact.lastContactAt };
      },
    );

    app.delete(
      '/edges/:site/:edgeId',
      {
        config: { roles: ['operator'] },
        schema: {
          tags: ['operations'],
          summary: 'Retire a plant edge (decommissioned or renamed): it leaves /health and GET /edges',
          params: z.object({ site: siteParam, edgeId: edgeIdParam }),
        },
      },
      async (request) => {
        const { site, edgeId } = request.params;
        const by = request.caller?.keyId ?? 'an operator';
        if (!(await edges.retire(site, edgeId, by)))
          throw new ApiError(404, 'not_found', `no plant edge ${site}/${edgeId} is on record`);
        request.log.info({ site, edgeId, by }, 'plant edge retired');
        return { retired: { site, edgeId } };
      },
    );

    app.get(
      '/edges',
      {
        config: { roles: READERS },
        schema: {
          tags: ['operations'],
          summary: 'Every plant edge: last contact, backlog, state (ok, silent, backlog_alarm)',
          querystring: z.object({ site: siteParam.optional() }),
        },
      },
      async (request) => ({ edges: await edges.list(request.query.site) }),
    );
  };
}
