import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  confirmExecutionBodySchema,
  dispositionBodySchema,
  ncrOpenSchema,
  personReasonSchema,
  rootCauseBodySchema,
  signedReasonSchema,
} from '../../../domain/ncr-requests';
import type { VerifiedSigner } from '../../../domain/signature';
import type { Role } from '../../../domain/roles';
import type { PlantflowConfig } from '../../../runtime/config';
import type { PlantflowClient } from '../../index';
import { reauthenticatorFromConfig } from '../signing/from-config';
import { reauthProofSchema, type Reauthenticator } from '../signing/reauth';

const READERS: Role[] = ['viewer', 'planner', 'operator', 'qa', 'qp', 'mes', 'qms'];
const DECIDERS: Role[] = ['qa', 'qp'];
const params = z.object({ ncrId: z.string().min(1).max(80) });
const lineParams = params.extend({ lineId: z.string().min(1).max(40) });
/** The signer's proof of identity at signing: user id and password again, or a fresh OIDC ID token. */
const signature = { signer: reauthProofSchema };

/**
 * Nonconformance routes (docs/architecture.md §2.3). Signed actions re-authenticate the signer here, before the
 * Update is sent, and pass the verified identity; the workflow checks roles, freshness and the
 * two-person rule, takes the signing time from its clock and binds the record hash.
 */
export function ncrRoutes(
  plantflow: PlantflowClient,
  deps: { config: Pick<PlantflowConfig, 'usersFile' | 'oidc'>; reauthenticator?: Reauthenticator },
): FastifyPluginAsyncZod {
  const ncrs = plantflow.ncrs;
  let verifier = deps.reauthenticator;
  const verify = (proof: z.infer<typeof reauthProofSchema>): Promise<VerifiedSigner> =>
    (verifier ??= reauthenticatorFromConfig(deps.config)).verify(proof);
  return async (app) => {
    app.post(
      '/ncrs',
      {
        config: { roles: ['qms', 'qa'] },
        schema: {
          tags: ['ncrs'],
          summary:
            'Open a nonconformance: records it in the QMS, Odoo and SAP and contains the lots and their descendants',
          body: ncrOpenSchema,
        },
      },
      async (request, reply) => reply.code(202).send(await ncrs.open(request.body)),
    );

    app.get(
      '/ncrs',
      {
        config: { roles: READERS },
        schema: {
          tags: ['ncrs'],
          summary: 'NCR runs by material, status or overdue (Temporal visibility)',
          querystring: z.object({
            material: z.string().max(64).optional(),
            status: z.string().max(20).optional(),
            overdue: z.enum(['true', 'false']).optional(),
          }),
        },
      },
      async (request) =>
        ncrs.list({
          material: request.query.material,
          status: request.query.status,
          overdue: request.query.overdue === undefined ? undefined : request.query.overdue === 'true',
        }),
    );

    app.get(
      '/ncrs/:ncrId',
      {
        config: { roles: READERS },
        schema: {
          tags: ['ncrs'],
          summary: 'Live state of an NCR: containment, signed dispositions, execution, escalations',
          params,
        },
      },
      async (request) => ncrs.status(request.params.ncrId),
    );

    app.post(
      '/ncrs/:ncrId/dispositions',
      {
        config: { roles: DECIDERS },
        schema: {
          tags: ['ncrs'],
          summary: 'Decide on a quantity (use_as_is, rework, scrap, return_to_vendor, regrade), signed',
          params,
          body: dispositionBodySchema.extend(signature),
        },
      },
      async (request) => {
        const { signer, ...line } = request.body;
        return ncrs.dispose(request.params.ncrId, line, await verify(signer));
      },
    );

    app.post(
      '/ncrs/:ncrId/dispositions/:lineId/cosign',
      {
        config: { roles: DECIDERS },
        schema: {
          tags: ['ncrs'],
          summary: "Second signature of a critical NCR's line (a different person)",
          params: lineParams,
          body: signedReasonSchema.extend(signature),
        },
      },
      async (request) =>
        ncrs.coSign(
          request.params.ncrId,
          request.params.lineId,
          request.body.reason,
          await verify(request.body.signer),
        ),
    );

    app.post(
      '/ncrs/:ncrId/dispositions/:lineId/withdraw',
      {
        config: { roles: DECIDERS },
        schema: {
          tags: ['ncrs'],
          summary: 'Withdraw a line still awaiting its co-signature',
          params: lineParams,
          body: personReasonSchema,
        },
      },
      async (request) => ncrs.withdraw(request.params.ncrId, { lineId: request.params.lineId, ...request.body }),
    );

    app.post(
      '/ncrs/:ncrId/dispositions/:lineId/confirm',
      {
        config: { roles: ['qa', 'qp', 'operator'] },
        schema: {
          tags: ['ncrs'],
          summary: 'Confirm a physical execution (returned to vendor, regraded) with its document',
          params: lineParams,
          body: confirmExecutionBodySchema,
        },
      },
      async (request) =>
        ncrs.confirmExecution(request.params.ncrId, { lineId: request.params.lineId, ...request.body }),
    );

    app.post(
      '/ncrs/:ncrId/root-cause',
      {
        config: { roles: ['qa', 'qp', 'qms'] },
        schema: {
          tags: ['ncrs'],
          summary: 'Record the root cause (needed to close)',
          params,
          body: rootCauseBodySchema,
        },
      },
      async (request) =>
        ncrs.recordRootCause(request.params.ncrId, request.body as Parameters<typeof ncrs.recordRootCause>[1]),
    );

    app.post(
      '/ncrs/:ncrId/containment',
      {
        config: { roles: ['qa', 'qp', 'operator'] },
        schema: {
          tags: ['ncrs'],
          summary: 'Run containment again (new downstream lots); idempotent',
          params,
          body: personReasonSchema,
        },
      },
      async (request) => ncrs.rerunContainment(request.params.ncrId, request.body),
    );

    app.post(
      '/ncrs/:ncrId/close',
      {
        config: { roles: DECIDERS },
        schema: {
          tags: ['ncrs'],
          summary:
            'Close (signed): needs the root cause and every quantity dispositioned and executed; lifts its holds',
          params,
          body: signedReasonSchema.extend(signature),
        },
      },
      async (request) => ncrs.close(request.params.ncrId, request.body.reason, await verify(request.body.signer)),
    );

    app.post(
      '/ncrs/:ncrId/parked',
      {
        config: { roles: ['operator'] },
        schema: {
          tags: ['ncrs'],
          summary: 'Decide on a parked step: retry, skip or abort, with a reason',
          params,
          body: z.object({
            step: z.string().min(1),
            action: z.enum(['retry', 'skip', 'abort']),
            reason: z.string().trim().min(1).max(500),
            by: z.string().min(1).max(64),
          }),
        },
      },
      async (request) => ncrs.resolveParkedStep(request.params.ncrId, request.body),
    );
  };
}
