import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  dispositionLineRequestSchema,
  ncrCloseRequestSchema,
  ncrListSchema,
  ncrOpenRequestSchema,
  ncrQuerySchema,
  ncrUpdateRequestSchema,
  nonconformanceSchema,
  QMS_ROUTES,
} from '../../../contracts/qms';
import { COMMON_ERROR_STATUSES, errorResponses, writeHeadersSchema } from '../../../contracts/rest-common';
import { addDisposition, closeNcr, getNcr, listNcrs, openNcr, updateNcr } from '../model/nonconformances';
import type { QmsRouteContext } from './context';

const E = COMMON_ERROR_STATUSES;
const ncrParams = z.object({ ncrId: z.string() });

export function nonconformanceRoutes({ holder, rest }: QmsRouteContext): FastifyPluginAsyncZod {
  return async (api) => {
    api.post(
      QMS_ROUTES.nonconformances,
      {
        schema: {
          operationId: 'openNonconformance',
          tags: ['nonconformances'],
          headers: writeHeadersSchema,
          body: ncrOpenRequestSchema,
          response: { 201: nonconformanceSchema, ...errorResponses([...E, 409, 422]) },
        },
      },
      async (request, reply) => {
        const { ncrId, material } = request.body;
        return rest.write(
          request,
          reply,
          { operation: 'Nonconformance.open', refs: { ncrId, material, lotIds: request.body.lotIds.join(',') } },
          () => ({
            status: 201,
            body: openNcr(holder.state, request.body),
            applied: true,
          }),
        );
      },
    );

    api.get(
      QMS_ROUTES.nonconformances,
      {
        schema: {
          operationId: 'listNonconformances',
          summary: 'Query (and count) nonconformances, e.g. by material in a time window for CAPA recurrence',
          tags: ['nonconformances'],
          querystring: ncrQuerySchema,
          response: { 200: ncrListSchema, ...errorResponses(E) },
        },
      },
      async (request) => {
        const items = listNcrs(holder.state, request.query);
        return { count: items.length, items };
      },
    );

    api.get(
      QMS_ROUTES.nonconformance,
      {
        schema: {
          operationId: 'getNonconformance',
          tags: ['nonconformances'],
          params: ncrParams,
          response: { 200: nonconformanceSchema, ...errorResponses([...E, 404]) },
        },
      },
      async (request) => getNcr(holder.state, request.params.ncrId),
    );

    api.patch(
      QMS_ROUTES.nonconformance,
      {
        schema: {
          operationId: 'updateNonconformance',
          summary: 'Move status forward, merge references, append containment actions, record the root cause',
          tags: ['nonconformances'],
          headers: writeHeadersSchema,
          params: ncrParams,
          body: ncrUpdateRequestSchema,
          response: { 200: nonconformanceSchema, ...errorResponses([...E, 404, 422]) },
        },
      },
      async (request, reply) => {
        const { ncrId } = request.params;
        return rest.write(request, reply, { operation: 'Nonconformance.update', refs: { ncrId } }, () => {
          const { ncr, changed } = updateNcr(holder.state, ncrId, request.body);
          return { status: 200, body: ncr, applied: changed };
        });
      },
    );

    api.post(
      QMS_ROUTES.ncrDispositions,
      {
        schema: {
          operationId: 'addNonconformanceDisposition',
          summary: 'Add a disposition line (a quantity of the nonconforming material and its decision)',
          tags: ['nonconformances'],
          headers: writeHeadersSchema,
          params: ncrParams,
          body: dispositionLineRequestSchema,
          response: { 200: nonconformanceSchema, 201: nonconformanceSchema, ...errorResponses([...E, 404, 409, 422]) },
        },
      },
      async (request, reply) => {
        const { ncrId } = request.params;
        const refs = { ncrId, lineId: request.body.lineId, decision: request.body.decision };
        return rest.write(request, reply, { operation: 'Nonconformance.addDisposition', refs }, () => {
          const { ncr, created } = addDisposition(holder.state, ncrId, request.body);
          return { status: created ? 201 : 200, body: ncr, applied: created };
        });
      },
    );

    api.post(
      QMS_ROUTES.ncrClose,
      {
        schema: {
          operationId: 'closeNonconformance',
          summary: 'Close once every quantity is dispositioned and a root cause is recorded (idempotent)',
          tags: ['nonconformances'],
          headers: writeHeadersSchema,
          params: ncrParams,
          body: ncrCloseRequestSchema,
          response: { 200: nonconformanceSchema, ...errorResponses([...E, 404, 422]) },
        },
      },
      async (request, reply) => {
        const { ncrId } = request.params;
        return rest.write(request, reply, { operation: 'Nonconformance.close', refs: { ncrId } }, () => {
          const { ncr, changed } = closeNcr(holder.state, ncrId, request.body);
          return { status: 200, body: ncr, applied: changed };
        });
      },
    );
  };
}
