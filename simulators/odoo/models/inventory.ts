import Decimal from 'decimal.js';
import { userError } from '../errors';
import { fround, type Env } from '../orm/env';
import { RecordSet, type MethodSpec, type Rec, type Vals } from '../orm/types';
import { isInternal, postLotMove } from './stock-logic';

/**
 * Inventory adjustments (stock.quant in inventory mode): how a warehouse books stock it counted or
 * received without a purchase order. `create` with `inventory_quantity` under the context
 * `inventory_mode` sets the counted quantity on the quant of (product, location, lot), creating it
 * when missing; `action_apply_inventory` posts the difference as a done move from the inventory
 * adjustment location. Outside inventory mode a quant cannot be created over RPC.
 */
const INVENTORY_FIELDS = new Set(['product_id', 'location_id', 'lot_id', 'inventory_quantity', 'package_id']);

function adjustmentLocation(env: Env): number {
  const loc = env.search('stock.location', [
    ['usage', '=', 'inventory'],
    ['name', '=', 'Inventory adjustment'],
  ])[0];
  if (!loc) throw userError('The simulated database lacks its inventory adjustment location.');
  return loc.id;
}

function createInInventoryMode(env: Env, vals: Vals): Rec {
  if (!env.context.inventory_mode || !('inventory_quantity' in vals))
    throw userError("Quant's creation is restricted, you can't do this operation.");
  if (Object.keys(vals).some((field) => !INVENTORY_FIELDS.has(field)))
    throw userError("Quant's creation is restricted, you can't do this operation.");
  if (!isInternal(env, vals.location_id)) throw userError('Quants cannot be created for consumables or services.');
  const lot = vals.lot_id || false;
  const quant =
    env
      .all('stock.quant')
      .find(
        (q) => q.product_id === vals.product_id && q.location_id === vals.location_id && (q.lot_id || false) === lot,
      ) ??
    env.create('stock.quant', {
      product_id: vals.product_id,
      location_id: vals.location_id,
      lot_id: lot,
      quantity: 0,
      in_date: env.now(),
    });
  quant.inventory_quantity = Number(vals.inventory_quantity);
  quant.inventory_quantity_set = true;
  return quant;
}

function applyInventory(env: Env, quant: Rec, from: number): void {
  if (!quant.inventory_quantity_set) return;
  const diff = new Decimal(quant.inventory_quantity as number).minus(quant.quantity as number);
  if (!diff.isZero()) {
    const product = env.get('product.product', quant.product_id);
    if (product.tracking !== 'none' && !quant.lot_id)
      throw userError(
        `You need to supply a Lot/Serial number for product: ${env.displayName('product.product', product)}`,
      );
    const [source, destination] = diff.gt(0) ? [from, quant.location_id] : [quant.location_id, from];
    postLotMove(env, {
      name: 'Product Quantity Updated',
      productId: product.id,
      lotId: (quant.lot_id as number) || false,
      quantity: fround(diff.abs()),
      from: source as number,
      to: destination as number,
    });
  }
  quant.inventory_quantity = 0;
  quant.inventory_quantity_set = false;
}

export function inventoryMethods(): Record<string, MethodSpec> {
  return {
    create: {
      model: true,
      params: ['vals_list'],
      run: (env, _ids, args) => {
        const list = Array.isArray(args.vals_list) ? args.vals_list : [args.vals_list];
        return new RecordSet(
          'stock.quant',
          list.map((vals) => createInInventoryMode(env, (vals ?? {}) as Vals).id),
        );
      },
    },
    action_apply_inventory: {
      params: [],
      run: (env, ids) => {
        const from = adjustmentLocation(env);
        for (const quant of env.browse('stock.quant', ids)) applyInventory(env, quant, from);
        return null;
      },
    },
  };
}
