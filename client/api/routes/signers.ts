import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { SignerClient } from '../../signers';

/** QA leads see a signer's failed re-authentications and lockout (21 CFR 11.300(d)). */
export function signerRoutes(signers: SignerClient): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/signers/:userId',
      {
        config: { roles: ['qa', 'qp'] },
        schema: {
          tags: ['lots'],
          summary: "A signer's lockout: locked until when, failed re-authentications in the window, recent attempts",
          params: z.object({ userId: z.string().min(1).max(64) }),
        },
      },
      async (request) => signers.view(request.params.userId),
    );
  };
}
