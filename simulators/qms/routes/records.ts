import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  capaLinkRequestSchema,
  capaListSchema,
  capaQuerySchema,
  capaRequestSchema,
  capaSchema,
  QMS_ROUTES,
  signedRecordListSchema,
  signedRecordQuerySchema,
  signedRecordRequestSchema,
  signedRecordSchema,
} from '../../../contracts/qms';
import { COMMON_ERROR_STATUSES, errorResponses, writeHeadersSchema } from '../../../contracts/rest-common';
import { notFound } from '../../shared/rest-kit/errors';
import { appendSignedRecord, linkCapa, openCapa } from '../model/records';
import type { QmsRouteContext } from './context';

const E = COMMON_ERROR_STATUSES;

export function recordRoutes({ holder, rest }: QmsRouteContext): FastifyPluginAsyncZod {
  return async (api) => {
    api.post(
      QMS_ROUTES.capas,
      {
        schema: {
          operationId: 'openCapa',
          tags: ['capa'],
          headers: writeHeadersSchema,
          body: capaRequestSchema,
          response: { 201: capaSchema, ...errorResponses([...E, 409, 422]) },
        },
      },
      async (request, reply) => {
        const { capaId, material } = request.body;
        return rest.write(
          request,
          reply,
          { operation: 'Capa.open', refs: { capaId, material, ncrIds: request.body.ncrIds.join(',') } },
          () => ({
            status: 201,
            body: openCapa(holder.state, request.body),
            applied: true,
          }),
        );
      },
    );

    api.get(
      QMS_ROUTES.capas,
      {
        schema: {
          operationId: 'listCapas',
          tags: ['capa'],
          querystring: capaQuerySchema,
          response: { 200: capaListSchema, ...errorResponses(E) },
        },
      },
      async (request) => ({
        items: Object.values(holder.state.capas).filter(
          (c) =>
            (request.query.material === undefined || c.material === request.query.material) &&
            (request.query.ncrId === undefined || c.ncrIds.includes(request.query.ncrId)),
        ),
      }),
    );

    api.get(
      QMS_ROUTES.capa,
      {
        schema: {
          operationId: 'getCapa',
          tags: ['capa'],
          params: z.object({ capaId: z.string() }),
          response: { 200: capaSchema, ...errorResponses([...E, 404]) },
        },
      },
      async (request) => {
        const capa = holder.state.capas[request.params.capaId];
        if (!capa) throw notFound('capa_not_found', `no CAPA ${request.params.capaId}`);
        return capa;
      },
    );

    api.post(
      QMS_ROUTES.capaLinks,
      {
        schema: {
          operationId: 'linkCapaNonconformances',
          tags: ['capa'],
          headers: writeHeadersSchema,
          params: z.object({ capaId: z.string() }),
          body: capaLinkRequestSchema,
          response: { 200: capaSchema, ...errorResponses([...E, 404, 422]) },
        },
      },
      async (request, reply) => {
        const { capaId } = request.params;
        return rest.write(
          request,
          reply,
          { operation: 'Capa.link', refs: { capaId, ncrIds: request.body.ncrIds.join(',') } },
          () => {
            const { capa, changed } = linkCapa(holder.state, capaId, request.body.ncrIds);
            return { status: 200, body: capa, applied: changed };
          },
        );
      },
    );

    api.post(
      QMS_ROUTES.signedRecords,
      {
        schema: {
          operationId: 'appendSignedRecord',
          summary: 'Append a signed disposition record (append-only; no update or delete exists)',
          tags: ['signed records'],
          headers: writeHeadersSchema,
          body: signedRecordRequestSchema,
          response: { 201: signedRecordSchema, ...errorResponses([...E, 409, 422]) },
        },
      },
      async (request, reply) => {
        const { recordId, subject, decision } = request.body;
        return rest.write(
          request,
          reply,
          { operation: 'SignedRecord.append', refs: { recordId, subject, decision } },
          () => ({
            status: 201,
            body: appendSignedRecord(holder.state, request.body),
            applied: true,
          }),
        );
      },
    );

    api.get(
      QMS_ROUTES.signedRecords,
      {
        schema: {
          operationId: 'listSignedRecords',
          tags: ['signed records'],
          querystring: signedRecordQuerySchema,
          response: { 200: signedRecordListSchema, ...errorResponses(E) },
        },
      },
      async (request) => ({
        items: holder.state.signedRecords.filter(
          (r) => request.query.subject === undefined || r.subject === request.query.subject,
        ),
      }),
    );

    api.get(
      QMS_ROUTES.signedRecord,
      {
        schema: {
          operationId: 'getSignedRecord',
          tags: ['signed records'],
          params: z.object({ recordId: z.string() }),
          response: { 200: signedRecordSchema, ...errorResponses([...E, 404]) },
        },
      },
      async (request) => {
        const record = holder.state.signedRecords.find((r) => r.recordId === request.params.recordId);
        if (!record) throw notFound('record_not_found', `no signed record ${request.params.recordId}`);
        return record;
      },
    );
  };
}
