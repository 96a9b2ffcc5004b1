import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  dispatchListSchema,
  dispatchQuerySchema,
  dispatchRequestSchema,
  dispatchSchema,
  holdRequestSchema,
  holdResultSchema,
  MES_ROUTES,
  plantListSchema,
  plantSchema,
  recallRequestSchema,
  recallResultSchema,
  releaseHoldRequestSchema,
  releaseHoldResultSchema,
} from '../../../contracts/mes';
import { COMMON_ERROR_STATUSES, errorResponses, writeHeadersSchema } from '../../../contracts/rest-common';
import { dispatchOf, dispatchOrder, holdOrder, plantOf, recallOrder, releaseHold } from '../model';
import type { MesRouteContext } from './context';

const E = COMMON_ERROR_STATUSES;
const siteParams = z.object({ site: z.string() });
const orderParams = z.object({ site: z.string(), orderRef: z.string() });

export function dispatchRoutes({ holder, rest, server }: MesRouteContext): FastifyPluginAsyncZod {
  return async (api) => {
    api.get(
      MES_ROUTES.plants,
      {
        schema: {
          operationId: 'listPlants',
          tags: ['plants'],
          response: { 200: plantListSchema, ...errorResponses(E) },
        },
      },
      async () => ({ items: Object.values(holder.state.plants) }),
    );

    api.get(
      MES_ROUTES.plant,
      {
        schema: {
          operationId: 'getPlant',
          tags: ['plants'],
          params: siteParams,
          response: { 200: plantSchema, ...errorResponses([...E, 404]) },
        },
      },
      async (request) => plantOf(holder.state, request.params.site),
    );

    api.post(
      MES_ROUTES.dispatches,
      {
        schema: {
          operationId: 'dispatchOrder',
          summary: 'Dispatch a production order (OperationsRequest) to the plant floor; the MES may refuse it (422)',
          tags: ['dispatches'],
          headers: writeHeadersSchema,
          params: siteParams,
          body: dispatchRequestSchema,
          response: { 201: dispatchSchema, ...errorResponses([...E, 404, 409, 422]) },
        },
      },
      async (request, reply) => {
        const { site } = request.params;
        const refs = { site, orderRef: request.body.orderRef, material: request.body.material };
        return rest.write(request, reply, { operation: 'OperationsRequest.dispatch', refs }, () => {
          const dispatch = dispatchOrder(holder.state, site, request.body, server.faults.special('rejectDispatch', ''));
          return { status: 201, body: dispatch, applied: true, refs: { dispatchId: dispatch.dispatchId } };
        });
      },
    );

    api.get(
      MES_ROUTES.dispatches,
      {
        schema: {
          operationId: 'listDispatches',
          tags: ['dispatches'],
          params: siteParams,
          querystring: dispatchQuerySchema,
          response: { 200: dispatchListSchema, ...errorResponses([...E, 404]) },
        },
      },
      async (request) => {
        plantOf(holder.state, request.params.site);
        return {
          items: Object.values(holder.state.dispatches).filter(
            (d) =>
              d.site === request.params.site &&
              (request.query.status === undefined || d.status === request.query.status),
          ),
        };
      },
    );

    api.get(
      MES_ROUTES.dispatch,
      {
        schema: {
          operationId: 'getDispatch',
          tags: ['dispatches'],
          params: orderParams,
          response: { 200: dispatchSchema, ...errorResponses([...E, 404]) },
        },
      },
      async (request) => dispatchOf(holder.state, request.params.site, request.params.orderRef),
    );

    api.post(
      MES_ROUTES.recall,
      {
        schema: {
          operationId: 'recallDispatch',
          summary: 'Compensation: take the order back from the floor (no-op when never dispatched or already recalled)',
          tags: ['dispatches'],
          headers: writeHeadersSchema,
          params: orderParams,
          body: recallRequestSchema,
          response: { 200: recallResultSchema, ...errorResponses([...E, 404]) },
        },
      },
      async (request, reply) => {
        const { site, orderRef } = request.params;
        return rest.write(request, reply, { operation: 'OperationsRequest.recall', refs: { site, orderRef } }, () => {
          const result = recallOrder(holder.state, site, orderRef, request.body.reason);
          return { status: 200, body: result, applied: result.outcome === 'recalled' };
        });
      },
    );

    api.post(
      MES_ROUTES.holds,
      {
        schema: {
          operationId: 'holdOrder',
          summary: 'Place a hold (idempotent by holdId; holds stack)',
          tags: ['holds'],
          headers: writeHeadersSchema,
          params: orderParams,
          body: holdRequestSchema,
          response: { 200: holdResultSchema, 201: holdResultSchema, ...errorResponses([...E, 404, 422]) },
        },
      },
      async (request, reply) => {
        const { site, orderRef } = request.params;
        return rest.write(
          request,
          reply,
          { operation: 'OperationsRequest.hold', refs: { site, orderRef, holdId: request.body.holdId } },
          () => {
            const result = holdOrder(holder.state, site, orderRef, request.body);
            const applied = result.outcome === 'held';
            return { status: applied ? 201 : 200, body: result, applied };
          },
        );
      },
    );

    api.post(
      MES_ROUTES.releaseHold,
      {
        schema: {
          operationId: 'releaseHold',
          summary: 'Release one hold; the order resumes when no hold remains (no-op for an unknown or released hold)',
          tags: ['holds'],
          headers: writeHeadersSchema,
          params: z.object({ site: z.string(), orderRef: z.string(), holdId: z.string() }),
          body: releaseHoldRequestSchema,
          response: { 200: releaseHoldResultSchema, ...errorResponses([...E, 404]) },
        },
      },
      async (request, reply) => {
        const { site, orderRef, holdId } = request.params;
        return rest.write(
          request,
          reply,
          { operation: 'OperationsRequest.releaseHold', refs: { site, orderRef, holdId } },
          () => {
            const result = releaseHold(holder.state, site, orderRef, holdId, request.body.releasedBy);
            return { status: 200, body: result, applied: result.outcome !== 'not_held' };
          },
        );
      },
    );
  };
}
