import Decimal from 'decimal.js';
import { userError, validationError } from '../errors';
import { fround, fsum, type Env } from '../orm/env';
import type { Rec, Vals } from '../orm/types';
import { cancelMove, linesOf, plantLocations, reserveMove, setMoveQuantity } from './stock-logic';

/** mrp.production business rules: BoM explosion at create, confirm, cancel, computed state. */
export const rawMoves = (env: Env, mo: Rec): Rec[] =>
  env
    .all('stock.move')
    .filter((m) => m.raw_material_production_id === mo.id && !m[env.traits.moveScrapField])
    .sort((a, b) => a.id - b.id);

export const finishedMoves = (env: Env, mo: Rec): Rec[] =>
  env
    .all('stock.move')
    .filter((m) => m.production_id === mo.id && !m[env.traits.moveScrapField])
    .sort((a, b) => a.id - b.id);

export const workorders = (env: Env, mo: Rec): Rec[] =>
  env
    .all('mrp.workorder')
    .filter((w) => w.production_id === mo.id)
    .sort((a, b) => operationSequence(env, a) - operationSequence(env, b) || a.id - b.id);

function operationSequence(env: Env, wo: Rec): number {
  return (env.maybe('mrp.routing.workcenter', wo.operation_id)?.sequence as number | undefined) ?? 100;
}

export function producedQuantity(env: Env, mo: Rec): number {
  const done = finishedMoves(env, mo).filter((m) => m.state === 'done' && m.product_id === mo.product_id);
  return fsum(done.flatMap((m) => linesOf(env, m)).map((l) => l.quantity as number));
}

function defaultBom(env: Env, productId: unknown): Rec | undefined {
  const product = env.maybe('product.product', productId);
  if (!product) return undefined;
  return env.search(
    'mrp.bom',
    [
      '|',
      ['product_id', '=', product.id],
      '&',
      ['product_id', '=', false],
      ['product_tmpl_id', '=', product.product_tmpl_id as number],
    ],
    { limit: 1 },
  )[0];
}

/** Raw and finished moves and work orders computed from the BoM, as `_compute_move_raw_ids` etc. do. */
export function explodeProduction(env: Env, mo: Rec, vals: Vals): void {
  if (!((mo.product_qty as number) > 0)) throw validationError('The quantity to produce must be positive!');
  const product = env.get('product.product', mo.product_id);
  const bom = env.maybe('mrp.bom', mo.bom_id) ?? defaultBom(env, mo.product_id);
  const locations = plantLocations(env);
  const pickingType = env.search('stock.picking.type', [['code', '=', 'mrp_operation']], { limit: 1 })[0];
  mo.bom_id = bom?.id ?? false;
  mo.product_tmpl_id = product.product_tmpl_id;
  if (!mo.product_uom_id) mo.product_uom_id = product.uom_id;
  if (!mo.picking_type_id && pickingType) mo.picking_type_id = pickingType.id;
  if (!mo.location_src_id) mo.location_src_id = (pickingType?.default_location_src_id as number) || locations.stock;
  if (!mo.location_dest_id) mo.location_dest_id = (pickingType?.default_location_dest_id as number) || locations.stock;
  if (!('consumption' in vals)) mo.consumption = (bom?.consumption as string) || 'flexible';
  const base = { reference: mo.name, origin: mo.origin || mo.name, company_id: mo.company_id, state: 'draft' };
  if (bom && !('move_raw_ids' in vals)) {
    const lines = env
      .all('mrp.bom.line')
      .filter((l) => l.bom_id === bom.id)
      .sort((a, b) => a.id - b.id);
    for (const line of lines) {
      const qty = fround(
        new Decimal(line.product_qty as number).times(mo.product_qty as number).dividedBy(bom.product_qty as number),
      );
      env.create('stock.move', {
        ...base,
        name: mo.name,
        product_id: line.product_id,
        product_uom_qty: qty,
        product_uom: line.product_uom_id,
        location_id: mo.location_src_id,
        location_dest_id: locations.production,
        raw_material_production_id: mo.id,
        bom_line_id: line.id,
        operation_id: line.operation_id,
        unit_factor: fround(new Decimal(qty).dividedBy(mo.product_qty as number), 6),
      });
    }
  }
  if (!('move_finished_ids' in vals)) {
    env.create('stock.move', {
      ...base,
      name: mo.name,
      product_id: mo.product_id,
      product_uom_qty: mo.product_qty,
      product_uom: mo.product_uom_id,
      location_id: locations.production,
      location_dest_id: mo.location_dest_id,
      production_id: mo.id,
      unit_factor: 1,
    });
  }
  if (bom && !('workorder_ids' in vals)) {
    const operations = env
      .all('mrp.routing.workcenter')
      .filter((o) => o.bom_id === bom.id)
      .sort((a, b) => (a.sequence as number) - (b.sequence as number));
    for (const op of operations) {
      const wo = env.create('mrp.workorder', {
        name: op.name,
        production_id: mo.id,
        workcenter_id: op.workcenter_id,
        operation_id: op.id,
        state: env.traits.workorderWaitingState,
        duration_expected: fround(new Decimal(op.time_cycle_manual as number).times(mo.product_qty as number)),
      });
      for (const move of rawMoves(env, mo).filter((m) => m.operation_id === op.id)) move.workorder_id = wo.id;
    }
  }
}

export function confirmProduction(env: Env, mo: Rec): void {
  if (mo.state !== 'draft') return;
  for (const move of [...rawMoves(env, mo), ...finishedMoves(env, mo)])
    if (move.state === 'draft') move.state = 'confirmed';
  mo.state = 'confirmed';
  for (const move of rawMoves(env, mo)) reserveMove(env, move);
  createQualityChecks(env, mo);
}

/** quality_mrp: points measured on every MO of this product create "to do" checks at confirmation. */
function createQualityChecks(env: Env, mo: Rec): void {
  const points = env
    .all('quality.point')
    .filter(
      (p) =>
        p.active !== false &&
        p.measure_frequency_type === 'all' &&
        ((p.product_ids as number[]) ?? []).includes(mo.product_id as number) &&
        ((p.picking_type_ids as number[]) ?? []).includes(mo.picking_type_id as number),
    );
  for (const point of points) {
    env.create('quality.check', {
      point_id: point.id,
      title: point.title,
      product_id: mo.product_id,
      production_id: mo.id,
      team_id: point.team_id,
      test_type_id: point.test_type_id,
    });
  }
}

export function cancelProduction(env: Env, mo: Rec): void {
  if (mo.state === 'cancel') return;
  if (mo.state === 'done') throw userError('You cannot cancel a manufacturing order that is done.');
  for (const wo of workorders(env, mo)) if (wo.state !== 'done') wo.state = 'cancel';
  for (const move of [...rawMoves(env, mo), ...finishedMoves(env, mo)]) cancelMove(env, move);
  for (const check of env.all('quality.check').filter((c) => c.production_id === mo.id && c.quality_state === 'none')) {
    env.unlink('quality.check', [check.id]);
  }
  mo.state = 'cancel';
  mo.is_locked = true;
}

/** 17/18 `set_qty_producing`: BoM-theoretical consumption for every unpicked component. */
export function setQtyProducing(env: Env, mo: Rec): void {
  const todo = new Decimal(mo.qty_producing as number).minus(producedQuantity(env, mo));
  for (const move of rawMoves(env, mo)) {
    if (move.picked || move.manual_consumption || move.state === 'done' || move.state === 'cancel') continue;
    setMoveQuantity(env, move, fround(todo.times(move.unit_factor as number)));
  }
  const finished = finishedMoves(env, mo).find((m) => m.product_id === mo.product_id && m.state !== 'done');
  if (finished && linesOf(env, finished).length === 0 && todo.gt(0)) {
    const lots =
      env.traits.lotProducingField === 'lot_producing_id'
        ? [mo.lot_producing_id]
        : ((mo.lot_producing_ids as number[]) ?? []);
    env.create('stock.move.line', {
      move_id: finished.id,
      product_id: mo.product_id,
      lot_id: lots[0] || false,
      quantity: todo.toNumber(),
      location_id: finished.location_id,
      location_dest_id: finished.location_dest_id,
      product_uom_id: finished.product_uom,
    });
  }
}

/** The moves and work orders of the given MOs, read in one pass over each table (not one per MO). */
function byProduction(env: Env, ids: Set<unknown>) {
  const group = (rows: Rec[], key: (r: Rec) => unknown) => {
    const out = new Map<unknown, Rec[]>();
    for (const r of rows) {
      const id = key(r);
      if (!ids.has(id)) continue;
      const list = out.get(id);
      if (list) list.push(r);
      else out.set(id, [r]);
    }
    return out;
  };
  const moves = env.all('stock.move').filter((m) => !m[env.traits.moveScrapField]);
  const byId = (a: Rec, b: Rec) => a.id - b.id;
  const raws = group(moves, (m) => m.raw_material_production_id);
  const fins = group(moves, (m) => m.production_id);
  const wos = group(env.all('mrp.workorder'), (w) => w.production_id);
  return (mo: Rec) => ({
    raws: (raws.get(mo.id) ?? []).sort(byId),
    fins: (fins.get(mo.id) ?? []).sort(byId),
    wos: (wos.get(mo.id) ?? []).sort((a, b) => operationSequence(env, a) - operationSequence(env, b) || a.id - b.id),
  });
}

/** The stored computed `state` (Odoo's `_compute_state`, rules 2–6) and work-order readiness, after every transaction. */
export function recomputeManufacturing(env: Env): void {
  // Finished orders never change again; skipping them keeps long demo runs fast.
  const open = env.all('mrp.production').filter((mo) => mo.state !== 'done' && mo.state !== 'cancel');
  if (open.length === 0) return;
  const linesOf = byProduction(env, new Set(open.map((mo) => mo.id)));
  for (const mo of open) {
    const { raws, fins, wos } = linesOf(mo);
    recomputeWorkorders(env, mo, wos, raws);
    if (mo.state === 'draft') continue;
    const closed = (r: Rec) => r.state === 'done' || r.state === 'cancel';
    if (fins.length > 0 && fins.every((m) => m.state === 'cancel')) mo.state = 'cancel';
    else if (fins.length > 0 && raws.every(closed) && fins.every(closed)) mo.state = 'done';
    else if (wos.length > 0 && wos.every(closed)) mo.state = 'to_close';
    else if (wos.length === 0 && (mo.qty_producing as number) >= (mo.product_qty as number)) mo.state = 'to_close';
    else if (
      wos.some((w) => w.state === 'progress' || w.state === 'done') ||
      (mo.qty_producing as number) !== 0 ||
      raws.some((m) => m.picked)
    ) {
      mo.state = 'progress';
    }
  }
}

function recomputeWorkorders(env: Env, mo: Rec, wos: Rec[], raws: Rec[]): void {
  const waiting = env.traits.workorderWaitingState;
  let previousDone = true;
  for (const wo of wos) {
    const state = wo.state as string;
    if (!['progress', 'done', 'cancel'].includes(state)) {
      if (mo.state === 'draft' || !previousDone) wo.state = waiting;
      else if (env.traits.major < 19 && componentsMissing(raws, wo)) wo.state = 'waiting';
      else wo.state = 'ready';
    }
    previousDone = previousDone && (wo.state === 'done' || wo.state === 'cancel');
  }
}

function componentsMissing(raws: Rec[], wo: Rec): boolean {
  return raws.some((m) => m.operation_id === wo.operation_id && !m.picked && m.state === 'confirmed');
}
