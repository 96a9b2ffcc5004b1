import { qty } from '../../domain/quantity';
import { businessRuleFailure } from '../shared/failures';
import { fillPath } from '../../contracts/rest-common';
import {
  dispatchSchema,
  holdResultSchema,
  MES_ROUTES,
  recallResultSchema,
  releaseHoldResultSchema,
  type Dispatch,
} from '../../contracts/mes';
import type { RestJsonClient, RestResult } from '../shared/rest-client';
import type {
  MesDispatchOrderInput,
  MesDispatchOrderResult,
  MesHoldOrderInput,
  MesHoldOrderResult,
  MesRecallDispatchInput,
  MesRecallDispatchResult,
  MesResumeOrderInput,
  MesResumeOrderResult,
} from './types';

const orderPath = (pattern: string, site: string, orderRef: string, extra: Record<string, string> = {}): string =>
  fillPath(pattern, { site, orderRef, ...extra });

/** A 404 that says the order is not on the floor (as opposed to an unknown plant, which is a real error). */
function notDispatched<T>(client: RestJsonClient, result: RestResult<T>, what: string): boolean {
  if (result.ok) return false;
  if (result.status === 404 && result.error.code === 'dispatch_not_found') return true;
  throw client.failure(result.status, {}, result.error, what);
}

export async function getDispatch(
  client: RestJsonClient,
  input: { site: string; orderRef: string },
): Promise<Dispatch | null> {
  const what = `dispatch of order ${input.orderRef}`;
  const result = await client.call({
    method: 'GET',
    path: orderPath(MES_ROUTES.dispatch, input.site, input.orderRef),
    schema: dispatchSchema,
    what,
    tolerate: [404],
  });
  if (notDispatched(client, result, what) || !result.ok) return null;
  return result.data;
}

/**
 * Dispatches the order to the plant. A floor refusal (422 dispatch_rejected) becomes a BusinessRule
 * failure carrying the MES's own reason, so the release saga compensates and reports it. An order already
 * on the floor with the same material and quantity is adopted (its first answer was lost).
 */
export async function dispatchOrder(
  client: RestJsonClient,
  input: MesDispatchOrderInput,
): Promise<MesDispatchOrderResult> {
  const { idempotencyKey, site, ...body } = input;
  const what = `dispatch of order ${input.orderRef}`;
  const result = await client.call({
    method: 'POST',
    path: fillPath(MES_ROUTES.dispatches, { site }),
    body,
    idempotencyKey,
    schema: dispatchSchema,
    what,
    tolerate: [409, 422],
  });
  if (result.ok) {
    const d = result.data;
    return { outcome: 'dispatched', dispatchId: d.dispatchId, status: d.status, dispatchedAt: d.dispatchedAt };
  }
  if (result.status === 422 && result.error.code === 'dispatch_rejected') {
    throw businessRuleFailure(`mes rejected the dispatch of order ${input.orderRef}: ${result.error.message}`, {
      system: 'mes',
      status: 422,
      code: 'dispatch_rejected',
      reason: result.error.message,
      site,
      orderRef: input.orderRef,
    });
  }
  if (result.status !== 409 || result.error.code !== 'dispatch_exists')
    throw client.failure(result.status, {}, result.error, what);
  const existing = await getDispatch(client, { site, orderRef: input.orderRef });
  const same =
    existing !== null &&
    existing.material === input.material &&
    existing.quantity.uom === input.quantity.uom &&
    qty.eq(existing.quantity, input.quantity);
  if (!existing || !same) {
    throw businessRuleFailure(`mes: order ${input.orderRef} is already on the floor with different content`, {
      system: 'mes',
      status: 409,
      code: 'dispatch_exists',
      dispatchId: existing?.dispatchId,
    });
  }
  return {
    outcome: 'already_dispatched',
    dispatchId: existing.dispatchId,
    status: existing.status,
    dispatchedAt: existing.dispatchedAt,
  };
}

/** Compensation of the dispatch: tolerant of an order the MES never received, and of a second recall. */
export async function recallDispatch(
  client: RestJsonClient,
  input: MesRecallDispatchInput,
): Promise<MesRecallDispatchResult> {
  const result = await client.send({
    method: 'POST',
    path: orderPath(MES_ROUTES.recall, input.site, input.orderRef),
    body: { reason: input.reason },
    idempotencyKey: input.idempotencyKey,
    schema: recallResultSchema,
    what: `recall of order ${input.orderRef}`,
  });
  return { outcome: result.outcome, status: result.dispatch?.status ?? null };
}

export async function holdOrder(client: RestJsonClient, input: MesHoldOrderInput): Promise<MesHoldOrderResult> {
  const what = `hold ${input.holdId} on order ${input.orderRef}`;
  const result = await client.call({
    method: 'POST',
    path: orderPath(MES_ROUTES.holds, input.site, input.orderRef),
    body: { holdId: input.holdId, reason: input.reason, placedBy: input.placedBy },
    idempotencyKey: input.idempotencyKey,
    schema: holdResultSchema,
    what,
    tolerate: [404],
  });
  if (notDispatched(client, result, what) || !result.ok)
    return { outcome: 'not_dispatched', status: null, activeHoldIds: [] };
  const d = result.data.dispatch;
  return { outcome: result.data.outcome, status: d.status, activeHoldIds: d.activeHoldIds };
}

export async function resumeOrder(client: RestJsonClient, input: MesResumeOrderInput): Promise<MesResumeOrderResult> {
  const what = `release of hold ${input.holdId} on order ${input.orderRef}`;
  const result = await client.call({
    method: 'POST',
    path: orderPath(MES_ROUTES.releaseHold, input.site, input.orderRef, { holdId: input.holdId }),
    body: { releasedBy: input.releasedBy },
    idempotencyKey: input.idempotencyKey,
    schema: releaseHoldResultSchema,
    what,
    tolerate: [404],
  });
  if (notDispatched(client, result, what) || !result.ok)
    return { outcome: 'not_dispatched', status: null, activeHoldIds: [] };
  const d = result.data.dispatch;
  return { outcome: result.data.outcome, status: d.status, activeHoldIds: d.activeHoldIds };
}
