import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  serializerCompiler,
  validatorCompiler,
  type FastifyPluginAsyncZod,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { z } from 'zod';
import { edgeMesReportSchema, type EdgeMesEvent } from '../domain/edge';
import type { Role } from '../domain/roles';
import type { EdgeConfig } from '../runtime/config';
import { registerAuth } from '../runtime/http/auth';
import { ApiError, errorHandler } from '../runtime/http/errors';
import type { EdgeMetrics } from './metrics';
import { edgeStatus } from './status';
import { BacklogFullError, type EdgeStore, type ReceiptAnswer } from './store';

const READERS: Role[] = ['viewer', 'operator', 'mes'];

export interface EdgeServerDeps {
  config: EdgeConfig;
  store: EdgeStore;
  metrics: EdgeMetrics;
  logger: Logger;
  /** Called after events were stored: the forwarder wakes up. */
  onStored(): void;
  /** Called after every change of the backlog: the alarm looks at its fill. */
  onBacklogChanged(): void;
  live(): { nextAttemptAt?: string };
}

/**
 * The edge's HTTP side on the plant network: the MES contract of the central API (POST /mes/events, one
 * event or a batch, same validation and error bodies), answered only once the events are on disk.
 */
export async function buildEdgeServer(deps: EdgeServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger.child({ component: 'edge-http' }) as FastifyBaseLogger,
    // An MES batch of 500 events fits; anything far larger is not an MES report.
    bodyLimit: 8 * 1024 * 1024,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler());
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ code: 'not_found', message: `no route ${request.method} ${request.url}` }),
  );
  registerAuth(app, deps.config.keys);
  await app.withTypeProvider<ZodTypeProvider>().register(edgeRoutes(deps));
  return app;
}

function edgeRoutes(deps: EdgeServerDeps): FastifyPluginAsyncZod {
  const { store, metrics, config } = deps;

  const receive = (events: EdgeMesEvent[]): ReceiptAnswer[] => {
    let answers: ReceiptAnswer[];
    try {
      answers = store.receive(events, new Date());
    } catch (err) {
      if (!(err instanceof BacklogFullError)) throw err;
      store.noteRefusedFull();
      metrics.received.inc({ outcome: 'backlog_full' }, events.length);
      deps.logger.error({ events: events.length, backlog: store.backlog }, err.message);
      throw new ApiError(507, 'backlog_full', err.message, { backlog: store.backlog, limits: store.limits });
    }
    for (const a of answers) metrics.received.inc({ outcome: a.outcome });
    if (answers.some((a) => a.outcome === 'stored')) {
      deps.onStored();
      deps.onBacklogChanged();
    }
    return answers;
  };

  return async (app) => {
    app.post(
      '/mes/events',
      {
        config: { roles: ['mes'] },
        schema: {
          summary: 'Report one MES event, or {events: [...]}: answered 202 once stored on disk at the plant',
          body: edgeMesReportSchema,
        },
      },
      async (request, reply) => {
        const body = request.body;
        if ('events' in body) return reply.code(202).send({ results: receive(body.events) });
        const [answer] = receive([body]);
        if (answer!.outcome === 'rejected') {
          throw new ApiError(answer!.code === 'wrong_site' ? 422 : 409, answer!.code, answer!.reason, {
            eventId: answer!.eventId,
          });
        }
        return reply.code(202).send(answer);
      },
    );

    app.get(
      '/edge/status',
      { config: { roles: READERS }, schema: { summary: 'Backlog, last contact with the central site, refusals' } },
      async () => edgeStatus(store, config, new Date(), deps.live()),
    );

    app.get(
      '/edge/refusals',
      {
        config: { roles: READERS },
        schema: {
          summary: 'Events kept at the edge because the edge or the central site refused them, newest first',
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
        },
      },
      async (request) => ({ refusals: store.refusals(request.query.limit) }),
    );

    app.get('/metrics', { config: { roles: 'public' } }, async (_request, reply) =>
      reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
    );

    app.get('/health', { config: { roles: 'public' } }, async () => ({
      status: 'ok',
      edgeId: config.id,
      site: config.site,
    }));
  };
}
