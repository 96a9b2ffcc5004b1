import { z } from 'zod';
import { fromOdooQuantity, openProduction, productionChain, type ProductionRecord } from './lookup';
import { producingLots } from './manufacturing-order';
import type { OdooClient } from './client';
import type { OdooMoRef, OdooOpenProduction, OdooPendingCheck } from './types';

/**
 * What an order's workflow asks before producing into a lot and before marking done: the MO of the
 * chain that takes postings now, the lot it holds, and the quality checks that block its mark-done.
 */
const checkSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  title: z.union([z.string(), z.literal(false)]),
});

/** A point title is the characteristic code, or "<code> - description" (the convention of quality.ts). */
export function characteristicOfTitle(title: string): string {
  return title.split(' - ')[0]!.trim();
}

async function pendingChecks(client: OdooClient, mo: ProductionRecord): Promise<OdooPendingCheck[]> {
  const rows = await client.searchRead(
    'quality.check',
    [
      ['production_id', '=', mo.id],
      ['quality_state', '=', 'none'],
    ],
    ['name', 'title'],
    checkSchema,
    { order: 'id asc' },
  );
  return rows.map((c) => {
    const title = c.title || c.name;
    return { checkId: c.id, checkName: c.name, title, characteristic: characteristicOfTitle(title) };
  });
}

async function lotOf(client: OdooClient, mo: ProductionRecord): Promise<string | null> {
  return (await producingLots(client, mo))[0] ?? null;
}

export async function readOpenProduction(client: OdooClient, input: OdooMoRef): Promise<OdooOpenProduction> {
  const chain = await productionChain(client, input.moName);
  const mo = await openProduction(client, input.moName);
  const open = mo.state !== 'done' && mo.state !== 'cancel';
  return {
    moName: mo.name,
    open,
    state: mo.state,
    lot: await lotOf(client, mo),
    quantity: fromOdooQuantity(mo.product_qty, mo.product_uom_id),
    qtyProducing: fromOdooQuantity(mo.qty_producing, mo.product_uom_id),
    pendingChecks: open ? await pendingChecks(client, mo) : [],
    chain: await Promise.all(chain.map(async (m) => ({ moName: m.name, state: m.state, lot: await lotOf(client, m) }))),
  };
}
