import { z } from 'zod';
import { invalidResponseFailure } from '../shared/failures';
import { m2oId, m2oName, m2oSchema, type OdooClient } from './client';
import {
  findProduction,
  fromOdooQuantity,
  readProduct,
  readProduction,
  refuse,
  requireProduction,
  sumQuantities,
  type ProductionRecord,
} from './lookup';
import type {
  OdooCancelResult,
  OdooComponentView,
  OdooManufacturingOrder,
  OdooMarkDoneInput,
  OdooMarkDoneResult,
  OdooMoRef,
  OdooStateChange,
} from './types';
import { lotIdsOf } from './versions';
import { readWorkorders } from './workorders';

const moveSchema = z
  .object({
    id: z.number().int(),
    product_id: m2oSchema,
    product_uom_qty: z.number(),
    product_uom: m2oSchema,
    state: z.string(),
    move_line_ids: z.array(z.number().int()),
  })
  .loose();
const lineSchema = z
  .object({ id: z.number().int(), move_id: m2oSchema, lot_id: m2oSchema, quantity: z.number(), picked: z.boolean() })
  .loose();

async function lotNames(client: OdooClient, ids: number[]): Promise<string[]> {
  const lots = await client.read('stock.lot', ids, ['name'], z.object({ id: z.number(), name: z.string() }).loose());
  return lots.map((l) => l.name);
}

async function components(client: OdooClient, mo: ProductionRecord): Promise<OdooComponentView[]> {
  const moves = await client.read('stock.move', mo.move_raw_ids, Object.keys(moveSchema.shape), moveSchema);
  const lines = await client.read(
    'stock.move.line',
    moves.flatMap((m) => m.move_line_ids),
    Object.keys(lineSchema.shape),
    lineSchema,
  );
  const productIds = [...new Set(moves.map((m) => m_id(m.product_id)))];
  const products = await client.read(
    'product.product',
    productIds,
    ['default_code'],
    z.object({ id: z.number(), default_code: z.union([z.string(), z.literal(false)]) }).loose(),
  );
  const codeOf = new Map(products.map((p) => [p.id, p.default_code || `product ${p.id}`]));
  return moves.map((move) => {
    const picked = lines.filter((l) => m2oId(l.move_id) === move.id && l.picked);
    return {
      product: codeOf.get(m_id(move.product_id)) ?? '',
      quantity: fromOdooQuantity(move.product_uom_qty, move.product_uom),
      moveId: move.id,
      pickedQuantity: fromOdooQuantity(sumQuantities(picked.map((l) => l.quantity)), move.product_uom),
      lots: [...new Set(picked.map((l) => m2oName(l.lot_id)).filter((n): n is string => !!n))],
      state: move.state,
    };
  });
}

function m_id(value: z.infer<typeof m2oSchema>): number {
  const id = m2oId(value);
  if (id === undefined)
    throw invalidResponseFailure('Odoo returned a stock move without product', { system: 'odoo', what: 'stock.move' });
  return id;
}

/** Lots the order produces: its finished move lines plus lot_producing_id(s). */
export async function producingLots(client: OdooClient, mo: ProductionRecord): Promise<string[]> {
  const finished = await client.read(
    'stock.move',
    mo.move_finished_ids,
    ['product_id', 'move_line_ids'],
    z.object({ product_id: m2oSchema, move_line_ids: z.array(z.number()) }).loose(),
  );
  const own = finished.filter((m) => m2oId(m.product_id) === m2oId(mo.product_id));
  const lines = await client.read(
    'stock.move.line',
    own.flatMap((m) => m.move_line_ids),
    ['lot_id'],
    z.object({ lot_id: m2oSchema }).loose(),
  );
  const fromLines = lines.map((l) => m2oName(l.lot_id)).filter((n): n is string => !!n);
  const fromField = await lotNames(client, lotIdsOf(mo[client.traits.lotProducingField]));
  return [...new Set([...fromLines, ...fromField])];
}

export async function readManufacturingOrder(client: OdooClient, input: OdooMoRef): Promise<OdooManufacturingOrder> {
  const mo = await requireProduction(client, input.moName);
  const product = await readProduct(client, m_id(mo.product_id));
  return {
    id: mo.id,
    name: mo.name,
    state: mo.state,
    product: product.default_code || `product ${product.id}`,
    quantity: fromOdooQuantity(mo.product_qty, mo.product_uom_id),
    qtyProducing: fromOdooQuantity(mo.qty_producing, mo.product_uom_id),
    components: await components(client, mo),
    workorders: (await readWorkorders(client, mo)).map((w) => ({
      id: w.id,
      operation: w.operation,
      name: w.name,
      state: w.state,
    })),
    lotsProducing: await producingLots(client, mo),
    origin: mo.origin || null,
  };
}

/** action_confirm only on a draft order: confirming is a state guard, so a retry is a no-op. */
export async function confirmManufacturingOrder(client: OdooClient, input: OdooMoRef): Promise<OdooStateChange> {
  const mo = await requireProduction(client, input.moName);
  if (mo.state === 'cancel') throw refuse(`Odoo manufacturing order ${mo.name} is cancelled`, { moName: mo.name });
  if (mo.state !== 'draft') return { moName: mo.name, state: mo.state, changed: false };
  await client.call('mrp.production', 'action_confirm', { ids: [mo.id] });
  const after = await readProduction(client, mo.id);
  return { moName: after.name, state: after.state, changed: true };
}

/**
 * Compensation of the confirmation: cancels a confirmed order. Tolerates running first (draft: nothing
 * was confirmed), twice (cancelled) or without an order; a done order cannot be undone.
 */
export async function cancelManufacturingOrder(client: OdooClient, input: OdooMoRef): Promise<OdooCancelResult> {
  const mo = await findProduction(client, input.moName);
  if (!mo) return { moName: input.moName, status: 'not_found', state: null };
  if (mo.state === 'draft') return { moName: mo.name, status: 'not_confirmed', state: mo.state };
  if (mo.state === 'cancel') return { moName: mo.name, status: 'already_cancelled', state: mo.state };
  if (mo.state === 'done')
    throw refuse(`Odoo manufacturing order ${mo.name} is done and cannot be cancelled`, { moName: mo.name });
  await client.call('mrp.production', 'action_cancel', { ids: [mo.id] });
  const after = await readProduction(client, mo.id);
  return { moName: after.name, status: 'cancelled', state: after.state };
}

const MARK_DONE_CONTEXT: Record<OdooMarkDoneInput['mode'], (id: number) => Record<string, unknown>> = {
  // Actual consumption comes from the MES: never let Odoo's consumption wizard second-guess it.
  complete: () => ({ skip_consumption: true }),
  backorder: (id) => ({ skip_consumption: true, skip_backorder: true, mo_ids_to_backorder: [id] }),
  short_close: () => ({ skip_consumption: true, skip_backorder: true }),
};

const actionSchema = z
  .object({ type: z.string().optional(), res_model: z.string().optional(), res_id: z.number().int().optional() })
  .loose();

/** The backorder split off an order: the next order under the same base name created after it. */
async function backorderOf(client: OdooClient, mo: ProductionRecord): Promise<string | undefined> {
  if (!(mo.backorder_sequence > 0)) return undefined;
  const base = mo.name.replace(/-\d+$/, '');
  const found = await client.searchOne(
    'mrp.production',
    [
      ['name', '=like', `${base}-%`],
      ['id', '>', mo.id],
      ['company_id', '=', client.companyId],
    ],
    ['name'],
    z.object({ name: z.string() }).loose(),
    'id asc',
  );
  return found?.name;
}

/**
 * Unpicked component moves lose their reservation lines and are marked picked with nothing on them:
 * button_finish then leaves them alone and mark-done cancels them instead of consuming the BoM quantity.
 */
async function leaveUnreportedComponents(client: OdooClient, mo: ProductionRecord): Promise<void> {
  const moves = await client.read('stock.move', mo.move_raw_ids, Object.keys(moveSchema.shape), moveSchema);
  for (const move of moves.filter((m) => !['done', 'cancel'].includes(m.state))) {
    const lines = await client.read(
      'stock.move.line',
      move.move_line_ids,
      ['picked'],
      z.object({ id: z.number().int(), picked: z.boolean() }).loose(),
    );
    if (lines.some((l) => l.picked)) continue;
    await client.unlink(
      'stock.move.line',
      lines.map((l) => l.id),
    );
    await client.write('stock.move', [move.id], { picked: true });
  }
}

/**
 * button_mark_done with the context of the chosen mode. Odoo answers True or an action dict — a
 * wizard (the order is untouched) or, after a split, the backorder to open (the order is done) — so
 * the state is always re-read rather than inferred from the answer.
 */
export async function markDone(client: OdooClient, input: OdooMarkDoneInput): Promise<OdooMarkDoneResult> {
  const mo = await requireProduction(client, input.moName);
  const withBackorder = async (m: ProductionRecord, changed: boolean): Promise<OdooMarkDoneResult> => {
    const backorderName = input.mode === 'backorder' ? await backorderOf(client, m) : undefined;
    return { moName: m.name, state: m.state, changed, ...(backorderName ? { backorderName } : {}) };
  };
  if (mo.state === 'done') return withBackorder(mo, false);
  if (mo.state === 'draft' || mo.state === 'cancel')
    throw refuse(`Odoo manufacturing order ${mo.name} is ${mo.state}: it cannot be marked done`, { moName: mo.name });
  if (input.onlyReportedComponents) await leaveUnreportedComponents(client, mo);
  const answer = await client.call('mrp.production', 'button_mark_done', {
    ids: [mo.id],
    context: MARK_DONE_CONTEXT[input.mode](mo.id),
  });
  const after = await readProduction(client, mo.id);
  if (after.state === 'done') return withBackorder(after, true);
  const action = actionSchema.safeParse(answer);
  if (answer !== true && action.success && action.data.res_model) {
    return { moName: after.name, state: after.state, changed: false, wizard: action.data.res_model };
  }
  throw invalidResponseFailure(
    `Odoo answered button_mark_done with ${JSON.stringify(answer).slice(0, 120)} but ${after.name} is ${after.state}`,
    {
      system: 'odoo',
      what: 'button_mark_done',
    },
  );
}
