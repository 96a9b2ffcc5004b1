import type { OdooVersionTraits } from '../version';
import type { Env } from './env';

/** JSON-safe values, so the whole business state can be dumped and persisted as is. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Rec = { id: number; [field: string]: Json };
export type Vals = Record<string, unknown>;

export type FieldType =
  | 'char'
  | 'text'
  | 'html'
  | 'integer'
  | 'float'
  | 'boolean'
  | 'selection'
  | 'date'
  | 'datetime'
  | 'many2one'
  | 'one2many'
  | 'many2many'
  | 'json';

export interface FieldDef {
  type: FieldType;
  string?: string;
  /** Target model of relational fields. */
  relation?: string;
  /** one2many: the many2one on `relation` pointing back. */
  inverse?: string;
  /** one2many: extra filter on the related records (e.g. scrap moves excluded). */
  filter?: (rec: Rec) => boolean;
  selection?: readonly string[];
  required?: boolean;
  readonly?: boolean;
  default?: Json | ((env: Env, vals: Vals) => Json);
  /** Non-stored computed value, evaluated on read and in domains. */
  compute?: (env: Env, rec: Rec) => Json;
  /** Makes a computed field writable (Odoo `inverse=`). */
  inverseWrite?: (env: Env, rec: Rec, value: Json) => void;
}

/** A method callable over RPC, with the Python signature that call_kw / JSON-2 bind arguments to. */
export interface MethodSpec {
  /** `@api.model`: no ids (args[0] is not taken as ids; JSON-2 refuses ids). */
  model?: boolean;
  /** Reads only: not journaled, never faulted by commit-then-error. */
  readonly?: boolean;
  /** Positional-or-keyword parameter names after `self`, in order; `?` suffix = optional. */
  params: readonly string[];
  /** Accepts **kwargs. */
  varKw?: boolean;
  /** `@api.returns(model, lambda value: value.id)`: a single record is downgraded to its id (≤18). */
  returnsSingle?: boolean;
  run(env: Env, ids: number[], args: Record<string, unknown>): unknown;
}

export interface ModelDef {
  name: string;
  fields: Record<string, FieldDef>;
  /** Default `order` of search. */
  order?: string;
  displayName?: (env: Env, rec: Rec) => string;
  /** Fills `field` from a sequence when created without it (or with 'New'). */
  sequence?: { field: string; prefix: string; padding: number };
  /** Runs after the generic create (defaults applied, x2many commands executed). */
  afterCreate?: (env: Env, rec: Rec, vals: Vals) => void;
  /** Runs before the generic write is applied, may refuse. */
  beforeWrite?: (env: Env, rec: Rec, vals: Vals) => void;
  afterWrite?: (env: Env, rec: Rec, vals: Vals) => void;
  beforeUnlink?: (env: Env, rec: Rec) => void;
  /** Python @api.constrains, run after create/write. */
  constrain?: (env: Env, rec: Rec) => void;
  methods?: Record<string, MethodSpec>;
  /** Business identifiers of a record for the write journal (moName, lot, key…). */
  refs?: (env: Env, rec: Rec) => Record<string, string>;
  /** Inherits mail.thread (message_post). */
  mailThread?: boolean;
  /** Many2one to the parent record, for `child_of` (stock.location: `location_id`). */
  parentField?: string;
}

export interface Registry {
  traits: OdooVersionTraits;
  models: Map<string, ModelDef>;
}

export interface OdooState {
  records: Record<string, Record<string, Rec>>;
  nextId: Record<string, number>;
  sequences: Record<string, number>;
}

/** A recordset returned by a method: call_kw turns it into an id or ids. */
export class RecordSet {
  constructor(
    readonly model: string,
    readonly ids: number[],
  ) {}
}
