import Decimal from 'decimal.js';
import { userError } from '../errors';
import { fround, fsum, type Env } from '../orm/env';
import type { Rec } from '../orm/types';

/**
 * Stock mechanics in Odoo 17+ terms: a move's `quantity` is the sum of its move lines (reserved and done
 * are one number plus a `picked` flag); quants exist only in internal locations; reservation is the
 * quantity of not-done move lines on the same product/location/lot.
 */
export interface PlantLocations {
  stock: number;
  production: number;
  scrap: number;
  quarantine: number | undefined;
}

export function plantLocations(env: Env): PlantLocations {
  const warehouse = env.search('stock.warehouse', [], { limit: 1 })[0];
  const production = env.search('stock.location', [['usage', '=', 'production']], { limit: 1 })[0];
  const scrap = env.traits.locationScrapFlag
    ? env.search('stock.location', [['scrap_location', '=', true]], { limit: 1 })[0]
    : env.search(
        'stock.location',
        [
          ['usage', '=', 'inventory'],
          ['name', '=', 'Scrap'],
        ],
        { limit: 1 },
      )[0];
  const quarantine = env.search(
    'stock.location',
    [
      ['usage', '=', 'internal'],
      ['name', '=', 'Quarantine'],
    ],
    { limit: 1 },
  )[0];
  if (!warehouse || !production || !scrap) throw userError('The simulated database lacks its warehouse locations.');
  return {
    stock: warehouse.lot_stock_id as number,
    production: production.id,
    scrap: scrap.id,
    quarantine: quarantine?.id,
  };
}

export function isInternal(env: Env, locationId: unknown): boolean {
  const loc = env.maybe('stock.location', locationId);
  return loc?.usage === 'internal' || loc?.usage === 'transit';
}

export function isTracked(env: Env, productId: unknown): boolean {
  const product = env.maybe('product.product', productId);
  return Boolean(product && product.tracking !== 'none');
}

export function linesOf(env: Env, move: Rec): Rec[] {
  return env
    .all('stock.move.line')
    .filter((l) => l.move_id === move.id)
    .sort((a, b) => a.id - b.id);
}

export function moveQuantity(env: Env, move: Rec): number {
  return fsum(linesOf(env, move).map((l) => l.quantity as number));
}

export function pickedQuantity(env: Env, move: Rec): number {
  return fsum(
    linesOf(env, move)
      .filter((l) => l.picked)
      .map((l) => l.quantity as number),
  );
}

function quantKey(q: Rec, product: unknown, location: unknown, lot: unknown): boolean {
  return q.product_id === product && q.location_id === location && (q.lot_id || false) === (lot || false);
}

export function reservedQuantity(env: Env, quant: Rec): number {
  const reserving = env.all('stock.move.line').filter((l) => {
    const move = env.maybe('stock.move', l.move_id);
    return (
      move &&
      move.state !== 'done' &&
      move.state !== 'cancel' &&
      quantKey(
        { id: 0, product_id: l.product_id, location_id: l.location_id, lot_id: l.lot_id },
        quant.product_id,
        quant.location_id,
        quant.lot_id,
      )
    );
  });
  return fsum(reserving.map((l) => l.quantity as number));
}

/** Unreserved quantity exactly at a location (`strict=True`), for one lot or for none. */
export function availableQuantity(env: Env, product: number, location: number, lot: number | false): number {
  const quants = env.all('stock.quant').filter((q) => quantKey(q, product, location, lot));
  return fsum(quants.map((q) => new Decimal(q.quantity as number).minus(reservedQuantity(env, q)).toNumber()));
}

export function updateQuant(env: Env, product: number, location: number, lot: number | false, delta: number): void {
  if (!isInternal(env, location) || delta === 0) return;
  const quant = env.all('stock.quant').find((q) => quantKey(q, product, location, lot));
  if (quant) quant.quantity = fround(new Decimal(quant.quantity as number).plus(delta));
  else
    env.create('stock.quant', {
      product_id: product,
      location_id: location,
      lot_id: lot,
      quantity: delta,
      in_date: env.now(),
    });
}

/** action_assign for one move: reserve from quants under the source location, oldest first. */
export function reserveMove(env: Env, move: Rec): void {
  if (['done', 'cancel', 'draft'].includes(move.state as string) || move.picked || !isInternal(env, move.location_id))
    return;
  let need = new Decimal(move.product_uom_qty as number).minus(moveQuantity(env, move));
  const quants = env
    .search('stock.quant', [
      ['product_id', '=', move.product_id],
      ['location_id', 'child_of', move.location_id as number],
    ])
    .filter((q) => isInternal(env, q.location_id));
  for (const quant of quants) {
    if (need.lte(0)) break;
    const take = Decimal.min(need, new Decimal(quant.quantity as number).minus(reservedQuantity(env, quant)));
    if (take.lte(0)) continue;
    env.create('stock.move.line', {
      move_id: move.id,
      product_id: move.product_id,
      lot_id: quant.lot_id,
      quantity: take.toNumber(),
      location_id: quant.location_id,
      location_dest_id: move.location_dest_id,
      product_uom_id: move.product_uom,
      picked: false,
    });
    need = need.minus(take);
  }
  const reserved = moveQuantity(env, move);
  move.state =
    reserved >= (move.product_uom_qty as number) ? 'assigned' : reserved > 0 ? 'partially_available' : 'confirmed';
}

/** stock.move._set_quantity_done: spread `qty` over the existing (reserved) lines, then pick them. */
export function setMoveQuantity(env: Env, move: Rec, qty: number): void {
  let left = new Decimal(qty);
  const lines = linesOf(env, move);
  for (const line of lines) {
    const take = Decimal.min(left, new Decimal(line.quantity as number));
    if (take.lte(0)) env.unlink('stock.move.line', [line.id]);
    else line.quantity = take.toNumber();
    left = left.minus(Decimal.max(take, 0));
  }
  if (left.gt(0)) {
    const last = linesOf(env, move).at(-1);
    if (last) last.quantity = fround(new Decimal(last.quantity as number).plus(left));
    else {
      env.create('stock.move.line', {
        move_id: move.id,
        product_id: move.product_id,
        quantity: left.toNumber(),
        location_id: move.location_id,
        location_dest_id: move.location_dest_id,
        product_uom_id: move.product_uom,
      });
    }
  }
  move.picked = true;
  for (const line of linesOf(env, move)) line.picked = true;
}

/** stock.move._action_done for one move: unpicked lines of a picked move are dropped, quants updated. */
export function doneMove(env: Env, move: Rec): void {
  if (move.state === 'done' || move.state === 'cancel') return;
  const product = env.get('product.product', move.product_id);
  for (const line of linesOf(env, move)) {
    if (move.picked && !line.picked) {
      env.unlink('stock.move.line', [line.id]);
      continue;
    }
    if (!(Number(line.quantity) > 0)) {
      env.unlink('stock.move.line', [line.id]);
      continue;
    }
    if (product.tracking !== 'none' && !line.lot_id) {
      if (!line.lot_name)
        throw userError(
          `You need to supply a Lot/Serial number for product: \n - ${env.displayName('product.product', product)}`,
        );
      line.lot_id = findOrCreateLot(env, product.id, String(line.lot_name)).id;
    }
    updateQuant(env, product.id, line.location_id as number, line.lot_id as number | false, -(line.quantity as number));
    updateQuant(
      env,
      product.id,
      line.location_dest_id as number,
      line.lot_id as number | false,
      line.quantity as number,
    );
    line.picked = true;
    line.date = env.now();
  }
  move.state = moveQuantity(env, move) > 0 ? 'done' : 'cancel';
  move.date = env.now();
}

export function cancelMove(env: Env, move: Rec): void {
  if (move.state === 'done' || move.state === 'cancel') return;
  for (const line of linesOf(env, move)) env.unlink('stock.move.line', [line.id]);
  move.state = 'cancel';
}

export function findOrCreateLot(env: Env, productId: number, name: string): Rec {
  return (
    env.all('stock.lot').find((l) => l.product_id === productId && l.name === name) ??
    env.create('stock.lot', { name, product_id: productId })
  );
}

/** Positive quants of a lot in internal locations. */
export function lotQuants(env: Env, lot: Rec): Rec[] {
  return env
    .all('stock.quant')
    .filter((q) => q.lot_id === lot.id && (q.quantity as number) > 0 && isInternal(env, q.location_id));
}

/** stock.lot._set_single_location → stock.quant.move_quants: relocates every quant with done moves. */
export function relocateLot(env: Env, lot: Rec, destination: number): void {
  const quants = lotQuants(env, lot);
  const locations = new Set(quants.map((q) => q.location_id));
  if (locations.size > 1)
    throw userError('You can only move a lot/serial to a new location if it exists in a single location.');
  for (const quant of quants) {
    if (quant.location_id === destination) continue;
    postLotMove(env, {
      name: 'Lot/Serial Number Relocated',
      productId: quant.product_id as number,
      lotId: lot.id,
      quantity: quant.quantity as number,
      from: quant.location_id as number,
      to: destination,
    });
  }
}

/** A done move of one lot's quantity between two locations (relocation, inventory adjustment). */
export function postLotMove(
  env: Env,
  m: { name: string; productId: number; lotId: number | false; quantity: number; from: number; to: number },
): void {
  const product = env.get('product.product', m.productId);
  const move = env.create('stock.move', {
    name: m.name,
    product_id: product.id,
    product_uom: product.uom_id,
    product_uom_qty: m.quantity,
    location_id: m.from,
    location_dest_id: m.to,
    state: 'assigned',
    picked: true,
  });
  env.create('stock.move.line', {
    move_id: move.id,
    product_id: product.id,
    lot_id: m.lotId,
    quantity: m.quantity,
    location_id: m.from,
    location_dest_id: m.to,
    product_uom_id: product.uom_id,
    picked: true,
  });
  doneMove(env, move);
}
