import { z } from 'zod';
import { m2oId, m2oSchema, type OdooClient } from './client';
import { keyXmlid } from './keys';
import { ensureLot, keyedRecords, recordOfKey } from './lots';
import { finishedLotStep, secondLotRefusal } from '../../domain/finished-lots';
import {
  fromOdooQuantity,
  openProduction,
  readProduct,
  readProduction,
  refuse,
  requireLot,
  requireOpen,
  requireProduct,
  sumQuantities,
  toOdooQuantity,
  type ProductionRecord,
} from './lookup';
import { producingLots } from './manufacturing-order';
import type {
  OdooConsumptionResult,
  OdooProductionResult,
  OdooRecordConsumptionInput,
  OdooRecordProductionInput,
} from './types';
import { lotIdsOf, lotSetValue } from './versions';

/**
 * Production and consumption as move lines created through `load()` with the idempotency key as
 * external id: the line and its key commit in one transaction, so a retry after a lost answer finds the
 * line instead of adding a second one. Follow-up writes are derived from what Odoo holds, so they are
 * idempotent too and are re-run on every attempt.
 */
const moveSchema = z
  .object({
    id: z.number().int(),
    product_id: m2oSchema,
    product_uom: m2oSchema,
    location_id: m2oSchema,
    location_dest_id: m2oSchema,
    state: z.string(),
    picked: z.boolean(),
    /** The MO of a finished move (false on component moves). */
    production_id: m2oSchema,
  })
  .loose();
type MoveRecord = z.infer<typeof moveSchema>;
const lineSchema = z
  .object({ id: z.number().int(), lot_id: m2oSchema, quantity: z.number(), picked: z.boolean() })
  .loose();

async function openMoveOf(client: OdooClient, moveIds: number[], productId: number): Promise<MoveRecord | undefined> {
  const moves = await client.read('stock.move', moveIds, Object.keys(moveSchema.shape), moveSchema);
  return moves.find((m) => m2oId(m.product_id) === productId && m.state !== 'done' && m.state !== 'cancel');
}

async function loadLine(
  client: OdooClient,
  key: string,
  move: MoveRecord,
  lotId: number,
  quantity: number,
  picked: boolean,
): Promise<number> {
  const fields = [
    'id',
    'move_id/.id',
    'product_id/.id',
    'lot_id/.id',
    'location_id/.id',
    'location_dest_id/.id',
    'product_uom_id/.id',
    'quantity',
    'picked',
  ];
  const row = [
    keyXmlid(key).full,
    String(move.id),
    String(m2oId(move.product_id)),
    String(lotId),
    String(m2oId(move.location_id)),
    String(m2oId(move.location_dest_id)),
    String(m2oId(move.product_uom)),
    String(quantity),
    picked ? '1' : '0',
  ];
  const [id] = await client.load('stock.move.line', fields, [row]);
  return id!;
}

const lotOfLine = (l: z.infer<typeof lineSchema>) => m2oId(l.lot_id);

/**
 * qty_producing = what the finished lines hold; the one lot they hold is the order's producing lot
 * (19: `lot_producing_ids` replaced, never added to — Odoo refuses a second lot on a lot-tracked product).
 */
async function syncProducing(
  client: OdooClient,
  mo: ProductionRecord,
  lines: z.infer<typeof lineSchema>[],
): Promise<ProductionRecord> {
  const total = sumQuantities(lines.map((l) => l.quantity));
  const field = client.traits.lotProducingField;
  const vals: Record<string, unknown> = {};
  if (mo.qty_producing !== total) vals.qty_producing = total;
  const lot = lines.map(lotOfLine).find((id): id is number => id !== undefined);
  const linked = lotIdsOf(mo[field]);
  if (lot !== undefined && (linked.length !== 1 || linked[0] !== lot)) vals[field] = lotSetValue(field, lot);
  if (Object.keys(vals).length > 0) await client.write('mrp.production', [mo.id], vals);
  return { ...mo, qty_producing: total };
}

async function finishedMoveOf(client: OdooClient, mo: ProductionRecord): Promise<MoveRecord | undefined> {
  const moves = await client.read('stock.move', mo.move_finished_ids, Object.keys(moveSchema.shape), moveSchema);
  return moves.find((m) => m2oId(m.product_id) === m2oId(mo.product_id) && m.state !== 'cancel');
}

function linesOfMove(client: OdooClient, move: MoveRecord | undefined) {
  if (!move) return Promise.resolve([]);
  return client.searchRead('stock.move.line', [['move_id', '=', move.id]], Object.keys(lineSchema.shape), lineSchema);
}

/** The move a posted line is on. */
async function moveOfLine(client: OdooClient, lineId: number): Promise<MoveRecord | undefined> {
  const [line] = await client.read('stock.move.line', [lineId], ['move_id'], z.object({ move_id: m2oSchema }).loose());
  const moveId = line ? m2oId(line.move_id) : undefined;
  if (moveId === undefined) return undefined;
  return (await client.read('stock.move', [moveId], Object.keys(moveSchema.shape), moveSchema))[0];
}

/** The MO a posted line belongs to (a retry after the order moved on to a backorder). */
async function productionOfLine(client: OdooClient, lineId: number): Promise<ProductionRecord | undefined> {
  const move = await moveOfLine(client, lineId);
  const id = move ? m2oId(move.production_id) : undefined;
  return id === undefined ? undefined : readProduction(client, id);
}

/**
 * A finished move line with the lot, on the open MO of the order's chain. That MO must not hold another
 * lot (see domain/finished-lots.ts): the caller closes it with a backorder first.
 */
export async function recordProduction(
  client: OdooClient,
  input: OdooRecordProductionInput,
): Promise<OdooProductionResult> {
  let lineId = await recordOfKey(client, 'stock.move.line', input.idempotencyKey);
  const status = lineId === undefined ? 'posted' : 'already_posted';
  const mo =
    (lineId !== undefined ? await productionOfLine(client, lineId) : undefined) ??
    (await openProduction(client, input.moName));
  const finished = await finishedMoveOf(client, mo);
  if (lineId === undefined) {
    requireOpen(mo, 'record production');
    const product = await readProduct(client, m2oId(mo.product_id)!);
    const quantity = toOdooQuantity(input.quantity, product.uom_id, String(product.default_code));
    if (!finished || finished.state === 'done')
      throw refuse(`Odoo manufacturing order ${mo.name} has no open finished move`, { moName: mo.name });
    // What the finished lines hold decides (qty_producing may lag behind a line whose answer was lost).
    const posted = await linesOfMove(client, finished);
    const held = await lotNamesOf(client, posted.map(lotOfLine));
    const open = {
      moName: mo.name,
      lot: held[0] ?? null,
      producing: fromOdooQuantity(sumQuantities(posted.map((l) => l.quantity)), mo.product_uom_id),
      planned: fromOdooQuantity(mo.product_qty, mo.product_uom_id),
    };
    if (finishedLotStep(open, input.lot).action !== 'post' || held.length > 1)
      throw refuse(secondLotRefusal(open, input.lot), { moName: mo.name, lot: open.lot });
    const { lot } = await ensureLot(client, product, input.lot);
    lineId = await loadLine(client, input.idempotencyKey, finished, lot.id, quantity, false);
  }
  const lines = await linesOfMove(client, finished);
  const synced = mo.state === 'done' || mo.state === 'cancel' ? mo : await syncProducing(client, mo, lines);
  return {
    status,
    moveLineId: lineId,
    moName: mo.name,
    qtyProducing: fromOdooQuantity(synced.qty_producing, mo.product_uom_id),
    lotsProducing: await producingLots(client, mo),
  };
}

async function lotNamesOf(client: OdooClient, ids: Array<number | undefined>): Promise<string[]> {
  const unique = [...new Set(ids.filter((id): id is number => id !== undefined))];
  const lots = await client.read('stock.lot', unique, ['name'], z.object({ name: z.string() }).loose());
  return lots.map((l) => l.name);
}

/**
 * A picked raw move line with the consumed lot. Odoo's own reservation lines on the move (unpicked) are
 * removed and the move marked picked: a picked move is consumed as picked at mark-done, an unpicked one
 * would be cancelled.
 */
export async function recordConsumption(
  client: OdooClient,
  input: OdooRecordConsumptionInput,
): Promise<OdooConsumptionResult> {
  const mo = await openProduction(client, input.moName);
  const product = await requireProduct(client, input.component);
  let lineId = await recordOfKey(client, 'stock.move.line', input.idempotencyKey);
  const status = lineId === undefined ? 'posted' : 'already_posted';
  let move: MoveRecord | undefined;
  if (lineId === undefined) {
    requireOpen(mo, 'record consumption');
    move = await openMoveOf(client, mo.move_raw_ids, product.id);
    if (!move)
      throw refuse(`Odoo manufacturing order ${mo.name} has no open component move for ${input.component}`, {
        moName: mo.name,
      });
    const quantity = toOdooQuantity(input.quantity, move.product_uom, input.component);
    const lot = await requireLot(client, product, input.lot);
    lineId = await loadLine(client, input.idempotencyKey, move, lot.id, quantity, true);
  } else {
    move = await moveOfLine(client, lineId);
  }
  if (!move) throw refuse(`Odoo lost the move of consumption line ${lineId}`, { moName: mo.name });
  const lines = await client.searchRead(
    'stock.move.line',
    [['move_id', '=', move.id]],
    Object.keys(lineSchema.shape),
    lineSchema,
  );
  let kept = lines;
  if (move.state !== 'done' && move.state !== 'cancel') {
    // The MES reports this component's actual consumption: Odoo's own lines on the move give way to it —
    // reservations, and the BoM quantity button_finish picked when the operation was finished before this
    // report arrived (out of order). Otherwise the component would be consumed twice.
    const ours = await keyedRecords(
      client,
      'stock.move.line',
      lines.map((l) => l.id),
    );
    kept = lines.filter((l) => ours.has(l.id));
    await client.unlink(
      'stock.move.line',
      lines.filter((l) => !ours.has(l.id)).map((l) => l.id),
    );
    if (!move.picked) await client.write('stock.move', [move.id], { picked: true });
  }
  const picked = kept.filter((l) => l.picked);
  return {
    status,
    moveLineId: lineId,
    moName: mo.name,
    pickedQuantity: fromOdooQuantity(sumQuantities(picked.map((l) => l.quantity)), move.product_uom),
  };
}
