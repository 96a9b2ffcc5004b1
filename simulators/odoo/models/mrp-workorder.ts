import Decimal from 'decimal.js';
import { userError } from '../errors';
import { fround, type Env } from '../orm/env';
import type { MethodSpec, Rec } from '../orm/types';
import { rawMoves } from './mrp-production';
import { setMoveQuantity } from './stock-logic';

/** mrp.workorder button_start / button_finish / button_pending (17/18 source). */
export function startWorkorder(env: Env, wo: Rec, raiseOnInvalidState: boolean): void {
  const mo = env.get('mrp.production', wo.production_id);
  if (wo.state === 'done' || wo.state === 'cancel') {
    if (raiseOnInvalidState) throw userError('You cannot start a work order that is already done or cancelled');
    return;
  }
  if (mo.state === 'draft')
    throw userError('You need to confirm the manufacturing order before starting a work order.');
  if (wo.state === 'progress') return;
  // "qty_producing" of a work order is the order's: starting sets it to what remains when it is zero.
  if (!((mo.qty_producing as number) > 0)) {
    const product = env.get('product.product', mo.product_id);
    mo.qty_producing =
      product.tracking === 'serial'
        ? 1
        : fround(new Decimal(mo.product_qty as number).minus(wo.qty_produced as number));
  }
  wo.state = 'progress';
  if (!wo.date_start) wo.date_start = env.now();
}

export function finishWorkorder(env: Env, wo: Rec): void {
  if (wo.state === 'done' || wo.state === 'cancel') return;
  const mo = env.get('mrp.production', wo.production_id);
  // Components of this operation that nobody picked get the BoM-theoretical quantity, picked.
  for (const move of rawMoves(env, mo)) {
    if (move.operation_id !== wo.operation_id || move.picked || move.state === 'done' || move.state === 'cancel')
      continue;
    setMoveQuantity(env, move, fround(new Decimal(mo.qty_producing as number).times(move.unit_factor as number)));
  }
  wo.qty_produced = (wo.qty_produced as number) || (mo.qty_producing as number) || (mo.product_qty as number);
  wo.state = 'done';
  wo.date_finished = env.now();
  if (!wo.date_start) wo.date_start = wo.date_finished;
}

export function workorderMethods(): Record<string, MethodSpec> {
  return {
    button_start: {
      params: ['raise_on_invalid_state?'],
      run: (env, ids, args) => {
        for (const wo of env.browse('mrp.workorder', ids))
          startWorkorder(env, wo, Boolean(args.raise_on_invalid_state));
        return undefined; // Python returns None here
      },
    },
    button_finish: {
      params: [],
      run: (env, ids) => {
        for (const wo of env.browse('mrp.workorder', ids)) finishWorkorder(env, wo);
        return true;
      },
    },
    button_pending: {
      params: [],
      run: (env, ids) => {
        for (const wo of env.browse('mrp.workorder', ids)) if (wo.state === 'progress') wo.state = 'ready';
        return undefined;
      },
    },
  };
}
