import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Registry } from 'prom-client';
import type { Role } from '../../../domain/roles';
import type { PlantHealth } from '../../plant-health';
import { DASHBOARD_HTML } from '../dashboard/page';
import type { ApiDeps } from '../deps';
import type { ApiMetrics } from '../metrics';

const READERS: Role[] = ['viewer', 'planner', 'operator', 'qa', 'qp', 'mes', 'qms'];
/** Counts that want someone's attention when they are not zero. */
const ALERTS = /parked|overdue|on-hold|exceptions|drift/;

/**
 * The plant health page and the metrics behind it. /metrics is open to the scraper like the edge's; the page
 * is a shell without data, and its data (/dashboard/data) needs a reading role.
 */
export function dashboardRoutes(deps: ApiDeps, health: PlantHealth, metrics: ApiMetrics): FastifyPluginAsyncZod {
  // Chart.js's browser build, beside its CommonJS entry (the package exports no path to it).
  const chartJs = readFileSync(join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'), 'utf8');
  const registries = [metrics.registry, ...(deps.workerMetrics ? [deps.workerMetrics] : [])];
  const merged = registries.length > 1 ? Registry.merge(registries) : metrics.registry;
  const { webUi, temporal } = deps.config;
  const uiLink = (query: string) =>
    `${webUi.url}/namespaces/${encodeURIComponent(temporal.namespace)}/workflows?query=${encodeURIComponent(query)}`;
  return async (app) => {
    app.get('/metrics', { config: { roles: 'public' }, schema: { hide: true } }, async (_request, reply) =>
      reply.type(merged.contentType).send(await merged.metrics()),
    );
    app.get('/dashboard', { config: { roles: 'public' }, schema: { hide: true } }, async (_request, reply) =>
      reply.type('text/html; charset=utf-8').send(DASHBOARD_HTML),
    );
    app.get('/dashboard/chart.umd.js', { config: { roles: 'public' }, schema: { hide: true } }, async (_r, reply) =>
      reply.type('text/javascript; charset=utf-8').header('cache-control', 'max-age=86400').send(chartJs),
    );
    app.get(
      '/dashboard/data',
      {
        config: { roles: READERS },
        schema: {
          tags: ['operations'],
          summary: 'The plant health page’s data: counts with Web UI links, edges, 24 h of events',
        },
      },
      async () => {
        const snapshot = await health.snapshot();
        return {
          sites: deps.config.sites,
          health: {
            ...snapshot,
            counts: snapshot.counts.map((c) => ({ ...c, link: uiLink(c.query), alert: ALERTS.test(c.id) })),
          },
          series: metrics.series(),
        };
      },
    );
  };
}
