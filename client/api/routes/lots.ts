import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { receivedLotSchema } from '../../../domain/lot';
import { dispositionInputSchema, signerRoleRefusal } from '../../../domain/lot-disposition';
import { ApiError } from '../../../runtime/http/errors';
import { reviewInputSchema } from '../../../domain/lot-review';
import { signatureMeaningSchema } from '../../../domain/signature';
import type { Role } from '../../../domain/roles';
import { LotReviewError } from '../../errors';
import type { PlantflowClient } from '../../index';
import { lotRecordPdf } from '../../lot-record/pdf';
import { reauthProofSchema, type Reauthenticator } from '../signing/reauth';

const READERS: Role[] = ['viewer', 'planner', 'operator', 'qa', 'qp', 'mes', 'qms'];
const QUALITY: Role[] = ['qa', 'qp'];
const params = z.object({ material: z.string().min(1).max(64), lotId: z.string().min(1).max(64) });
const person = z.string().min(1).max(64);
const reason = z.string().trim().min(1).max(2000);

/**
 * Lot routes (docs/architecture.md §2.2). A disposition carries the signer's re-authentication (password or OIDC ID
 * token); the API verifies it before the Update is sent, and the workflow takes the printed name and
 * roles from that verification — never from the request body.
 */
export function lotRoutes(plantflow: PlantflowClient, reauth: Reauthenticator): FastifyPluginAsyncZod {
  const lots = plantflow.lots;
  return async (app) => {
    app.post(
      '/lots',
      {
        config: { roles: ['qms', 'planner'] },
        schema: {
          tags: ['lots'],
          summary: 'Receive a lot from outside (supplier, transfer): starts its run, restricted',
          body: receivedLotSchema,
        },
      },
      async (request, reply) => reply.code(201).send(await lots.receive(request.body)),
    );

    app.get(
      '/lots',
      {
        config: { roles: READERS },
        schema: {
          tags: ['lots'],
          summary: 'Lot runs by visibility (open and closed)',
          querystring: z.object({
            material: z.string().max(64).optional(),
            status: z.string().max(20).optional(),
            overdue: z
              .enum(['true', 'false'])
              .transform((v) => v === 'true')
              .optional(),
            parent: z.string().max(140).optional().describe('Lots made from this lot key, e.g. RM-300:H-1001'),
            limit: z.coerce.number().int().min(1).max(1000).optional(),
          }),
        },
      },
      async (request) => lots.list(request.query),
    );

    app.get(
      '/lots/:material/:lotId',
      {
        config: { roles: READERS },
        schema: {
          tags: ['lots'],
          summary: 'Live status of a lot: genealogy, inspections, holds, signed records',
          params,
        },
      },
      async (request) => lots.status(request.params.material, request.params.lotId),
    );

    app.get(
      '/lots/:material/:lotId/genealogy',
      {
        config: { roles: READERS },
        schema: {
          tags: ['lots'],
          summary: 'Genealogy trace: backward (what it was made from) or forward (what was made from it)',
          params,
          querystring: z.object({
            direction: z.enum(['backward', 'forward']).default('backward'),
            depth: z.coerce.number().int().min(1).max(50).optional(),
          }),
        },
      },
      async (request) => lots.genealogy(request.params.material, request.params.lotId, request.query),
    );

    app.get(
      '/lots/:material/:lotId/record',
      {
        config: { roles: READERS },
        schema: {
          tags: ['lots'],
          summary:
            "The lot's record, reviewed by exception: order, MES events, postings with ERP documents, inspections, holds, NCRs, signatures, parked steps, exceptions, drift, genealogy; and its hash",
          params,
        },
      },
      async (request) => plantflow.records.serve(request.params.material, request.params.lotId),
    );

    app.get(
      '/lots/:material/:lotId/record.pdf',
      {
        config: { roles: READERS },
        schema: {
          tags: ['lots'],
          summary:
            'The lot record as a PDF: lot, order and genealogy first; record hash and page numbers on every page',
          params,
        },
      },
      async (request, reply) => {
        const served = await plantflow.records.serve(request.params.material, request.params.lotId);
        return reply
          .type('application/pdf')
          .header(
            'content-disposition',
            `inline; filename="${`lot-record-${served.record.lot.material}-${served.record.lot.lotId}`.replace(/[^A-Za-z0-9._-]/g, '_')}.pdf"`,
          )
          .header('x-record-hash', served.hash)
          .send(await lotRecordPdf(served));
      },
    );

    app.post(
      '/lots/:material/:lotId/disposition',
      {
        config: { roles: QUALITY },
        schema: {
          tags: ['lots'],
          summary: 'Sign a disposition (release: qp only; reject/hold: qa or qp). Returns the signed record',
          params,
          body: dispositionInputSchema.extend({
            meaning: signatureMeaningSchema,
            signature: reauthProofSchema.describe('Re-authentication at signing: {userId, password} or {idToken}'),
            review: reviewInputSchema
              .optional()
              .describe(
                'A release only: the hash of the lot record as reviewed (GET …/record) and a comment on each of its exceptions',
              ),
          }),
        },
      },
      async (request) => {
        const { signature, review, ...input } = request.body;
        const signer = await reauth.verify(signature);
        const unauthorised = signerRoleRefusal(input.decision, signer);
        if (unauthorised) throw new ApiError(403, unauthorised.type, unauthorised.message);
        if (input.decision === 'release' && !review)
          throw new LotReviewError(
            'ReviewRequired',
            'a release is signed on the reviewed lot record: send review.recordHash from GET …/record and acknowledge each of its exceptions',
          );
        request.log.info(
          {
            lot: `${request.params.material}:${request.params.lotId}`,
            decision: input.decision,
            signer: signer.userId,
          },
          'disposition signed',
        );
        const { material, lotId } = request.params;
        return review
          ? plantflow.records.release(material, lotId, input, signer, review)
          : lots.disposition(material, lotId, input, signer);
      },
    );

    app.post(
      '/lots/:material/:lotId/holds',
      {
        config: { roles: QUALITY },
        schema: {
          tags: ['lots'],
          summary: 'Place a hold on the lot (a held lot cannot be released)',
          params,
          body: z.object({ holdId: z.string().min(1).max(64).optional(), reason, by: person }),
        },
      },
      async (request) => {
        const holdId = request.body.holdId ?? `H-${Date.now().toString(36).toUpperCase()}`;
        return {
          holdId,
          ...(await lots.placeHold(request.params.material, request.params.lotId, { ...request.body, holdId })),
        };
      },
    );

    app.post(
      '/lots/:material/:lotId/holds/:holdId/lift',
      {
        config: { roles: QUALITY },
        schema: {
          tags: ['lots'],
          summary: "Lift a person's hold (an NCR's hold is lifted by the NCR)",
          params: params.extend({ holdId: z.string().min(1).max(64) }),
          body: z.object({ reason, by: person }),
        },
      },
      async (request) =>
        lots.liftHold(request.params.material, request.params.lotId, {
          holdId: request.params.holdId,
          ...request.body,
        }),
    );

    app.post(
      '/lots/:material/:lotId/stock-received',
      {
        config: { roles: ['planner', 'qms'] },
        schema: {
          tags: ['lots'],
          summary: "A received lot's goods are booked into Odoo: it can be quarantined",
          params,
          body: z.object({ reference: z.string().min(1).max(120) }),
        },
      },
      async (request, reply) => {
        await lots.stockReceived(request.params.material, request.params.lotId, request.body.reference);
        return reply.code(202).send({ accepted: true });
      },
    );

    app.post(
      '/lots/:material/:lotId/parked',
      {
        config: { roles: ['operator'] },
        schema: {
          tags: ['lots'],
          summary: 'Decide on a parked step: retry, skip or abort, with a reason',
          params,
          body: z.object({ step: z.string().min(1), action: z.enum(['retry', 'skip', 'abort']), reason, by: person }),
        },
      },
      async (request) => lots.resolveParkedStep(request.params.material, request.params.lotId, request.body),
    );
  };
}
