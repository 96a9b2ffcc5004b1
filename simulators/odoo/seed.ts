import { uom } from '../../domain/uom';
import {
  DEMO_BOMS,
  DEMO_COMPONENT_LOTS,
  DEMO_INSPECTION_PLANS,
  DEMO_MATERIALS,
  DEMO_WORK_CENTERS,
} from '../shared/demo-plant';
import { Env } from './orm/env';
import type { OdooState, Registry } from './orm/types';

/**
 * A fresh `demo` database seeded from simulators/shared/demo-plant.ts: one company and warehouse,
 * products by default_code, BoMs with operations (sequence 10/20 ↔ SAP operations 0010/0020), component
 * lots in WH/Stock, a Quarantine location outside WH/Stock, and a quality team, stages and points.
 */
export const SIM_DATABASE = 'demo';
export const SIM_LOGIN = 'admin';
export const SIM_PASSWORD = 'admin';
export const SIM_UID = 2;

export function seedOdooState(registry: Registry): OdooState {
  const state: OdooState = { records: {}, nextId: {}, sequences: {} };
  const env = new Env({ registry, state }, 1);
  const t = registry.traits;
  const xmlid = (module: string, name: string, model: string, resId: number) =>
    env.create('ir.model.data', { module, name, model, res_id: resId, noupdate: true });

  const companyPartner = env.create('res.partner', { name: 'Plantflow Demo Plant 1710' });
  env.create('res.partner', { name: 'OdooBot' });
  const adminPartner = env.create('res.partner', { name: 'Mitchell Admin', email: 'admin@example.com' });
  const company = env.create('res.company', { name: 'Plantflow Demo Plant 1710', partner_id: companyPartner.id });
  env.create('res.users', { name: 'OdooBot', login: '__system__', active: false, company_ids: [company.id] });
  const admin = env.create('res.users', {
    name: 'Mitchell Admin',
    login: SIM_LOGIN,
    partner_id: adminPartner.id,
    company_ids: [company.id],
  });
  xmlid('base', 'main_company', 'res.company', company.id);
  xmlid('base', 'user_admin', 'res.users', admin.id);

  const uomIds = new Map<string, number>();
  for (const [name, rounding] of [
    ['Units', 0.01],
    ['kg', 0.001],
    ['g', 0.01],
    ['L', 0.001],
    ['ml', 0.01],
    ['m', 0.01],
  ] as const) {
    uomIds.set(name, env.create('uom.uom', { name, rounding }).id);
  }
  const uomId = (code: string) => uomIds.get(uom(code).odoo)!;

  const productIds = new Map<string, number>();
  for (const m of DEMO_MATERIALS) {
    const vals = {
      name: m.name,
      default_code: m.code,
      uom_id: uomId(m.uom),
      tracking: m.lotTracked ? 'lot' : 'none',
      ...(t.storableFlag ? { type: 'consu', is_storable: true } : { type: 'product' }),
    };
    const tmpl = env.create('product.template', vals);
    productIds.set(m.code, env.create('product.product', { ...vals, product_tmpl_id: tmpl.id }).id);
  }

  const location = (name: string, usage: string, parent: number | false, extra: Record<string, unknown> = {}) =>
    env.create('stock.location', {
      name,
      usage,
      location_id: parent,
      company_id: usage === 'view' && !parent ? false : company.id,
      ...extra,
    }).id;
  const physical = location('Physical Locations', 'view', false);
  const virtual = location('Virtual Locations', 'view', false);
  location('Partners', 'view', false);
  const whView = location('WH', 'view', physical);
  const stock = location('Stock', 'internal', whView);
  location('Quarantine', 'internal', whView);
  location('Production', 'production', virtual);
  const scrap = location('Scrap', 'inventory', virtual, t.locationScrapFlag ? { scrap_location: true } : {});
  location('Inventory adjustment', 'inventory', virtual);
  const warehouse = env.create('stock.warehouse', {
    name: 'Plantflow 1710',
    code: 'WH',
    lot_stock_id: stock,
    view_location_id: whView,
  });
  xmlid('stock', 'warehouse0', 'stock.warehouse', warehouse.id);
  xmlid('stock', 'stock_location_stock', 'stock.location', stock);
  xmlid('stock', 'stock_location_scrapped', 'stock.location', scrap);
  const mrpType = env.create('stock.picking.type', {
    name: 'Manufacturing',
    code: 'mrp_operation',
    sequence_code: 'MO',
    warehouse_id: warehouse.id,
    default_location_src_id: stock,
    default_location_dest_id: stock,
  });

  const workcenterIds = new Map(
    DEMO_WORK_CENTERS.map((w) => [w.code, env.create('mrp.workcenter', { name: w.name, code: w.code }).id]),
  );
  for (const bom of DEMO_BOMS) {
    const product = env.get('product.product', productIds.get(bom.material));
    const record = env.create('mrp.bom', {
      product_tmpl_id: product.product_tmpl_id,
      product_qty: 1,
      product_uom_id: product.uom_id,
      code: `BOM-${bom.material}`,
      consumption: 'warning',
    });
    const operationIds = new Map(
      bom.routing.map((op) => [
        op.operation,
        env.create('mrp.routing.workcenter', {
          name: op.description,
          bom_id: record.id,
          workcenter_id: workcenterIds.get(op.workCenter),
          sequence: Number.parseInt(op.operation, 10),
          time_cycle_manual: 30,
        }).id,
      ]),
    );
    for (const line of bom.lines) {
      env.create('mrp.bom.line', {
        bom_id: record.id,
        product_id: productIds.get(line.component),
        product_qty: Number(line.perUnit),
        product_uom_id: uomId(line.uom),
        operation_id: operationIds.get(line.operation),
      });
    }
  }

  for (const lot of DEMO_COMPONENT_LOTS) {
    const record = env.create('stock.lot', { name: lot.lot, product_id: productIds.get(lot.material) });
    env.create('stock.quant', {
      product_id: record.product_id,
      location_id: stock,
      lot_id: record.id,
      quantity: Number(lot.quantity),
      in_date: env.now(),
    });
  }

  const comment = env.create('mail.message.subtype', { name: 'Discussions' });
  const note = env.create('mail.message.subtype', { name: 'Note', internal: true });
  xmlid('mail', 'mt_comment', 'mail.message.subtype', comment.id);
  xmlid('mail', 'mt_note', 'mail.message.subtype', note.id);

  const testTypes = new Map(
    (['passfail', 'measure', 'instructions'] as const).map((technical) => [
      technical,
      env.create('quality.point.test_type', {
        name: { passfail: 'Pass - Fail', measure: 'Measure', instructions: 'Instructions' }[technical],
        technical_name: technical,
      }).id,
    ]),
  );
  const team = env.create('quality.alert.team', { name: 'Main Quality Team' });
  xmlid('quality', 'quality_alert_team0', 'quality.alert.team', team.id);
  (
    [
      ['New', 0, false],
      ['Confirmed', 1, false],
      ['Action Proposed', 2, false],
      ['Solved', 3, true],
    ] as const
  ).forEach(([name, sequence, done]) => env.create('quality.alert.stage', { name, sequence, done, folded: done }));
  for (const name of ['Workcenter Failure', 'Parts Quality', 'Work Operation', 'Others'])
    env.create('quality.reason', { name });
  for (const [material, plan] of Object.entries(DEMO_INSPECTION_PLANS)) {
    for (const c of plan.characteristics) {
      const measured = c.lower !== undefined || c.upper !== undefined;
      env.create('quality.point', {
        title: `${c.code} - ${c.description}`,
        team_id: team.id,
        product_ids: [[6, 0, [productIds.get(material)]]],
        picking_type_ids: [[6, 0, [mrpType.id]]],
        test_type_id: testTypes.get(measured ? 'measure' : 'passfail'),
        measure_on: 'product',
        // On demand: the QMS owns inspections, so these checks are created when a result is recorded.
        // "All": a check on every MO, created at confirmation, that blocks mark-done until it is done.
        measure_frequency_type: c.everyOrder ? 'all' : 'on_demand',
        tolerance_min: c.lower !== undefined ? Number(c.lower) : 0,
        tolerance_max: c.upper !== undefined ? Number(c.upper) : 0,
        norm_unit: c.unit ?? false,
        note: `<p>${plan.plan} / ${c.code}${c.required ? ' (required)' : ''}</p>`,
      });
    }
  }
  return state;
}
