import type { Env } from '../orm/env';
import type { FieldDef, Json, Rec, Vals } from '../orm/types';

/** Short constructors so model schemas read like Odoo field declarations. */
type Opts = Partial<Omit<FieldDef, 'type'>>;

export const f = {
  char: (o: Opts = {}): FieldDef => ({ type: 'char', ...o }),
  text: (o: Opts = {}): FieldDef => ({ type: 'text', ...o }),
  html: (o: Opts = {}): FieldDef => ({ type: 'html', ...o }),
  int: (o: Opts = {}): FieldDef => ({ type: 'integer', default: 0, ...o }),
  float: (o: Opts = {}): FieldDef => ({ type: 'float', default: 0, ...o }),
  bool: (o: Opts = {}): FieldDef => ({ type: 'boolean', default: false, ...o }),
  datetime: (o: Opts = {}): FieldDef => ({ type: 'datetime', ...o }),
  selection: (values: readonly string[], o: Opts = {}): FieldDef => ({ type: 'selection', selection: values, ...o }),
  m2o: (relation: string, o: Opts = {}): FieldDef => ({ type: 'many2one', relation, ...o }),
  o2m: (relation: string, inverse: string, o: Opts = {}): FieldDef => ({ type: 'one2many', relation, inverse, ...o }),
  m2m: (relation: string, o: Opts = {}): FieldDef => ({ type: 'many2many', relation, ...o }),
  computed: (type: FieldDef['type'], compute: (env: Env, rec: Rec) => Json, o: Opts = {}): FieldDef => ({
    type,
    compute,
    readonly: true,
    ...o,
  }),
  /** The company of the user (there is one in the simulator). */
  company: (o: Opts = {}): FieldDef => ({ type: 'many2one', relation: 'res.company', default: 1, ...o }),
};

export const defaultFrom = (fn: (env: Env, vals: Vals) => Json) => fn;
