import { userError } from '../errors';
import type { Env } from '../orm/env';
import type { FieldDef, MethodSpec, ModelDef, Rec } from '../orm/types';
import type { OdooVersionTraits } from '../version';
import { f } from './fields';

/** Enterprise quality (quality, quality_control, quality_mrp). */
const MARKER = /pf-[0-9a-f]{8,}/;

function firstTeam(env: Env): number | false {
  const team = env.search('quality.alert.team', [], { limit: 1 })[0];
  if (!team) throw userError('No quality teams found for this company!');
  return team.id;
}

function lotRefs(env: Env, rec: Rec, field: string): Record<string, string> {
  const ids = Array.isArray(rec[field]) ? (rec[field] as number[]) : rec[field] ? [rec[field] as number] : [];
  const names = ids.map((id) => env.maybe('stock.lot', id)?.name).filter(Boolean);
  return names.length ? { lot: names.join(',') } : {};
}

function setQualityState(env: Env, ids: number[], state: 'pass' | 'fail'): undefined {
  for (const check of env.browse('quality.check', ids)) {
    check.quality_state = state;
    check.user_id = env.uid;
    check.control_date = env.now();
  }
  return undefined; // do_pass / do_fail return None (JSON-RPC: no `result` key)
}

function checkMethods(): Record<string, MethodSpec> {
  return {
    do_pass: { params: [], run: (env, ids) => setQualityState(env, ids, 'pass') },
    do_fail: { params: [], run: (env, ids) => setQualityState(env, ids, 'fail') },
  };
}

export function qualityModels(t: OdooVersionTraits): ModelDef[] {
  const lotField: Record<string, FieldDef> =
    t.qualityLotField === 'lot_id' ? { lot_id: f.m2o('stock.lot') } : { lot_ids: f.m2m('stock.lot') };
  const markerRef = (text: unknown): Record<string, string> => {
    const m = typeof text === 'string' ? MARKER.exec(text) : null;
    return m ? { key: m[0] } : {};
  };
  return [
    {
      name: 'quality.point.test_type',
      fields: { name: f.char({ required: true }), technical_name: f.char({ required: true }) },
    },
    {
      name: 'quality.alert.team',
      fields: { name: f.char({ required: true }), company_id: f.company(), sequence: f.int() },
    },
    {
      name: 'quality.alert.stage',
      order: 'sequence, id',
      fields: {
        name: f.char({ required: true }),
        sequence: f.int(),
        folded: f.bool(),
        done: f.bool(),
        team_ids: f.m2m('quality.alert.team'),
      },
    },
    { name: 'quality.reason', fields: { name: f.char({ required: true }) } },
    {
      name: 'quality.point',
      sequence: { field: 'name', prefix: 'QCP', padding: 5 },
      fields: {
        name: f.char({ default: 'New' }),
        title: f.char(),
        team_id: f.m2o('quality.alert.team', { required: true, default: (env) => firstTeam(env) }),
        product_ids: f.m2m('product.product'),
        picking_type_ids: f.m2m('stock.picking.type'),
        test_type_id: f.m2o('quality.point.test_type', { required: true }),
        measure_on: f.selection(['operation', 'product', 'move_line'], { default: 'operation' }),
        measure_frequency_type: f.selection(['all', 'random', 'periodical', 'on_demand'], { default: 'all' }),
        norm: f.float(),
        tolerance_min: f.float(),
        tolerance_max: f.float(),
        norm_unit: f.char(),
        note: f.html(),
        company_id: f.company(),
        active: f.bool({ default: true }),
      },
    },
    {
      name: 'quality.check',
      mailThread: true,
      sequence: { field: 'name', prefix: 'QC', padding: 5 },
      fields: {
        name: f.char({ default: 'New' }),
        point_id: f.m2o('quality.point'),
        title: f.char(),
        quality_state: f.selection(['none', 'pass', 'fail'], { default: 'none' }),
        control_date: f.datetime(),
        product_id: f.m2o('product.product'),
        ...lotField,
        production_id: f.m2o('mrp.production'),
        team_id: f.m2o('quality.alert.team', { required: true, default: (env) => firstTeam(env) }),
        test_type_id: f.m2o('quality.point.test_type', {
          required: true,
          default: (env) =>
            env.search('quality.point.test_type', [['technical_name', '=', 'passfail']], { limit: 1 })[0]?.id ?? false,
        }),
        user_id: f.m2o('res.users'),
        company_id: f.company(),
        measure: f.float(),
        additional_note: f.text(),
        note: f.computed('html', (env, rec) => env.maybe('quality.point', rec.point_id)?.note ?? false),
        alert_ids: f.o2m('quality.alert', 'check_id'),
      },
      constrain: (env, rec) => {
        const mo = env.maybe('mrp.production', rec.production_id);
        if (mo && rec.product_id && rec.product_id !== mo.product_id) {
          throw userError('You must select a product of the manufacturing order.');
        }
      },
      afterWrite: (env, rec, vals) => {
        // Writing quality_state runs the same effects as do_pass / do_fail.
        if (vals.quality_state === 'pass' || vals.quality_state === 'fail')
          setQualityState(env, [rec.id], vals.quality_state);
      },
      methods: checkMethods(),
      refs: (env, rec) => {
        const mo = env.maybe('mrp.production', rec.production_id);
        return {
          check: String(rec.name),
          ...(mo ? { moName: String(mo.name) } : {}),
          ...lotRefs(env, rec, t.qualityLotField),
          ...markerRef(rec.additional_note),
        };
      },
    },
    {
      name: 'quality.alert',
      mailThread: true,
      sequence: { field: 'name', prefix: 'QA', padding: 5 },
      fields: {
        name: f.char({ default: 'New' }),
        title: f.char(),
        description: f.html(),
        stage_id: f.m2o('quality.alert.stage', {
          default: (env) => env.search('quality.alert.stage', [], { limit: 1, order: 'sequence, id' })[0]?.id ?? false,
        }),
        reason_id: f.m2o('quality.reason', { string: 'Root Cause' }),
        team_id: f.m2o('quality.alert.team', { required: true, default: (env) => firstTeam(env) }),
        product_id: f.m2o('product.product'),
        product_tmpl_id: f.m2o('product.template'),
        ...lotField,
        production_id: f.m2o('mrp.production'),
        check_id: f.m2o('quality.check'),
        user_id: f.m2o('res.users'),
        priority: f.selection(['0', '1', '2', '3'], { default: '0' }),
        date_assign: f.datetime(),
        date_close: f.datetime(),
        action_corrective: f.html(),
        action_preventive: f.html(),
        company_id: f.company(),
      },
      afterCreate: (env, rec) => {
        if (!rec.product_tmpl_id && rec.product_id)
          rec.product_tmpl_id = env.get('product.product', rec.product_id).product_tmpl_id;
      },
      afterWrite: (env, rec, vals) => {
        if ('stage_id' in vals) {
          const stage = env.maybe('quality.alert.stage', rec.stage_id);
          rec.date_close = stage?.done ? env.now() : false;
        }
      },
      refs: (env, rec) => ({
        alert: String(rec.name),
        ...lotRefs(env, rec, t.qualityLotField),
        ...markerRef(rec.description),
      }),
    },
  ];
}
