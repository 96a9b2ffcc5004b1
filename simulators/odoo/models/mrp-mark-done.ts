import Decimal from 'decimal.js';
import { userError } from '../errors';
import { fround, type Env } from '../orm/env';
import type { Rec } from '../orm/types';
import { confirmProduction, finishedMoves, producedQuantity, rawMoves, workorders } from './mrp-production';
import { finishWorkorder } from './mrp-workorder';
import { cancelMove, doneMove, isTracked, linesOf, moveQuantity, pickedQuantity, setMoveQuantity } from './stock-logic';

/**
 * mrp.production.button_mark_done: True, a wizard action dict (mass produce,
 * consumption warning, backorder question) that leaves the order untouched, or — when backorders were
 * split off and no `skip_redirection` — an action opening the backorder while the order is done.
 */
type Action = Record<string, unknown>;

function wizard(name: string, model: string, context: Record<string, unknown>): Action {
  return {
    name,
    type: 'ir.actions.act_window',
    res_model: model,
    view_mode: 'form',
    views: [[false, 'form']],
    target: 'new',
    context,
  };
}

function preMarkDone(env: Env, mos: Rec[]): Action | true {
  for (const mo of mos) {
    if (mo.state === 'cancel')
      throw userError(`The manufacturing order ${String(mo.name)} is cancelled: it cannot be marked as done.`);
    if (mo.state === 'draft') throw userError(`You need to confirm the manufacturing order ${String(mo.name)} first.`);
    if (env.all('quality.check').some((c) => c.production_id === mo.id && c.quality_state === 'none')) {
      throw userError('You still need to do the quality checks!');
    }
  }
  for (const mo of mos) {
    if ((mo.qty_producing as number) !== 0) continue;
    const tracked = isTracked(env, mo.product_id) || rawMoves(env, mo).some((m) => isTracked(env, m.product_id));
    if (tracked) return wizard('Produce', env.traits.massProduceWizard, { default_production_id: mo.id });
    mo.qty_producing = mo.product_qty;
  }
  if (!env.context.skip_consumption) {
    const issues = mos.filter(
      (mo) =>
        mo.consumption !== 'flexible' &&
        rawMoves(env, mo).some((move) => {
          const expected = fround(new Decimal(mo.qty_producing as number).times(move.unit_factor as number));
          return move.state !== 'cancel' && fround(pickedQuantity(env, move)) !== expected;
        }),
    );
    if (issues.length > 0) {
      return wizard('Consumption Warning', 'mrp.consumption.warning', {
        default_mrp_production_ids: issues.map((m) => m.id),
      });
    }
  }
  if (!env.context.skip_backorder) {
    const short = mos.filter((mo) => (mo.qty_producing as number) < (mo.product_qty as number));
    if (short.length > 0) {
      return wizard('Create Backorder?', 'mrp.production.backorder', {
        default_mrp_production_ids: short.map((m) => m.id),
        default_mrp_production_backorder_line_ids: short.map((m) => [
          0,
          0,
          { mrp_production_id: m.id, to_backorder: true },
        ]),
      });
    }
  }
  return true;
}

const backorderName = (base: string, sequence: number) => `${base}-${String(sequence).padStart(3, '0')}`;

/** _split_productions: the order keeps what was produced (renamed <name>-001), a backorder gets the rest. */
function splitProduction(env: Env, mo: Rec): Rec | undefined {
  const remaining = fround(new Decimal(mo.product_qty as number).minus(mo.qty_producing as number));
  if (remaining <= 0) return undefined;
  const base = (mo.backorder_sequence as number) > 0 ? String(mo.name).replace(/-\d+$/, '') : String(mo.name);
  if (!((mo.backorder_sequence as number) > 0)) {
    mo.backorder_sequence = 1;
    mo.name = backorderName(base, 1);
  }
  const siblings = env.all('mrp.production').filter((p) => String(p.name).startsWith(`${base}-`));
  const sequence = Math.max(...siblings.map((p) => p.backorder_sequence as number)) + 1;
  const backorder = env.create('mrp.production', {
    name: backorderName(base, sequence),
    backorder_sequence: sequence,
    product_id: mo.product_id,
    product_qty: remaining,
    product_uom_id: mo.product_uom_id,
    bom_id: mo.bom_id,
    origin: mo.origin,
    picking_type_id: mo.picking_type_id,
    location_src_id: mo.location_src_id,
    location_dest_id: mo.location_dest_id,
    company_id: mo.company_id,
    consumption: mo.consumption,
  });
  confirmProduction(env, backorder);
  mo.product_qty = mo.qty_producing;
  for (const move of rawMoves(env, mo))
    move.product_uom_qty = fround(new Decimal(mo.qty_producing as number).times(move.unit_factor as number));
  for (const move of finishedMoves(env, mo))
    if (move.product_id === mo.product_id) move.product_uom_qty = mo.qty_producing;
  for (const move of [...rawMoves(env, mo), ...finishedMoves(env, mo)]) move.reference = mo.name;
  return backorder;
}

/** The order's producing lot: `lot_producing_id` (17/18), the one lot of `lot_producing_ids` (19). */
function producingLot(env: Env, mo: Rec): number | false {
  if (env.traits.lotProducingField === 'lot_producing_id') return (mo.lot_producing_id as number) || false;
  return ((mo.lot_producing_ids as number[] | undefined) ?? [])[0] ?? false;
}

/**
 * _post_inventory: picked components are consumed, unpicked ones cancelled; the finished move gets
 * qty_producing − qty_produced (`move.quantity = …` spreads it over the existing lines) and every finished
 * line takes `_prepare_finished_extra_vals()` = the producing lot: with several lots on one MO, 17/18 relabel
 * them all to the first (mrp_production.py, 17.0/18.0). Finished lines carry the genealogy.
 */
function postInventory(env: Env, mo: Rec): void {
  for (const move of rawMoves(env, mo)) {
    if (move.picked) doneMove(env, move);
    else cancelMove(env, move);
  }
  const lot = producingLot(env, mo);
  for (const move of finishedMoves(env, mo)) {
    if (move.state === 'done' || move.state === 'cancel') continue;
    if (move.product_id === mo.product_id) {
      const todo = fround(new Decimal(mo.qty_producing as number).minus(producedQuantity(env, mo)));
      if (linesOf(env, move).length === 0) {
        env.create('stock.move.line', {
          move_id: move.id,
          product_id: move.product_id,
          lot_id: lot,
          quantity: todo,
          location_id: move.location_id,
          location_dest_id: move.location_dest_id,
          product_uom_id: move.product_uom,
        });
      } else if (moveQuantity(env, move) !== todo) setMoveQuantity(env, move, todo);
      if (lot) for (const line of linesOf(env, move)) line.lot_id = lot;
    }
    move.picked = true;
    for (const line of linesOf(env, move)) line.picked = true;
    doneMove(env, move);
  }
  const consumed = rawMoves(env, mo)
    .filter((m) => m.state === 'done')
    .flatMap((m) => linesOf(env, m))
    .map((l) => l.id);
  for (const move of finishedMoves(env, mo)) for (const line of linesOf(env, move)) line.consume_line_ids = consumed;
  mo.state = 'done';
  mo.is_locked = true;
  mo.date_finished = env.now();
}

export function markDone(env: Env, ids: number[]): unknown {
  const mos = env.browse('mrp.production', ids).filter((mo) => mo.state !== 'done');
  if (mos.length === 0) return true;
  const pre = preMarkDone(env, mos);
  if (pre !== true) return pre;
  const toBackorder = new Set(
    Array.isArray(env.context.mo_ids_to_backorder) ? (env.context.mo_ids_to_backorder as number[]) : [],
  );
  for (const mo of mos) for (const wo of workorders(env, mo)) finishWorkorder(env, wo);
  const backorders = mos
    .filter((mo) => toBackorder.has(mo.id))
    .map((mo) => splitProduction(env, mo))
    .filter((b): b is Rec => !!b);
  for (const mo of mos) postInventory(env, mo);
  if (backorders.length === 0 || env.context.skip_redirection) return true;
  const action: Action = { res_model: 'mrp.production', type: 'ir.actions.act_window', context: {} };
  if (backorders.length === 1) return { ...action, view_mode: 'form', res_id: backorders[0]!.id, target: 'main' };
  return {
    ...action,
    name: 'Backorder MO',
    domain: [['id', 'in', backorders.map((b) => b.id)]],
    view_mode: 'list,form',
  };
}
