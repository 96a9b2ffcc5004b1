import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { BODY_LIMIT_BYTES, prepareServer } from '../../runtime/http/server';
import { translateCentralError } from './errors';
import type { ApiDeps } from './deps';
import { codecRoutes } from './routes/codec';
import { healthRoutes } from './routes/health';
import { whoamiRoutes } from './routes/whoami';
import { orderRoutes } from './routes/orders';
import { mesEventRoutes } from './routes/mes-events';
import { ncrRoutes } from './routes/ncrs';
import { lotRoutes } from './routes/lots';
import { inspectionRoutes } from './routes/inspections';
import { edgeRoutes } from './routes/edges';
import { exceptionRoutes } from './routes/exceptions';
import { signerRoutes } from './routes/signers';
import { signingFor } from './signing/lockout';
import { dashboardRoutes } from './routes/dashboard';
import { createApiMetrics } from './metrics';
import { PlantHealth } from '../plant-health';
import { PlantflowClient, policyOptions } from '../index';

/**
 * One log line per request instead of two; the Web UI's codec calls, health probes and the plant edges'
 * heartbeats taken (PUT /edges/…, every 30 s per edge) only at debug.
 */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const quiet =
      request.method === 'OPTIONS' ||
      /^\/(codec|health)\b/.test(request.url) ||
      (request.method === 'PUT' && request.url.startsWith('/edges/') && reply.statusCode < 400);
    const level = error || reply.statusCode >= 500 ? 'error' : quiet ? 'debug' : 'info';
    request.log[level](
      {
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
        caller: request.caller?.keyId,
        err: error ?? undefined,
      },
      `${request.method} ${request.url} ${reply.statusCode} (${Math.round(reply.elapsedTime)} ms)`,
    );
  }
}

/** Builds the HTTP API (not listening yet): OpenAPI at /openapi.json, docs at /docs. */
export async function buildApiServer(deps: ApiDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger.child({ component: 'api' }) as FastifyBaseLogger,
    logController: new OneLinePerRequest(),
    bodyLimit: BODY_LIMIT_BYTES,
  });

  // The Temporal Web UI calls the codec endpoint from the browser.
  await app.register(cors, {
    origin: true,
    allowedHeaders: ['authorization', 'content-type', 'x-namespace', 'x-api-key'],
    methods: ['GET', 'POST'],
  });
  await app.register(swagger, {
    openapi: {
      info: { title: 'plantflow API', version: '0.1.0', description: 'Durable manufacturing workflows on Temporal' },
      components: {
        securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'plantflow API key' } },
      },
      security: [{ apiKey: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' } });
  app.addHook('onRoute', (route) => {
    // Swagger UI's routes are documentation, open like /openapi.json; OPTIONS is the CORS preflight.
    if (route.url.startsWith('/docs') || route.method === 'OPTIONS')
      route.config = { ...(route.config ?? {}), roles: 'public' };
    // A route that forgot to say who may call it must not start at all.
    else if (!route.config?.roles) throw new Error(`route ${route.method} ${route.url} declares no roles`);
  });

  prepareServer(app, deps.config.api.keys, translateCentralError);
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get('/openapi.json', { config: { roles: 'public' }, schema: { hide: true } }, async () => app.swagger());
  await typed.register(healthRoutes(deps));
  await typed.register(codecRoutes(deps));
  await typed.register(whoamiRoutes);
  const plantflow = new PlantflowClient(deps.temporal, { ...policyOptions(deps.config), ...deps.clientOptions });
  await typed.register(orderRoutes(plantflow));
  const health = new PlantHealth(deps.temporal, deps.config.sites, deps.config.edge.silentAfterMs, deps.healthCacheMs);
  const metrics = createApiMetrics(health);
  await typed.register(mesEventRoutes(plantflow, metrics));
  await typed.register(dashboardRoutes(deps, health, metrics));
  const { signers, reauthenticator } = signingFor(deps, plantflow.exceptions);
  await typed.register(ncrRoutes(plantflow, { config: deps.config, reauthenticator }));
  await typed.register(lotRoutes(plantflow, reauthenticator));
  await typed.register(signerRoutes(signers));
  await typed.register(inspectionRoutes(plantflow));
  await typed.register(edgeRoutes(deps));
  await typed.register(exceptionRoutes(plantflow.exceptions, deps.config.sites));
  return app;
}
