import { validationError } from '../errors';
import type { Env } from '../orm/env';
import type { ModelDef, Rec } from '../orm/types';
import type { OdooVersionTraits } from '../version';
import { f } from './fields';

/** Companies, users, units, products, locations, external ids: the master data around manufacturing. */
// Odoo's _compute_complete_name: a view location is named alone, others under their parent's name.
function completeLocationName(env: Env, rec: Rec): string {
  const parent = env.maybe('stock.location', rec.location_id);
  return parent && rec.usage !== 'view' ? `${completeLocationName(env, parent)}/${String(rec.name)}` : String(rec.name);
}

export function baseModels(t: OdooVersionTraits): ModelDef[] {
  const productFields = {
    name: f.char({ required: true }),
    default_code: f.char({ string: 'Internal Reference' }),
    uom_id: f.m2o('uom.uom', { required: true }),
    tracking: f.selection(['serial', 'lot', 'none'], { default: 'none' }),
    type: f.selection(t.storableFlag ? ['consu', 'service', 'combo'] : ['consu', 'service', 'product'], {
      default: 'consu',
    }),
    ...(t.storableFlag ? { is_storable: f.bool() } : {}),
    active: f.bool({ default: true }),
    company_id: f.m2o('res.company'),
  };
  const productDisplay = (_env: Env, rec: Rec) =>
    rec.default_code ? `[${String(rec.default_code)}] ${String(rec.name)}` : String(rec.name);
  return [
    {
      name: 'res.partner',
      fields: { name: f.char({ required: true }), email: f.char(), active: f.bool({ default: true }) },
    },
    { name: 'res.company', fields: { name: f.char({ required: true }), partner_id: f.m2o('res.partner') } },
    {
      name: 'res.users',
      fields: {
        name: f.char({ required: true }),
        login: f.char({ required: true }),
        partner_id: f.m2o('res.partner'),
        company_id: f.company(),
        company_ids: f.m2m('res.company'),
        active: f.bool({ default: true }),
      },
      methods: {
        context_get: {
          model: true,
          readonly: true,
          params: [],
          run: (env) => ({ lang: 'en_US', tz: 'Europe/Brussels', uid: env.uid }),
        },
      },
    },
    {
      name: 'uom.uom',
      fields: {
        name: f.char({ required: true }),
        rounding: f.float({ default: 0.01 }),
        active: f.bool({ default: true }),
      },
    },
    { name: 'product.template', fields: productFields, displayName: productDisplay },
    {
      name: 'product.product',
      fields: { ...productFields, product_tmpl_id: f.m2o('product.template', { required: true }) },
      displayName: productDisplay,
    },
    {
      name: 'stock.location',
      parentField: 'location_id',
      order: 'complete_name, id',
      fields: {
        name: f.char({ required: true }),
        complete_name: f.computed('char', (env, rec) => completeLocationName(env, rec)),
        location_id: f.m2o('stock.location', { string: 'Parent Location' }),
        usage: f.selection(['supplier', 'view', 'internal', 'customer', 'inventory', 'production', 'transit'], {
          default: 'internal',
        }),
        ...(t.locationScrapFlag ? { scrap_location: f.bool() } : {}),
        company_id: f.m2o('res.company'),
        barcode: f.char(),
        active: f.bool({ default: true }),
      },
      displayName: (env, rec) => completeLocationName(env, rec),
    },
    {
      name: 'stock.warehouse',
      fields: {
        name: f.char({ required: true }),
        code: f.char({ required: true }),
        lot_stock_id: f.m2o('stock.location'),
        view_location_id: f.m2o('stock.location'),
        company_id: f.company(),
      },
    },
    {
      name: 'stock.picking.type',
      fields: {
        name: f.char({ required: true }),
        code: f.selection(['incoming', 'outgoing', 'internal', 'mrp_operation'], { required: true }),
        sequence_code: f.char(),
        warehouse_id: f.m2o('stock.warehouse'),
        default_location_src_id: f.m2o('stock.location'),
        default_location_dest_id: f.m2o('stock.location'),
        company_id: f.company(),
      },
      displayName: (env, rec) => {
        const wh = env.maybe('stock.warehouse', rec.warehouse_id);
        return wh ? `${String(wh.name)}: ${String(rec.name)}` : String(rec.name);
      },
    },
    {
      name: 'ir.model.data',
      fields: {
        module: f.char({ required: true }),
        name: f.char({ required: true }),
        model: f.char({ required: true }),
        res_id: f.int(),
        noupdate: f.bool(),
        complete_name: f.computed('char', (_env, rec) => `${String(rec.module)}.${String(rec.name)}`),
      },
      constrain: (env, rec) => {
        const dup = env
          .all('ir.model.data')
          .find((d) => d.id !== rec.id && d.module === rec.module && d.name === rec.name);
        // A real SQL unique constraint (module, name): the one race-safe key the API offers.
        if (dup) {
          throw validationError(
            `The operation cannot be completed: External ID ${String(rec.module)}.${String(rec.name)} already exists ` +
              '(ir_model_data_module_name_uniq_index)',
          );
        }
      },
    },
    {
      name: 'mail.message.subtype',
      fields: { name: f.char({ required: true }), internal: f.bool() },
    },
    {
      name: 'mail.message',
      order: 'id desc',
      fields: {
        body: f.html({ default: '' }),
        subject: f.char(),
        model: f.char(),
        res_id: f.int(),
        record_name: f.char(),
        message_type: f.selection(
          ['email', 'comment', 'notification', 'user_notification', 'auto_comment', 'email_outgoing'],
          { default: 'comment' },
        ),
        subtype_id: f.m2o('mail.message.subtype'),
        author_id: f.m2o('res.partner'),
        date: f.datetime(),
      },
      displayName: (_env, rec) => String(rec.record_name || rec.subject || `mail.message,${rec.id}`),
    },
  ];
}
