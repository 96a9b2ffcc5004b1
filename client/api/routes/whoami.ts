import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ALL_ROLES, roleSchema } from '../../../domain/roles';

/** Lets a caller check which roles its API key carries before it tries anything else. */
export const whoamiRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/whoami',
    {
      config: { roles: ALL_ROLES },
      schema: {
        tags: ['operations'],
        summary: 'Roles granted to the presented API key',
        response: { 200: z.object({ keyId: z.string(), roles: z.array(roleSchema) }) },
      },
    },
    async (request) => request.caller!,
  );
};
