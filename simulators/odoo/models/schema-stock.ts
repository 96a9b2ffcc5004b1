import { userError, validationError } from '../errors';
import { fsum, type Env } from '../orm/env';
import type { ModelDef, Rec } from '../orm/types';
import type { OdooVersionTraits } from '../version';
import { f } from './fields';
import { isInternal, linesOf, lotQuants, moveQuantity, relocateLot, reservedQuantity } from './stock-logic';
import { inventoryMethods } from './inventory';
import { scrapMethods } from './scrap';

const MOVE_STATES = ['draft', 'waiting', 'confirmed', 'partially_available', 'assigned', 'done', 'cancel'] as const;

function productionOfLine(env: Env, line: Rec): Rec | undefined {
  const move = env.maybe('stock.move', line.move_id);
  if (!move) return undefined;
  return (
    env.maybe('mrp.production', move.raw_material_production_id) ?? env.maybe('mrp.production', move.production_id)
  );
}

function lotUniqueness(env: Env, lot: Rec): void {
  // Python-only @api.constrains (no SQL index upstream): concurrent creations can both pass.
  const dup = env
    .all('stock.lot')
    .some(
      (o) =>
        o.id !== lot.id &&
        o.name === lot.name &&
        o.product_id === lot.product_id &&
        (o.company_id || false) === (lot.company_id || false),
    );
  if (!dup) return;
  const product = env.get('product.product', lot.product_id);
  const head =
    env.traits.major >= 18
      ? 'The combination of lot/serial number and product must be unique within a company including when no company is defined.'
      : 'The combination of serial number and product must be unique across a company.';
  throw validationError(
    `${head}\nFollowing combination contains duplicates:\n - Product: ${env.displayName('product.product', product)}, Lot/Serial Number: ${String(lot.name)}`,
  );
}

export function stockModels(t: OdooVersionTraits): ModelDef[] {
  const moveRefs = (env: Env, move: Rec): Record<string, string> => {
    const mo =
      env.maybe('mrp.production', move.raw_material_production_id) ?? env.maybe('mrp.production', move.production_id);
    return mo ? { moName: String(mo.name) } : {};
  };
  return [
    {
      name: 'stock.move',
      fields: {
        name: f.char(),
        reference: f.char(),
        origin: f.char(),
        product_id: f.m2o('product.product', { required: true }),
        product_uom_qty: f.float({ string: 'Demand' }),
        product_uom: f.m2o('uom.uom'),
        quantity: f.computed('float', (env, rec) => moveQuantity(env, rec)),
        picked: f.bool(),
        state: f.selection(MOVE_STATES, { default: 'draft' }),
        location_id: f.m2o('stock.location', { required: true }),
        location_dest_id: f.m2o('stock.location', { required: true }),
        raw_material_production_id: f.m2o('mrp.production'),
        production_id: f.m2o('mrp.production'),
        operation_id: f.m2o('mrp.routing.workcenter'),
        workorder_id: f.m2o('mrp.workorder'),
        bom_line_id: f.m2o('mrp.bom.line'),
        unit_factor: f.float(),
        manual_consumption: f.bool(),
        move_line_ids: f.o2m('stock.move.line', 'move_id'),
        scrap_id: f.m2o('stock.scrap'),
        [t.moveScrapField]: f.bool(),
        company_id: f.company(),
        date: f.datetime(),
      },
      displayName: (_env, rec) => String(rec.reference || rec.name || `stock.move,${rec.id}`),
      // Writing `picked` on a move sets it on its lines (Odoo's _inverse_picked).
      afterWrite: (env, rec, vals) => {
        if ('picked' in vals) for (const line of linesOf(env, rec)) line.picked = Boolean(vals.picked);
      },
      refs: moveRefs,
    },
    {
      name: 'stock.move.line',
      fields: {
        move_id: f.m2o('stock.move'),
        product_id: f.m2o('product.product', { required: true }),
        lot_id: f.m2o('stock.lot'),
        lot_name: f.char(),
        quantity: f.float(),
        picked: f.bool(),
        product_uom_id: f.m2o('uom.uom'),
        location_id: f.m2o('stock.location', { required: true }),
        location_dest_id: f.m2o('stock.location', { required: true }),
        state: f.computed('selection', (env, rec) => env.maybe('stock.move', rec.move_id)?.state ?? 'draft', {
          selection: MOVE_STATES,
        }),
        reference: f.computed('char', (env, rec) => env.maybe('stock.move', rec.move_id)?.reference ?? false),
        production_id: f.computed('many2one', (env, rec) => productionOfLine(env, rec)?.id ?? false, {
          relation: 'mrp.production',
        }),
        consume_line_ids: f.m2m('stock.move.line', { string: 'Consumed lines' }),
        produce_line_ids: f.computed(
          'many2many',
          (env, rec) =>
            env
              .all('stock.move.line')
              .filter((l) => ((l.consume_line_ids as number[]) ?? []).includes(rec.id))
              .map((l) => l.id),
          { relation: 'stock.move.line' },
        ),
        company_id: f.company(),
        date: f.datetime(),
      },
      afterCreate: (env, rec) => {
        const move = env.maybe('stock.move', rec.move_id);
        if (move?.state === 'done') throw userError('You cannot add a line to a done move.');
        if (move && rec.picked && linesOf(env, move).every((l) => l.picked)) move.picked = true;
      },
      beforeUnlink: (env, rec) => {
        if (env.maybe('stock.move', rec.move_id)?.state === 'done') {
          throw userError(
            'You can not delete product moves if the picking is done. You can only correct the done quantities.',
          );
        }
      },
      refs: (env, rec) => {
        const mo = productionOfLine(env, rec);
        const lot = env.maybe('stock.lot', rec.lot_id);
        const xmlid = env.all('ir.model.data').find((d) => d.model === 'stock.move.line' && d.res_id === rec.id);
        return {
          ...(mo ? { moName: String(mo.name) } : {}),
          ...(lot ? { lot: String(lot.name) } : {}),
          ...(xmlid ? { key: `${String(xmlid.module)}.${String(xmlid.name)}` } : {}),
        };
      },
    },
    {
      name: 'stock.lot',
      mailThread: true,
      fields: {
        name: f.char({ required: true, string: 'Lot/Serial Number' }),
        ref: f.char({ string: 'Internal Reference' }),
        product_id: f.m2o('product.product', { required: true }),
        company_id: f.company({ required: t.major === 17 }),
        note: f.html(),
        quant_ids: f.o2m('stock.quant', 'lot_id'),
        product_qty: f.computed('float', (env, rec) => fsum(lotQuants(env, rec).map((q) => q.quantity as number))),
        location_id: {
          ...f.computed(
            'many2one',
            (env, rec) => {
              const locations = [...new Set(lotQuants(env, rec).map((q) => q.location_id as number))];
              return locations.length === 1 ? locations[0]! : false;
            },
            { relation: 'stock.location' },
          ),
          readonly: false,
          inverseWrite: (env, rec, value) => {
            if (typeof value === 'number') relocateLot(env, rec, value);
          },
        },
        create_date: f.datetime({ default: (env) => env.now() }),
      },
      constrain: lotUniqueness,
      beforeWrite: (env, rec, vals) => {
        if ('company_id' in vals && vals.company_id !== rec.company_id)
          throw userError(
            'Changing the company of this record is forbidden at this point, you should rather archive it and create a new one.',
          );
        if (
          'product_id' in vals &&
          vals.product_id !== rec.product_id &&
          env.all('stock.move.line').some((l) => l.lot_id === rec.id)
        ) {
          throw userError(
            'You are not allowed to change the product linked to a serial or lot number if some stock moves have already been created with that number.',
          );
        }
      },
      refs: (env, rec) => ({
        lot: String(rec.name),
        material: String(env.maybe('product.product', rec.product_id)?.default_code ?? ''),
      }),
    },
    {
      name: 'stock.quant',
      fields: {
        product_id: f.m2o('product.product', { required: true }),
        location_id: f.m2o('stock.location', { required: true }),
        lot_id: f.m2o('stock.lot'),
        quantity: f.float(),
        reserved_quantity: f.computed('float', (env, rec) => reservedQuantity(env, rec)),
        inventory_quantity: f.float({ string: 'Counted Quantity' }),
        inventory_quantity_set: f.bool(),
        company_id: f.company(),
        in_date: f.datetime(),
      },
      methods: inventoryMethods(),
      displayName: (env, rec) => {
        const loc = env.maybe('stock.location', rec.location_id);
        const lot = env.maybe('stock.lot', rec.lot_id);
        return [loc ? env.displayName('stock.location', loc) : '', lot ? String(lot.name) : '']
          .filter(Boolean)
          .join(' - ');
      },
      constrain: (env, rec) => {
        if (!isInternal(env, rec.location_id))
          throw validationError('Quants cannot be created for consumables or services.');
      },
    },
    {
      name: 'stock.scrap',
      mailThread: true,
      sequence: { field: 'name', prefix: 'SP/', padding: 5 },
      fields: {
        name: f.char({ default: 'New' }),
        origin: f.char({ string: 'Source Document' }),
        product_id: f.m2o('product.product', { required: true }),
        product_uom_id: f.m2o('uom.uom', {
          default: (env, vals) => env.maybe('product.product', vals.product_id)?.uom_id ?? false,
        }),
        scrap_qty: f.float({ default: 1 }),
        lot_id: f.m2o('stock.lot'),
        location_id: f.m2o('stock.location', { required: true, default: (env) => defaultStock(env) }),
        scrap_location_id: f.m2o('stock.location', { required: true, default: (env) => defaultScrap(env) }),
        production_id: f.m2o('mrp.production'),
        workorder_id: f.m2o('mrp.workorder'),
        bom_id: f.m2o('mrp.bom'),
        move_ids: f.o2m('stock.move', 'scrap_id'),
        state: f.selection(['draft', 'done'], { default: 'draft' }),
        date_done: f.datetime(),
        company_id: f.company(),
      },
      methods: scrapMethods(),
      refs: (env, rec) => {
        const mo = env.maybe('mrp.production', rec.production_id);
        const lot = env.maybe('stock.lot', rec.lot_id);
        return {
          scrap: String(rec.name),
          ...(rec.origin ? { key: /pf-[0-9a-f]{8,}/.exec(String(rec.origin))?.[0] ?? String(rec.origin) } : {}),
          ...(mo ? { moName: String(mo.name) } : {}),
          ...(lot ? { lot: String(lot.name) } : {}),
        };
      },
    },
  ];
}

function defaultStock(env: Env): number | false {
  const wh = env.search('stock.warehouse', [], { limit: 1 })[0];
  return (wh?.lot_stock_id as number | undefined) ?? false;
}

function defaultScrap(env: Env): number | false {
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
  return scrap?.id ?? false;
}
