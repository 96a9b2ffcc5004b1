import { z } from 'zod';
import { externalConfirmationId } from './idempotency';
import { checkInput, inputSchemas } from './inputs';
import type { SapODataClient } from './odata-client';
import { entityPath, literal, quantityToSap, sapKey, toSapDate } from './odata-values';
import { readProductionOrder } from './orders';
import { defaultStorageLocation } from './plant';
import { businessRuleFailure } from '../shared/failures';
import { isBusinessRule, isNotFound } from './sap-errors';
import type {
  SapCancelConfirmationInput,
  SapCancelConfirmationResult,
  SapPostConfirmationInput,
  SapPostConfirmationResult,
} from './types';

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

/**
 * Reverses a confirmation (CancelProdnOrdConf): quantities and goods movements are rolled back by SAP.
 * Already reversed, or never posted → no-op with a clear outcome (it is used as a compensation).
 */
export async function cancelConfirmation(
  client: SapODataClient,
  input: SapCancelConfirmationInput,
): Promise<SapCancelConfirmationResult> {
  const i = checkInput(inputSchemas.cancelConfirmation, input, 'sapCancelConfirmation');
  const guid = externalConfirmationId(i.idempotencyKey, 'confirmation-cancel');
  const what = `cancellation of confirmation ${i.confirmationGroup}/${i.confirmationCount}`;
  const path = entityPath('ProdnOrdConf2', {
    ConfirmationGroup: literal.string(i.confirmationGroup),
    ConfirmationCount: literal.string(i.confirmationCount),
  });
  const original = await client.readOptional(
    CONFIRMATION_SERVICE,
    path,
    confirmationSchema.extend({ OrderID: z.string() }),
    what,
    { $select: `${SELECT},OrderID` },
  );
  if (!original) return { outcome: 'not-found', messages: [] };
  const reversal = await findByExternalId(client, original.data.OrderID, guid, what);
  if (reversal) return { outcome: 'already-cancelled', reversalCount: reversal.ConfirmationCount, messages: [] };
  if (original.data.IsReversal)
    throw businessRuleFailure(`${what}: the record is itself a cancellation`, { system: 'sap' });
  if (original.data.IsReversed) return { outcome: 'already-cancelled', messages: [] };
  try {
    const answer = await client.call(
      CONFIRMATION_SERVICE,
      'CancelProdnOrdConf',
      {
        ConfirmationGroup: literal.string(i.confirmationGroup),
        ConfirmationCount: literal.string(i.confirmationCount),
        ExternalSystemConfirmation: literal.guid(guid),
      },
      confirmationSchema,
      what,
      false,
    );
    return { outcome: 'cancelled', reversalCount: answer.data.ConfirmationCount, messages: answer.messages };
  } catch (err) {
    if (isNotFound(err)) return { outcome: 'not-found', messages: [] };
    if (!isBusinessRule(err)) throw err;
    // Reversed meanwhile by someone else (or by an attempt whose answer we lost): same end state.
    const now = await client.readOptional(CONFIRMATION_SERVICE, path, confirmationSchema, what, { $select: SELECT });
    if (now?.data.IsReversed) return { outcome: 'already-cancelled', messages: [] };
    throw err;
  }
}
