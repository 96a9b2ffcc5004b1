import { businessRuleFailure } from '../shared/failures';
import { fillPath } from '../../contracts/rest-common';
import {
  deactivationSchema,
  inspectionPlanSchema,
  planActivationListSchema,
  planActivationSchema,
  QMS_ROUTES,
  testResultListSchema,
  testResultSchema,
  type InspectionPlan,
  type TestResult,
} from '../../contracts/qms';
import type { RestJsonClient } from '../shared/rest-client';
import type {
  QmsActivateInspectionPlanInput,
  QmsActivateInspectionPlanResult,
  QmsDeactivateInspectionPlanInput,
  QmsDeactivateInspectionPlanResult,
  QmsRecordInspectionResultInput,
} from './types';

/**
 * Activates the material's plan for the order. If the order already has an active activation (the first
 * attempt landed but its answer was lost, under another key), that one is adopted when it is for the same
 * material; a different material is a real conflict.
 */
export async function activateInspectionPlan(
  client: RestJsonClient,
  input: QmsActivateInspectionPlanInput,
): Promise<QmsActivateInspectionPlanResult> {
  const { idempotencyKey, site, orderRef, material, quantity } = input;
  const created = await client.call({
    method: 'POST',
    path: QMS_ROUTES.activations,
    body: { site, orderRef, material, quantity },
    idempotencyKey,
    schema: planActivationSchema,
    what: `inspection plan activation for order ${orderRef}`,
    tolerate: [409],
  });
  if (created.ok) return { outcome: 'activated', activation: created.data };
  if (created.error.code !== 'activation_exists')
    throw client.failure(created.status, {}, created.error, 'inspection plan activation');
  const { items } = await client.send({
    method: 'GET',
    path: QMS_ROUTES.activations,
    query: { site, orderRef, status: 'active' },
    schema: planActivationListSchema,
    what: `plan activations of order ${orderRef}`,
  });
  const existing = items.find((a) => a.material === material);
  if (!existing) {
    throw businessRuleFailure(`qms: order ${orderRef} already has an active inspection plan for another material`, {
      system: 'qms',
      code: 'activation_exists',
      activationIds: items.map((a) => a.activationId),
    });
  }
  return { outcome: 'already_active', activation: existing };
}

/** Compensation of the activation: a no-op when nothing is active for the order. */
export async function deactivateInspectionPlan(
  client: RestJsonClient,
  input: QmsDeactivateInspectionPlanInput,
): Promise<QmsDeactivateInspectionPlanResult> {
  const result = await client.send({
    method: 'POST',
    path: QMS_ROUTES.deactivateForOrder,
    body: { site: input.site, orderRef: input.orderRef, reason: input.reason ?? 'order release compensated' },
    idempotencyKey: input.idempotencyKey,
    schema: deactivationSchema,
    what: `inspection plan deactivation for order ${input.orderRef}`,
  });
  return {
    outcome: result.outcome === 'nothing_active' ? 'nothing_active' : 'deactivated',
    activationIds: result.activations.map((a) => a.activationId),
  };
}

export async function getInspectionPlan(
  client: RestJsonClient,
  input: { material: string },
): Promise<InspectionPlan | null> {
  const result = await client.call({
    method: 'GET',
    path: fillPath(QMS_ROUTES.inspectionPlan, { material: input.material }),
    schema: inspectionPlanSchema,
    what: `inspection plan of ${input.material}`,
    tolerate: [404],
  });
  return result.ok ? result.data : null;
}

export async function recordInspectionResult(
  client: RestJsonClient,
  input: QmsRecordInspectionResultInput,
): Promise<TestResult> {
  const { idempotencyKey, ...body } = input;
  return client.send({
    method: 'POST',
    path: QMS_ROUTES.inspectionResults,
    body,
    idempotencyKey,
    schema: testResultSchema,
    what: `inspection result ${input.characteristic} for lot ${input.lotId}`,
  });
}

export async function listInspectionResults(
  client: RestJsonClient,
  input: { lotId: string; material?: string },
): Promise<TestResult[]> {
  const { items } = await client.send({
    method: 'GET',
    path: QMS_ROUTES.inspectionResults,
    query: { lotId: input.lotId, material: input.material },
    schema: testResultListSchema,
    what: `inspection results of lot ${input.lotId}`,
  });
  return items;
}
