import { timingSafeEqual } from 'node:crypto';
import swagger from '@fastify/swagger';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import {
  createJsonSchemaTransform,
  createJsonSchemaTransformObject,
  hasZodFastifySchemaValidationErrors,
  serializerCompiler,
  validatorCompiler,
  type FastifyPluginAsyncZod,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { $ZodRegistry } from 'zod/v4/core';
import type { SimulatorServer } from '../server';
import {
  healthSchema,
  IDEMPOTENCY_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  type ApiErrorBody,
} from '../../../contracts/rest-common';
import { ApiError } from './errors';
import { IdempotencyStore, isStorableStatus, requestFingerprint } from './idempotency';

export interface RestApiOptions {
  system: 'qms' | 'mes';
  title: string;
  description: string;
  version: string;
  /** Bearer token every /v1 call must present. */
  token: string;
  /** The system's named contract schemas (become components.schemas in the OpenAPI document). */
  registry: $ZodRegistry<{ id?: string }>;
  tags: { name: string; description: string }[];
  /** Called after every write request (persist state). */
  onWrite?: () => void;
}

export interface WriteRecord {
  /** Stable business name of the write, e.g. `Nonconformance.open`. */
  operation: string;
  refs: Record<string, string>;
  status: number;
  applied: boolean;
}

/** What a write handler decided: the status and body to answer, whether it changed state. */
export interface WriteOutcome<T> {
  status: number;
  body: T;
  applied: boolean;
  /** Refs learned while writing (ids the server assigned). */
  refs?: Record<string, string>;
}

export interface RestApi {
  /** Registers protocol routes after the OpenAPI plugin, so they are documented. */
  routes(plugin: FastifyPluginAsyncZod): void;
  /** Journals a write (applied or refused) and remembers it for idempotent replays. */
  recordWrite(request: FastifyRequest, write: WriteRecord): void;
  /**
   * Runs a write handler and journals its outcome under a stable operation name; a refusal thrown as
   * ApiError is journalled as not applied and then answered by the error handler.
   */
  write<T>(
    request: FastifyRequest,
    reply: { code(status: number): unknown },
    spec: { operation: string; refs: Record<string, string> },
    run: () => WriteOutcome<T>,
  ): T;
  readonly idempotency: IdempotencyStore;
  /** The generated OpenAPI 3 document. */
  openapi(): Promise<unknown>;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const isProtocolUrl = (url: string): boolean => url.startsWith('/v1/');

/** Fault answers in the contract's own error envelope (used as SimulatorServer's faultReply). */
export function jsonFaultReply(system: string) {
  return (reply: FastifyReply, status: number, reason: string): FastifyReply => {
    const code = status === 429 ? 'rate_limited' : status >= 500 ? 'unavailable' : 'fault';
    const body: ApiErrorBody = { code, message: `${system} simulator: ${reason}`, details: {} };
    return reply.code(status).type('application/json').send(JSON.stringify(body));
  };
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1]!.trim());
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function headerValue(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Turns a SimulatorServer into a REST API of the plantflow convention: bearer auth, zod contract with
 * generated OpenAPI, JSON error envelope, Idempotency-Key replay, and a fault to corrupt responses.
 */
export function createRestApi(server: SimulatorServer, options: RestApiOptions): RestApi {
  const app = server.app;
  const idempotency = new IdempotencyStore();
  const writes = new WeakMap<FastifyRequest, WriteRecord>();
  const replayed = new WeakSet<FastifyRequest>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // Admin calls (POST /__sim/reset) may arrive with a form content type and no body; anything else that
  // is not JSON is refused in the envelope.
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    if (String(body) === '') return done(null, undefined);
    done(new ApiError(415, 'unsupported_media_type', 'request bodies must be application/json'), undefined);
  });

  app.setErrorHandler((err: FastifyError, _request, reply) => {
    if (err instanceof ApiError) {
      return reply.code(err.status).send({ code: err.code, message: err.message, details: err.details });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const location = err.validationContext ?? 'request';
      const issues = err.validation.map((v) => ({ path: v.instancePath, message: v.message ?? '', code: v.keyword }));
      const summary = issues
        .slice(0, 3)
        .map((i) => `${i.path} ${i.message}`)
        .join('; ');
      return reply
        .code(400)
        .send({ code: 'validation_failed', message: `invalid ${location}: ${summary}`, details: { location, issues } });
    }
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    const code = status === 415 ? 'unsupported_media_type' : status < 500 ? 'bad_request' : 'internal_error';
    return reply.code(status).send({ code, message: err.message, details: { fastifyCode: err.code ?? null } });
  });

  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ code: 'not_found', message: `no route ${request.method} ${request.url}`, details: {} }),
  );

  // Runs after the shared fault hook: an outage answers before credentials are even looked at.
  app.addHook('onRequest', async (request, reply) => {
    if (!isProtocolUrl(request.url)) return;
    if (tokenMatches(headerValue(request, 'authorization'), options.token)) return;
    reply.header('WWW-Authenticate', `Bearer realm="${options.system}"`);
    return reply.code(401).send({ code: 'unauthorized', message: 'missing or invalid bearer token', details: {} });
  });

  app.addHook('preHandler', async (request, reply) => {
    const key = headerValue(request, IDEMPOTENCY_HEADER);
    if (!key || !WRITE_METHODS.has(request.method) || !isProtocolUrl(request.url)) return;
    const fingerprint = requestFingerprint(request.method, request.url, request.body);
    const stored = idempotency.get(key);
    if (stored) {
      if (stored.fingerprint !== fingerprint) {
        throw new ApiError(422, 'idempotency_key_reused', 'Idempotency-Key was already used for a different request', {
          idempotencyKey: key,
          firstRequest: `${stored.method} ${stored.url}`,
        });
      }
      replayed.add(request);
      if (stored.operation) {
        server.journal.record({
          method: request.method,
          path: request.url,
          operation: stored.operation,
          refs: { ...stored.refs, replayed: 'true' },
          body: request.body,
          status: stored.status,
          applied: false,
        });
      }
      return reply
        .code(stored.status)
        .header(IDEMPOTENT_REPLAYED_HEADER, 'true')
        .type('application/json; charset=utf-8')
        .send(stored.body);
    }
    if (!idempotency.begin(key)) {
      throw new ApiError(
        409,
        'idempotency_key_in_flight',
        'a request with this Idempotency-Key is still being processed',
        {
          idempotencyKey: key,
        },
      );
    }
    // Released in onResponse, whatever the outcome.
    (request as FastifyRequest & { idempotencyKey?: string }).idempotencyKey = key;
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const key = (request as FastifyRequest & { idempotencyKey?: string }).idempotencyKey;
    if (!key || replayed.has(request) || !isStorableStatus(reply.statusCode) || typeof payload !== 'string')
      return payload;
    const write = writes.get(request);
    idempotency.save({
      key,
      fingerprint: requestFingerprint(request.method, request.url, request.body),
      method: request.method,
      url: request.url,
      status: reply.statusCode,
      body: payload,
      operation: write?.operation,
      refs: write?.refs,
      storedAt: new Date().toISOString(),
    });
    return payload;
  });

  // A proxy or a broken release answering 200 with a body we do not understand (special: malformedResponseRate).
  app.addHook('onSend', async (request, reply, payload) => {
    if (!isProtocolUrl(request.url) || reply.statusCode >= 300) return payload;
    const rate = server.faults.special('malformedResponseRate', 0);
    if (rate > 0 && server.faults.roll() < rate) return JSON.stringify({ unexpected: 'simulated malformed response' });
    return payload;
  });

  // Schedule persistence while the write is still in hand (onResponse may run after the caller moved on).
  app.addHook('onSend', async (request, _reply, payload) => {
    if (WRITE_METHODS.has(request.method) && isProtocolUrl(request.url)) options.onWrite?.();
    return payload;
  });

  app.addHook('onResponse', async (request) => {
    const key = (request as FastifyRequest & { idempotencyKey?: string }).idempotencyKey;
    if (key) idempotency.end(key);
  });

  void app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: options.title, description: options.description, version: options.version },
      servers: [],
      tags: options.tags,
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearerAuth: [] }],
    },
    transform: createJsonSchemaTransform({ schemaRegistry: options.registry }),
    transformObject: createJsonSchemaTransformObject({ schemaRegistry: options.registry }),
  });

  const typed = app.withTypeProvider<ZodTypeProvider>();
  void typed.register(async (api) => {
    api.get(
      '/health',
      { schema: { summary: 'Liveness of the API', tags: ['health'], security: [], response: { 200: healthSchema } } },
      async () => ({ status: 'ok' as const, system: options.system, time: new Date().toISOString() }),
    );
    api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  });

  return {
    idempotency,
    routes(plugin) {
      void typed.register(plugin);
    },
    recordWrite(request, write) {
      const key = headerValue(request, IDEMPOTENCY_HEADER);
      const refs = key ? { ...write.refs, idempotencyKey: key } : write.refs;
      writes.set(request, { ...write, refs });
      server.journal.record({
        method: request.method,
        path: request.url,
        operation: write.operation,
        refs,
        body: request.body,
        status: write.status,
        applied: write.applied,
      });
    },
    write(request, reply, spec, run) {
      try {
        const outcome = run();
        this.recordWrite(request, {
          operation: spec.operation,
          refs: { ...spec.refs, ...outcome.refs },
          status: outcome.status,
          applied: outcome.applied,
        });
        reply.code(outcome.status);
        return outcome.body;
      } catch (err) {
        if (err instanceof ApiError) {
          this.recordWrite(request, { operation: spec.operation, refs: spec.refs, status: err.status, applied: false });
        }
        throw err;
      }
    },
    async openapi() {
      await app.ready();
      return app.swagger();
    },
  };
}
