import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Payload } from '@temporalio/common';
import { EncryptionCodec } from '../../../runtime/codec';
import { ApiError } from '../../../runtime/http/errors';
import type { ApiDeps } from '../deps';
import type { Role } from '../../../domain/roles';

// The Temporal Web UI's remote codec protocol: {payloads:[{metadata:{k: base64}, data: base64}]}.
const wirePayload = z.object({ metadata: z.record(z.string(), z.string()).default({}), data: z.string().default('') });
const body = z.object({ payloads: z.array(wirePayload) });

const toPayload = (p: z.infer<typeof wirePayload>): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data, 'base64'),
});
const toWire = (p: Payload) => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

const DECODE_ROLES: Role[] = ['operator', 'viewer', 'qa', 'qp', 'planner'];
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export function codecRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const codecConfig = deps.config.codec;
    if (!codecConfig) return;
    const codec = new EncryptionCodec(codecConfig.keys, codecConfig.activeKeyId);

    /**
     * Authorised users decode with an API key. The embedded stack's UI cannot send one, so when
     * `codecOpenOnLoopback` is set (npm start only) a browser on this machine may decode without it.
     */
    const authorise = (request: { caller?: { roles: Role[] }; ip: string }) => {
      if (request.caller) {
        if (!request.caller.roles.some((r) => DECODE_ROLES.includes(r))) {
          throw new ApiError(403, 'forbidden', `decoding needs one of: ${DECODE_ROLES.join(', ')}`);
        }
        return;
      }
      if (deps.codecOpenOnLoopback && LOOPBACK.has(request.ip)) return;
      throw new ApiError(401, 'unauthenticated', 'an API key is required to decode payloads');
    };

    for (const direction of ['decode', 'encode'] as const) {
      app.post(
        `/codec/${direction}`,
        {
          config: { roles: 'public' },
          schema: { tags: ['operations'], summary: `Payload ${direction} for the Temporal Web UI`, body },
          preHandler: async (request) => authorise(request),
        },
        async (request) => {
          const payloads = request.body.payloads.map(toPayload);
          const result = direction === 'decode' ? await codec.decode(payloads) : await codec.encode(payloads);
          return { payloads: result.map(toWire) };
        },
      );
    }
  };
}
