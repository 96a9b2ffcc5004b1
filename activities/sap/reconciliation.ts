import { z } from 'zod';
import Decimal from 'decimal.js';
import type { BatchReading, ConfirmationReading, SapYieldReading } from '../../domain/reconciliation';
import { BATCH_SERVICE } from './batches';
import { CONFIRMATION_SERVICE } from './confirmations';
import { externalConfirmationId } from './idempotency';
import type { SapODataClient } from './odata-client';
import { literal, quantityFromSap, sapDateTime, sapDecimal, sapKey } from './odata-values';
import { businessRuleFailure } from '../shared/failures';

/**
 * Reconciliation's reads of SAP: one GET per call, a `$filter` over many orders or batches, so a long
 * look-back costs a bounded number of calls (each call is one activity on the rate-limited SAP queue).
 */
export const MAX_KEYS_PER_READ = 40;

const orderNo = z.string().regex(/^\d{1,12}$/);
export const checkConfirmationsInput = z.object({
  items: z.array(z.object({ order: orderNo, key: z.string().min(1) })).max(400),
});
export type SapCheckConfirmationsInput = z.infer<typeof checkConfirmationsInput>;

export const readBatchesInput = z.object({
  batches: z
    .array(z.object({ material: z.string().min(1).max(40), batch: z.string().min(1).max(10) }))
    .max(MAX_KEYS_PER_READ),
});
export type SapReadBatchesInput = z.infer<typeof readBatchesInput>;

const confirmationRow = z.object({
  OrderID: sapKey,
  OrderOperation: z.string(),
  ExternalSystemConfirmation: z.string(),
  IsReversed: z.boolean(),
  IsReversal: z.boolean(),
  ConfirmationUnit: z.string(),
  ConfirmationYieldQuantity: sapDecimal,
});
type ConfirmationRow = z.infer<typeof confirmationRow>;

export interface SapConfirmationsReading {
  confirmations: ConfirmationReading[];
  /** Active confirmed yield per order and operation, from the same GET (no call of its own). */
  yields: SapYieldReading[];
}

const batchRow = z.object({
  Material: z.string(),
  Batch: z.string(),
  MatlBatchIsInRstrcdUseStock: z.boolean(),
  LastChangeDateTime: sapDateTime,
});

function parse<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw businessRuleFailure(`${what}: ${parsed.error.message}`, { system: 'sap' });
  return parsed.data;
}

/** The key a re-application of `key` posts with after `n` cancellations (a cancelled GUID stays taken). */
export function reapplyKey(key: string, n: number): string {
  return n === 0 ? key : `${key}/reapply/${n}`;
}

/**
 * For each recorded confirmation: is it active in SAP, cancelled, or absent? Follows the chain of
 * re-applications (key, key/reapply/1, …) so a cancelled-then-reapplied confirmation reads as posted.
 */
export async function checkConfirmations(
  client: SapODataClient,
  input: SapCheckConfirmationsInput,
): Promise<ConfirmationReading[]> {
  return (await readConfirmations(client, input)).confirmations;
}

/** checkConfirmations, and the yield SAP holds per operation of the same orders, from the same rows. */
export async function readConfirmations(
  client: SapODataClient,
  input: SapCheckConfirmationsInput,
): Promise<SapConfirmationsReading> {
  const { items } = parse(checkConfirmationsInput, input, 'sapCheckConfirmations');
  const orders = [...new Set(items.map((i) => i.order))];
  if (orders.length > MAX_KEYS_PER_READ)
    throw businessRuleFailure(`sapCheckConfirmations: at most ${MAX_KEYS_PER_READ} orders per read`, { system: 'sap' });
  if (orders.length === 0) return { confirmations: [], yields: [] };
  const rows = await client.list(
    CONFIRMATION_SERVICE,
    'ProdnOrdConf2',
    confirmationRow,
    `confirmations of ${orders.length} orders`,
    {
      $filter: orders.map((o) => `OrderID eq ${literal.string(o)}`).join(' or '),
      $select:
        'OrderID,OrderOperation,ExternalSystemConfirmation,IsReversed,IsReversal,ConfirmationUnit,ConfirmationYieldQuantity',
    },
  );
  const byGuid = new Map<string, ConfirmationRow>();
  for (const r of rows) if (!r.IsReversal) byGuid.set(r.ExternalSystemConfirmation.toLowerCase(), r);
  const confirmations = items.map(({ key }): ConfirmationReading => {
    for (let n = 0; ; n++) {
      const found = byGuid.get(externalConfirmationId(reapplyKey(key, n)));
      if (!found) return { key, state: n === 0 ? 'missing' : 'reversed', reversals: n, reapplyKey: reapplyKey(key, n) };
      if (!found.IsReversed) return { key, state: 'posted', reversals: n, reapplyKey: reapplyKey(key, n) };
    }
  });
  return { confirmations, yields: activeYields(rows) };
}

/** Sums the active confirmations' yield per order, operation and unit (a cancelled one and its reversal net out). */
function activeYields(rows: ConfirmationRow[]): SapYieldReading[] {
  const sums = new Map<string, { order: string; operation: string; unit: string; value: Decimal; n: number }>();
  for (const r of rows) {
    if (r.IsReversal || r.IsReversed) continue;
    const k = `${r.OrderID}|${r.OrderOperation}|${r.ConfirmationUnit}`;
    const sum = sums.get(k) ?? {
      order: r.OrderID,
      operation: r.OrderOperation,
      unit: r.ConfirmationUnit,
      value: new Decimal(0),
      n: 0,
    };
    sum.value = sum.value.plus(r.ConfirmationYieldQuantity);
    sum.n += 1;
    sums.set(k, sum);
  }
  return [...sums.values()].map((s) => ({
    order: s.order,
    operation: s.operation,
    yield: quantityFromSap(s.value.toFixed(), s.unit, `confirmed yield of order ${s.order} operation ${s.operation}`),
    confirmations: s.n,
  }));
}

/** Restriction flag and last change of many batches in one read; a batch SAP lacks reads as not found. */
export async function readBatches(client: SapODataClient, input: SapReadBatchesInput): Promise<BatchReading[]> {
  const { batches } = parse(readBatchesInput, input, 'sapReadBatches');
  if (batches.length === 0) return [];
  const rows = await client.list(BATCH_SERVICE, 'Batch', batchRow, `${batches.length} batches`, {
    $filter: batches
      .map((b) => `(Material eq ${literal.string(b.material)} and Batch eq ${literal.string(b.batch)})`)
      .join(' or '),
    $select: 'Material,Batch,MatlBatchIsInRstrcdUseStock,LastChangeDateTime',
  });
  const found = new Map(rows.map((r) => [`${r.Material}:${r.Batch}`, r]));
  return batches.map(({ material, batch }) => {
    const row = found.get(`${material}:${batch}`);
    return row
      ? {
          material,
          batch,
          found: true,
          restricted: row.MatlBatchIsInRstrcdUseStock,
          lastChangedAt: row.LastChangeDateTime ?? undefined,
        }
      : { material, batch, found: false, restricted: false };
  });
}
