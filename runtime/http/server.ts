import type { FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Role } from '../../domain/roles';
import { registerAuth } from './auth';
import { handleError, type ErrorTranslator } from './errors';

/**
 * The largest request body a plantflow server takes (Fastify's default, 1 MiB): a batch of 500 MES events
 * fits several times over. The central API and the plant edge share it, so the edge never stores a report
 * the central site would refuse as too large.
 */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * What the central API and the plant edge set up alike: zod validation, JSON error bodies (the server's
 * own errors translated by `translate`), a JSON 404, and API keys with per-route roles.
 */
export function prepareServer(app: FastifyInstance, keys: Record<string, Role[]>, translate?: ErrorTranslator): void {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler((err, request, reply) => handleError(err, request, reply, translate));
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ code: 'not_found', message: `no route ${request.method} ${request.url}` }),
  );
  registerAuth(app, keys);
}
