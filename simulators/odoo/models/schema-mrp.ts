import { userError, validationError } from '../errors';
import type { Env } from '../orm/env';
import type { FieldDef, MethodSpec, ModelDef, Rec } from '../orm/types';
import type { OdooVersionTraits } from '../version';
import { f } from './fields';
import { markDone } from './mrp-mark-done';
import {
  cancelProduction,
  confirmProduction,
  explodeProduction,
  finishedMoves,
  producedQuantity,
  rawMoves,
  setQtyProducing,
} from './mrp-production';
import { workorderMethods } from './mrp-workorder';
import { linesOf, reserveMove } from './stock-logic';

const MO_STATES = ['draft', 'confirmed', 'progress', 'to_close', 'done', 'cancel'] as const;

function productionMethods(t: OdooVersionTraits): Record<string, MethodSpec> {
  const each = (fn: (env: Env, mo: Rec) => void, result: unknown = true): MethodSpec => ({
    params: [],
    run: (env, ids) => {
      for (const mo of env.browse('mrp.production', ids)) fn(env, mo);
      return result;
    },
  });
  return {
    action_confirm: each(confirmProduction),
    button_plan: each((env, mo) => {
      confirmProduction(env, mo);
      mo.is_planned = true;
    }),
    action_assign: each((env, mo) => {
      for (const move of rawMoves(env, mo)) reserveMove(env, move);
    }),
    action_cancel: each(cancelProduction),
    button_mark_done: { params: [], run: (env, ids) => markDone(env, ids) },
    // 17/18 public wrapper of _set_qty_producing; returns None.
    ...(t.hasSetQtyProducing ? { set_qty_producing: each(setQtyProducing, undefined) } : {}),
  };
}

function reservationState(env: Env, mo: Rec): string | false {
  if (!['confirmed', 'progress', 'to_close'].includes(mo.state as string)) return false;
  const open = rawMoves(env, mo).filter((m) => m.state !== 'done' && m.state !== 'cancel');
  if (open.every((m) => m.state === 'assigned' || m.picked)) return 'assigned';
  return open.some((m) => m.state === 'partially_available') ? 'waiting' : 'confirmed';
}

export function mrpModels(t: OdooVersionTraits): ModelDef[] {
  const lotProducing: Record<string, FieldDef> =
    t.lotProducingField === 'lot_producing_id'
      ? { lot_producing_id: f.m2o('stock.lot', { string: 'Lot/Serial Number' }) }
      : { lot_producing_ids: f.m2m('stock.lot', { string: 'Lot/Serial Numbers' }) };
  return [
    {
      name: 'mrp.workcenter',
      fields: {
        name: f.char({ required: true }),
        code: f.char(),
        company_id: f.company(),
        active: f.bool({ default: true }),
      },
    },
    {
      name: 'mrp.bom',
      fields: {
        product_tmpl_id: f.m2o('product.template', { required: true }),
        product_id: f.m2o('product.product'),
        product_qty: f.float({ default: 1 }),
        product_uom_id: f.m2o('uom.uom'),
        code: f.char({ string: 'Reference' }),
        type: f.selection(['normal', 'phantom'], { default: 'normal' }),
        consumption: f.selection(['flexible', 'warning', 'strict'], { default: 'warning' }),
        bom_line_ids: f.o2m('mrp.bom.line', 'bom_id'),
        operation_ids: f.o2m('mrp.routing.workcenter', 'bom_id'),
        company_id: f.company(),
        active: f.bool({ default: true }),
      },
      displayName: (env, rec) => {
        const tmpl = env.maybe('product.template', rec.product_tmpl_id);
        return [rec.code, tmpl ? env.displayName('product.template', tmpl) : ''].filter(Boolean).join(': ');
      },
    },
    {
      name: 'mrp.bom.line',
      fields: {
        bom_id: f.m2o('mrp.bom', { required: true }),
        product_id: f.m2o('product.product', { required: true }),
        product_qty: f.float({ default: 1 }),
        product_uom_id: f.m2o('uom.uom'),
        operation_id: f.m2o('mrp.routing.workcenter', { string: 'Consumed in Operation' }),
      },
      displayName: (env, rec) => env.displayName('product.product', env.get('product.product', rec.product_id)),
    },
    {
      name: 'mrp.routing.workcenter',
      order: 'sequence, id',
      fields: {
        name: f.char({ required: true }),
        bom_id: f.m2o('mrp.bom', { required: true }),
        workcenter_id: f.m2o('mrp.workcenter', { required: true }),
        sequence: f.int({ default: 100 }),
        time_cycle_manual: f.float({ default: 60 }),
        company_id: f.company(),
      },
    },
    {
      name: 'mrp.production',
      mailThread: true,
      sequence: { field: 'name', prefix: 'WH/MO/', padding: 5 },
      fields: {
        name: f.char({ default: 'New', string: 'Reference' }),
        origin: f.char({ string: 'Source' }),
        product_id: f.m2o('product.product', { required: true }),
        product_tmpl_id: f.m2o('product.template'),
        bom_id: f.m2o('mrp.bom'),
        product_qty: f.float({ default: 1, string: 'Quantity To Produce' }),
        product_uom_id: f.m2o('uom.uom'),
        qty_producing: f.float({ string: 'Quantity Producing' }),
        qty_produced: f.computed('float', (env, rec) => producedQuantity(env, rec)),
        ...lotProducing,
        move_raw_ids: f.o2m('stock.move', 'raw_material_production_id', { filter: (m) => !m[t.moveScrapField] }),
        move_finished_ids: f.o2m('stock.move', 'production_id', { filter: (m) => !m[t.moveScrapField] }),
        finished_move_line_ids: f.computed(
          'one2many',
          (env, rec) =>
            finishedMoves(env, rec)
              .filter((m) => m.product_id === rec.product_id)
              .flatMap((m) => linesOf(env, m))
              .map((l) => l.id),
          { relation: 'stock.move.line' },
        ),
        workorder_ids: f.o2m('mrp.workorder', 'production_id'),
        scrap_ids: f.o2m('stock.scrap', 'production_id'),
        check_ids: f.o2m('quality.check', 'production_id'),
        state: f.selection(MO_STATES, { default: 'draft' }),
        reservation_state: f.computed('selection', reservationState, {
          selection: ['confirmed', 'assigned', 'waiting'],
        }),
        consumption: f.selection(['flexible', 'warning', 'strict'], { default: 'flexible' }),
        is_locked: f.bool(),
        is_planned: f.bool(),
        picking_type_id: f.m2o('stock.picking.type'),
        location_src_id: f.m2o('stock.location'),
        location_dest_id: f.m2o('stock.location'),
        company_id: f.company(),
        user_id: f.m2o('res.users', { default: (env) => env.uid }),
        date_start: f.datetime({ default: (env) => env.now() }),
        date_finished: f.datetime(),
        date_deadline: f.datetime(),
        backorder_sequence: f.int(),
        priority: f.selection(['0', '1'], { default: '0' }),
      },
      afterCreate: explodeProduction,
      constrain: (env, rec) => {
        const dup = env
          .all('mrp.production')
          .some((o) => o.id !== rec.id && o.name === rec.name && o.company_id === rec.company_id);
        if (dup) throw validationError('Reference must be unique per Company!');
        // 19 `_check_lot_producing_ids`: a lot-tracked product is produced into one lot per MO.
        const lots = t.lotProducingField === 'lot_producing_ids' ? ((rec.lot_producing_ids as number[]) ?? []) : [];
        if (lots.length > 1 && env.maybe('product.product', rec.product_id)?.tracking === 'lot')
          throw userError('You cannot set more than 1 lot');
      },
      methods: productionMethods(t),
      refs: (_env, rec) => ({ moName: String(rec.name) }),
    },
    {
      name: 'mrp.workorder',
      fields: {
        name: f.char({ required: true }),
        production_id: f.m2o('mrp.production', { required: true }),
        workcenter_id: f.m2o('mrp.workcenter', { required: true }),
        operation_id: f.m2o('mrp.routing.workcenter'),
        state: f.selection(t.workorderStates, { default: t.workorderWaitingState }),
        product_id: f.computed(
          'many2one',
          (env, rec) => env.maybe('mrp.production', rec.production_id)?.product_id ?? false,
          { relation: 'product.product' },
        ),
        qty_production: f.computed(
          'float',
          (env, rec) => env.maybe('mrp.production', rec.production_id)?.product_qty ?? 0,
        ),
        qty_producing: {
          ...f.computed('float', (env, rec) => env.maybe('mrp.production', rec.production_id)?.qty_producing ?? 0),
          readonly: false,
          inverseWrite: (env, rec, value) => {
            const mo = env.get('mrp.production', rec.production_id);
            if (typeof value === 'number' && value !== 0) mo.qty_producing = value;
          },
        },
        qty_produced: f.float(),
        qty_remaining: f.computed('float', (env, rec) => {
          const mo = env.maybe('mrp.production', rec.production_id);
          return mo ? Math.max((mo.product_qty as number) - (rec.qty_produced as number), 0) : 0;
        }),
        date_start: f.datetime(),
        date_finished: f.datetime(),
        duration: f.float(),
        duration_expected: f.float(),
        production_state: f.computed(
          'selection',
          (env, rec) => env.maybe('mrp.production', rec.production_id)?.state ?? false,
          { selection: MO_STATES },
        ),
      },
      methods: workorderMethods(),
      refs: (env, rec) => {
        const mo = env.maybe('mrp.production', rec.production_id);
        return { ...(mo ? { moName: String(mo.name) } : {}), workorder: String(rec.name) };
      },
    },
  ];
}
