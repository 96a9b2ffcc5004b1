import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { edgeReportSchema } from '../../../domain/edge';
import { checkStackHealth } from '../../health';
import type { ApiDeps } from '../deps';

const queueSchema = z.object({
  taskQueue: z.string(),
  kind: z.enum(['workflow', 'activity']),
  pollers: z.number(),
  lastPollAt: z.string().optional(),
});

const healthSchema = z.object({
  status: z.enum(['ok', 'degraded', 'down']),
  temporal: z.object({
    address: z.string(),
    namespace: z.string(),
    reachable: z.boolean(),
    serverVersion: z.string().optional(),
    error: z.string().optional(),
  }),
  taskQueues: z.array(queueSchema),
  systems: z.array(
    z.object({
      system: z.string(),
      url: z.string(),
      simulated: z.boolean(),
      up: z.boolean().optional(),
      version: z
        .object({
          configured: z.string(),
          served: z.string().optional(),
          matches: z.boolean().optional(),
          message: z.string(),
          checkedAt: z.string(),
        })
        .optional()
        .describe(
          'Odoo: the served version against PLANTFLOW_ODOO_VERSION (asked at most once a minute); a mismatch makes the stack degraded',
        ),
    }),
  ),
  edges: z.array(
    edgeReportSchema.extend({
      lastContactAt: z.string(),
      state: z.enum(['ok', 'silent', 'backlog_alarm']),
      silentForSeconds: z.number(),
    }),
  ),
  edgesError: z.string().optional(),
});

export function healthRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/health',
      {
        config: { roles: 'public' },
        schema: {
          tags: ['operations'],
          summary:
            'Temporal reachability, pollers on every plantflow task queue, simulators, the Odoo version, plant edges',
          response: { 200: healthSchema, 503: healthSchema },
        },
      },
      async (_request, reply) => {
        const health = await checkStackHealth(deps.temporal, deps.config);
        return reply.code(health.status === 'down' ? 503 : 200).send(health);
      },
    );
  };
}
