import Database from 'better-sqlite3';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { z } from 'zod';
import { edgeMesReportSchema, type EdgeMesEvent } from '../domain/edge';
import { ApiError } from '../runtime/http/errors';
import { BODY_LIMIT_BYTES, prepareServer } from '../runtime/http/server';
import type { Role } from '../domain/roles';
import type { EdgeConfig } from '../runtime/config';
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
    // The central API's limit: what the edge stores, the central site takes.
    bodyLimit: BODY_LIMIT_BYTES,
  });
  prepareServer(app, deps.config.keys, storageError);
  await app.withTypeProvider<ZodTypeProvider>().register(edgeRoutes(deps));
  return app;
}

/**
 * The backlog could not be written or read (disk full, I/O error, locked past the busy timeout): the MES
 * hears why, and that nothing of the request was stored (each request is one transaction), so it resends.
 */
function storageError(err: unknown): ApiError | undefined {
  if (!(err instanceof Database.SqliteError)) return undefined;
  const reason = `${err.code}: ${err.message}`;
  const nothingStored = 'nothing of this request was stored; send it again';
  if (/^SQLITE_(BUSY|LOCKED)/.test(err.code)) {
    return new ApiError(503, 'busy', `the edge's backlog is busy (${reason}); ${nothingStored}`, undefined, {
      'retry-after': '1',
    });
  }
  if (err.code === 'SQLITE_FULL') {
    return new ApiError(
      507,
      'storage_full',
      `the edge's disk is full (${reason}); ${nothingStored} once there is room`,
    );
  }
  return new ApiError(507, 'storage_failed', `the edge could not use its backlog file (${reason}); ${nothingStored}`);
}

function edgeRoutes(deps: EdgeServerDeps): FastifyPluginAsyncZod {
  const { store, metrics, config } = deps;

  const receive = (events: EdgeMesEvent[]): ReceiptAnswer[] => {
    let answers: ReceiptAnswer[];
    try {
      answers = store.receive(events, new Date());
    } catch (err) {
      if (err instanceof Database.SqliteError) metrics.received.inc({ outcome: 'storage_error' }, events.length);
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
          throw new ApiError(answer!.code === 'conflicting_resend' ? 409 : 422, answer!.code, answer!.reason, {
            eventId: answer!.eventId,
            refusedBy: answer!.by,
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

    app.post(
      '/edge/refusals/requeue',
      {
        config: { roles: ['operator'] },
        schema: {
          summary:
            'Put events the central site refused back in the backlog (by event id and/or refusal code), once the cause is fixed',
          body: z
            .object({
              eventIds: z.array(z.string().min(1).max(200)).min(1).max(1000).optional(),
              code: z.string().min(1).max(100).optional(),
            })
            .strict()
            .refine((b) => b.eventIds !== undefined || b.code !== undefined, 'name eventIds, a code, or both'),
        },
      },
      async (request) => {
        let result;
        try {
          result = store.requeue(request.body);
        } catch (err) {
          if (!(err instanceof BacklogFullError)) throw err;
          throw new ApiError(507, 'backlog_full', err.message, { backlog: store.backlog, limits: store.limits });
        }
        if (result.requeued.length > 0) {
          deps.logger.info(
            { requeued: result.requeued.length, by: request.caller?.keyId, which: request.body },
            'refused events put back in the backlog',
          );
          deps.onStored();
          deps.onBacklogChanged();
        }
        return result;
      },
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
