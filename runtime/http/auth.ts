import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Role } from '../../domain/roles';
import { ApiError } from './errors';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Roles allowed on the route, or 'public' (health, OpenAPI). Routes without it are refused. */
    roles?: readonly Role[] | 'public';
  }
  interface FastifyRequest {
    caller?: { keyId: string; roles: Role[] };
  }
}

/** The key from `Authorization: Bearer <key>` or `X-API-Key`. */
function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header) {
    const match = /^bearer\s+(.+)$/i.exec(header);
    return match?.[1]?.trim();
  }
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' ? apiKey : undefined;
}

function constantTimeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/**
 * API-key authentication with per-route roles. Keys map to roles in config; the key itself is never
 * logged — callers are identified by a short key id.
 */
export function registerAuth(app: FastifyInstance, keys: Record<string, Role[]>): void {
  const entries = Object.entries(keys);
  app.addHook('onRequest', async (request) => {
    const allowed = request.routeOptions.config?.roles;
    if (request.routeOptions.url === undefined) return; // 404s fall through to the not-found handler
    const key = presentedKey(request);
    if (allowed === 'public') {
      // Public routes still learn who calls when a key is shown (the codec route decides with it).
      const found = key ? entries.find(([k]) => constantTimeEqual(k, key)) : undefined;
      if (found) request.caller = { keyId: `${found[0].slice(0, 4)}…`, roles: found[1] };
      return;
    }
    if (!allowed) throw new ApiError(403, 'forbidden', 'route declares no roles');
    if (!key) throw new ApiError(401, 'unauthenticated', 'an API key is required (Authorization: Bearer <key>)');
    const found = entries.find(([k]) => constantTimeEqual(k, key));
    if (!found) throw new ApiError(401, 'unauthenticated', 'unknown API key');
    const roles = found[1];
    request.caller = { keyId: `${found[0].slice(0, 4)}…`, roles };
    if (!roles.some((r) => allowed.includes(r))) {
      throw new ApiError(403, 'forbidden', `this route needs one of the roles: ${allowed.join(', ')}`, {
        required: allowed,
        granted: roles,
      });
    }
  });
}
