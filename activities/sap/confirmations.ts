import { z } from 'zod';
import { externalConfirmationId } from './idempotency';
import { checkInput, inputSchemas } from './inputs';
import type { SapODataClient } from './odata-client';
import { literal, quantityToSap, sapKey, toSapDate } from './odata-values';
import { readProductionOrder } from './orders';
import { defaultStorageLocation } from './plant';
import { businessRuleFailure } from '../shared/failures';
import { isBusinessRule, isNotFound } from './sap-errors';
import type { SapPostConfirmationInput, SapPostConfirmationResult } from './types';

export const CONFIRMATION_SERVICE = 'API_PROD_ORDER_CONFIRMATION_2_SRV';

const confirmationSchema = z.object({
  ConfirmationGroup: sapKey,
  ConfirmationCount: sapKey,
  IsReversed: z.boolean(),
  IsReversal: z.boolean(),
});

const SELECT = 'ConfirmationGroup,ConfirmationCount,IsReversed,IsReversal';

/**
 * The confirmation posted with this key, if any: filtered by order and GUID (an indexed read on a real
 * system). A system that cannot filter on the GUID gets the order's confirmations, matched here.
 */
async function findByExternalId(client: SapODataClient, order: string, guid: string, what: string) {
  const byOrder = `OrderID eq ${literal.string(order)}`;
  try {
    const found = await client.list(CONFIRMATION_SERVICE, 'ProdnOrdConf2', confirmationSchema, what, {
      $filter: `${byOrder} and ExternalSystemConfirmation eq ${literal.guid(guid)}`,
      $select: SELECT,
    });
    return found[0];
  } catch (err) {
    if (!isBusinessRule(err) || isNotFound(err)) throw err;
    const all = await client.list(
      CONFIRMATION_SERVICE,
      'ProdnOrdConf2',
      confirmationSchema.extend({ ExternalSystemConfirmation: z.string() }),
      what,
      { $filter: byOrder, $select: `${SELECT},ExternalSystemConfirmation` },
    );
    return all.find((c) => c.ExternalSystemConfirmation.toLowerCase() === guid.toLowerCase());
  }
}

/**
 * Posts an operation confirmation (yield/scrap/rework, partial or final) with optional goods movements.
 * Exactly once: the ExternalSystemConfirmation GUID derived from the idempotency key is searched first.
 */
export async function postConfirmation(
  client: SapODataClient,
  input: SapPostConfirmationInput,
): Promise<SapPostConfirmationResult> {
  const i = checkInput(inputSchemas.confirmation, input, 'sapPostConfirmation');
  const guid = externalConfirmationId(i.idempotencyKey);
  const what = `confirmation of order ${i.order} operation ${i.operation}`;
  const existing = await findByExternalId(client, i.order, guid, what);
  if (existing) {
    return {
      confirmationGroup: existing.ConfirmationGroup,
      confirmationCount: existing.ConfirmationCount,
      alreadyPosted: true,
      externalSystemConfirmation: guid,
      messages: [],
    };
  }
  const unit = quantityToSap(i.yield).unit;
  for (const extra of [i.scrap, i.rework]) {
    if (extra && quantityToSap(extra).unit !== unit) {
      throw businessRuleFailure(`${what}: scrap and rework must use the yield's unit ${i.yield.uom}`, {
        system: 'sap',
      });
    }
  }
  const payload: Record<string, unknown> = {
    OrderID: i.order,
    OrderOperation: i.operation,
    ConfirmationUnit: unit,
    ConfirmationYieldQuantity: quantityToSap(i.yield).value,
    ...(i.scrap ? { ConfirmationScrapQuantity: quantityToSap(i.scrap).value } : {}),
    ...(i.rework ? { ConfirmationReworkQuantity: quantityToSap(i.rework).value } : {}),
    IsFinalConfirmation: i.final,
    ExternalSystemConfirmation: guid,
    ...(i.postingDate ? { PostingDate: toSapDate(i.postingDate) } : {}),
  };
  if (i.goodsMovements && i.goodsMovements.length > 0) {
    // Goods issues refer to the order's reservation items, so read them once.
    const order = await readProductionOrder(client, { order: i.order });
    payload.to_ProdnOrdConfMatlDocItm = {
      results: i.goodsMovements.map((m) => {
        const component =
          m.movementType === '261' ? order.components.find((c) => c.material === m.material) : undefined;
        const q = quantityToSap(m.quantity);
        return {
          Material: m.material,
          Plant: order.plant,
          StorageLocation:
            m.storageLocation ??
            component?.storageLocation ??
            (m.movementType === '101' ? order.storageLocation : defaultStorageLocation(order.plant, m.movementType)),
          ...(m.batch ? { Batch: m.batch } : {}),
          GoodsMovementType: m.movementType,
          EntryUnit: q.unit,
          QuantityInEntryUnit: q.value,
          ...(component ? { Reservation: component.reservation, ReservationItem: component.reservationItem } : {}),
        };
      }),
    };
  }
  const created = await client.create(CONFIRMATION_SERVICE, 'ProdnOrdConf2', payload, confirmationSchema, what);
  return {
    confirmationGroup: created.data.ConfirmationGroup,
    confirmationCount: created.data.ConfirmationCount,
    alreadyPosted: false,
    externalSystemConfirmation: guid,
    messages: created.messages,
  };
}
