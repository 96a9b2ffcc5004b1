import { userError } from '../errors';
import { fround, type Env } from '../orm/env';
import type { MethodSpec, Rec } from '../orm/types';
import { availableQuantity, doneMove, isInternal } from './stock-logic';

/** stock.scrap.action_validate / do_scrap. */
function doScrap(env: Env, scrap: Rec): void {
  if (scrap.state === 'done') return;
  const product = env.get('product.product', scrap.product_id);
  const move = env.create('stock.move', {
    name: String(scrap.name),
    reference: String(scrap.name),
    origin: scrap.origin,
    product_id: product.id,
    product_uom: scrap.product_uom_id,
    product_uom_qty: scrap.scrap_qty,
    location_id: scrap.location_id,
    location_dest_id: scrap.scrap_location_id,
    scrap_id: scrap.id,
    [env.traits.moveScrapField]: true,
    production_id: false,
    state: 'assigned',
    picked: true,
  });
  env.create('stock.move.line', {
    move_id: move.id,
    product_id: product.id,
    lot_id: scrap.lot_id,
    quantity: scrap.scrap_qty,
    location_id: scrap.location_id,
    location_dest_id: scrap.scrap_location_id,
    product_uom_id: scrap.product_uom_id,
    picked: true,
  });
  doneMove(env, move);
  scrap.state = 'done';
  scrap.date_done = env.now();
}

function insufficientQuantityWizard(env: Env, scrap: Rec): Record<string, unknown> {
  const uom = env.maybe('uom.uom', scrap.product_uom_id);
  return {
    name: `${String(env.get('product.product', scrap.product_id).name)}: Insufficient Quantity To Scrap`,
    view_mode: 'form',
    res_model: 'stock.warn.insufficient.qty.scrap',
    view_id: false,
    type: 'ir.actions.act_window',
    context: {
      default_product_id: scrap.product_id,
      default_location_id: scrap.location_id,
      default_scrap_id: scrap.id,
      default_quantity: scrap.scrap_qty,
      default_product_uom_name: uom ? String(uom.name) : '',
    },
    target: 'new',
  };
}

export function scrapMethods(): Record<string, MethodSpec> {
  return {
    action_validate: {
      params: [],
      run: (env, ids) => {
        let result: unknown = true;
        for (const scrap of env.browse('stock.scrap', ids)) {
          if (scrap.state === 'done') continue;
          if (!((scrap.scrap_qty as number) > 0)) throw userError('You can only enter positive quantities.');
          const internal = isInternal(env, scrap.location_id);
          const available = internal
            ? availableQuantity(
                env,
                scrap.product_id as number,
                scrap.location_id as number,
                (scrap.lot_id as number) || false,
              )
            : 0;
          if (fround(available) >= fround(scrap.scrap_qty as number)) doScrap(env, scrap);
          else return insufficientQuantityWizard(env, scrap);
          result = true;
        }
        return result;
      },
    },
    do_scrap: {
      params: [],
      run: (env, ids) => {
        for (const scrap of env.browse('stock.scrap', ids)) doScrap(env, scrap);
        return true;
      },
    },
  };
}
