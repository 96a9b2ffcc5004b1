import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  activationQuerySchema,
  activationRequestSchema,
  deactivateForOrderRequestSchema,
  deactivateRequestSchema,
  deactivationSchema,
  inspectionPlanListSchema,
  inspectionPlanSchema,
  planActivationListSchema,
  planActivationSchema,
  QMS_ROUTES,
  testResultListSchema,
  testResultQuerySchema,
  testResultRequestSchema,
  testResultSchema,
} from '../../../contracts/qms';
import { COMMON_ERROR_STATUSES, errorResponses, writeHeadersSchema } from '../../../contracts/rest-common';
import { notFound } from '../../shared/rest-kit/errors';
import { activatePlan, deactivateById, deactivateForOrder, recordResult } from '../model/plans';
import type { QmsRouteContext } from './context';

const E = COMMON_ERROR_STATUSES;

export function planRoutes({ holder, rest }: QmsRouteContext): FastifyPluginAsyncZod {
  return async (api) => {
    api.get(
      QMS_ROUTES.inspectionPlans,
      {
        schema: {
          operationId: 'listInspectionPlans',
          tags: ['inspection plans'],
          querystring: z.object({ material: z.string().optional() }),
          response: { 200: inspectionPlanListSchema, ...errorResponses(E) },
        },
      },
      async (request) => ({
        items: Object.values(holder.state.plans).filter(
          (p) => !request.query.material || p.material === request.query.material,
        ),
      }),
    );

    api.get(
      QMS_ROUTES.inspectionPlan,
      {
        schema: {
          operationId: 'getInspectionPlan',
          tags: ['inspection plans'],
          params: z.object({ material: z.string() }),
          response: { 200: inspectionPlanSchema, ...errorResponses([...E, 404]) },
        },
      },
      async (request) => {
        const plan = holder.state.plans[request.params.material];
        if (!plan) throw notFound('plan_not_found', `no inspection plan for material ${request.params.material}`);
        return plan;
      },
    );

    api.post(
      QMS_ROUTES.activations,
      {
        schema: {
          operationId: 'activateInspectionPlan',
          summary: "Activate the material's inspection plan for a production order",
          tags: ['inspection plans'],
          headers: writeHeadersSchema,
          body: activationRequestSchema,
          response: { 201: planActivationSchema, ...errorResponses([...E, 409, 422]) },
        },
      },
      async (request, reply) => {
        const { site, orderRef, material } = request.body;
        return rest.write(
          request,
          reply,
          { operation: 'InspectionPlanActivation.activate', refs: { site, orderRef, material } },
          () => {
            const activation = activatePlan(holder.state, request.body);
            return { status: 201, body: activation, applied: true, refs: { activationId: activation.activationId } };
          },
        );
      },
    );

    api.get(
      QMS_ROUTES.activations,
      {
        schema: {
          operationId: 'listInspectionPlanActivations',
          tags: ['inspection plans'],
          querystring: activationQuerySchema,
          response: { 200: planActivationListSchema, ...errorResponses(E) },
        },
      },
      async (request) => {
        const q = request.query;
        return {
          items: Object.values(holder.state.activations).filter(
            (a) =>
              (q.site === undefined || a.site === q.site) &&
              (q.orderRef === undefined || a.orderRef === q.orderRef) &&
              (q.status === undefined || a.status === q.status),
          ),
        };
      },
    );

    api.get(
      QMS_ROUTES.activation,
      {
        schema: {
          operationId: 'getInspectionPlanActivation',
          tags: ['inspection plans'],
          params: z.object({ activationId: z.string() }),
          response: { 200: planActivationSchema, ...errorResponses([...E, 404]) },
        },
      },
      async (request) => {
        const a = holder.state.activations[request.params.activationId];
        if (!a) throw notFound('activation_not_found', `no plan activation ${request.params.activationId}`);
        return a;
      },
    );

    api.post(
      QMS_ROUTES.deactivateActivation,
      {
        schema: {
          operationId: 'deactivateInspectionPlanActivation',
          tags: ['inspection plans'],
          headers: writeHeadersSchema,
          params: z.object({ activationId: z.string() }),
          body: deactivateRequestSchema,
          response: { 200: deactivationSchema, ...errorResponses([...E, 404]) },
        },
      },
      async (request, reply) => {
        const { activationId } = request.params;
        return rest.write(
          request,
          reply,
          { operation: 'InspectionPlanActivation.deactivate', refs: { activationId } },
          () => {
            const result = deactivateById(holder.state, activationId, request.body.reason);
            return { status: 200, body: result, applied: result.outcome === 'deactivated' };
          },
        );
      },
    );

    api.post(
      QMS_ROUTES.deactivateForOrder,
      {
        schema: {
          operationId: 'deactivateInspectionPlanForOrder',
          summary: 'Compensation: deactivate whatever is active for the order (no-op when nothing is)',
          tags: ['inspection plans'],
          headers: writeHeadersSchema,
          body: deactivateForOrderRequestSchema,
          response: { 200: deactivationSchema, ...errorResponses(E) },
        },
      },
      async (request, reply) => {
        const { site, orderRef, reason } = request.body;
        return rest.write(
          request,
          reply,
          { operation: 'InspectionPlanActivation.deactivate', refs: { site, orderRef } },
          () => {
            const result = deactivateForOrder(holder.state, site, orderRef, reason);
            const ids = result.activations.map((a) => a.activationId).join(',');
            return {
              status: 200,
              body: result,
              applied: result.outcome === 'deactivated',
              refs: ids ? { activationId: ids } : ({} as Record<string, string>),
            };
          },
        );
      },
    );

    api.post(
      QMS_ROUTES.inspectionResults,
      {
        schema: {
          operationId: 'recordInspectionResult',
          tags: ['inspection results'],
          headers: writeHeadersSchema,
          body: testResultRequestSchema,
          response: { 201: testResultSchema, ...errorResponses([...E, 422]) },
        },
      },
      async (request, reply) => {
        const { lotId, material, characteristic } = request.body;
        return rest.write(
          request,
          reply,
          { operation: 'TestResult.record', refs: { lotId, material, characteristic } },
          () => {
            const result = recordResult(holder.state, request.body);
            return { status: 201, body: result, applied: true, refs: { resultId: result.resultId } };
          },
        );
      },
    );

    api.get(
      QMS_ROUTES.inspectionResults,
      {
        schema: {
          operationId: 'listInspectionResults',
          tags: ['inspection results'],
          querystring: testResultQuerySchema,
          response: { 200: testResultListSchema, ...errorResponses(E) },
        },
      },
      async (request) => {
        const q = request.query;
        return {
          items: holder.state.results.filter(
            (r) =>
              (q.lotId === undefined || r.lotId === q.lotId) &&
              (q.material === undefined || r.material === q.material) &&
              (q.characteristic === undefined || r.characteristic === q.characteristic),
          ),
        };
      },
    );

    api.get(
      QMS_ROUTES.inspectionResult,
      {
        schema: {
          operationId: 'getInspectionResult',
          tags: ['inspection results'],
          params: z.object({ resultId: z.string() }),
          response: { 200: testResultSchema, ...errorResponses([...E, 404]) },
        },
      },
      async (request) => {
        const r = holder.state.results.find((x) => x.resultId === request.params.resultId);
        if (!r) throw notFound('result_not_found', `no inspection result ${request.params.resultId}`);
        return r;
      },
    );
  };
}
