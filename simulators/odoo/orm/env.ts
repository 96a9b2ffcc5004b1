import Decimal from 'decimal.js';
import { missingError, userError, validationError, valueError } from '../errors';
import type { OdooVersionTraits } from '../version';
import { matchesDomain } from './domain';
import type { FieldDef, Json, ModelDef, OdooState, Rec, Registry, Vals } from './types';
import { applyX2Many, toStored } from './values';

export interface SimContext {
  registry: Registry;
  state: OdooState;
}

export interface SearchOptions {
  order?: string;
  limit?: number;
  offset?: number;
}

/**
 * The simulated `env` of one RPC call: generic ORM operations over the JSON state, plus the journal
 * refs the call accumulates. Business code mutates records through it so hooks and constraints run.
 */
export class Env {
  readonly refs: Record<string, string> = {};

  constructor(
    readonly sim: SimContext,
    readonly uid: number,
    readonly context: Record<string, unknown> = {},
  ) {}

  get traits(): OdooVersionTraits {
    return this.sim.registry.traits;
  }

  withContext(extra: Record<string, unknown>): Env {
    const env = new Env(this.sim, this.uid, { ...this.context, ...extra });
    Object.assign(env.refs, this.refs);
    return env;
  }

  hasModel(name: string): boolean {
    return this.sim.registry.models.has(name);
  }

  model(name: string): ModelDef {
    const def = this.sim.registry.models.get(name);
    if (!def) throw userError(`Object ${name} doesn't exist`);
    return def;
  }

  fieldDef(model: string, field: string): FieldDef | undefined {
    return this.model(model).fields[field];
  }

  private table(model: string): Record<string, Rec> {
    this.model(model);
    return (this.sim.state.records[model] ??= {});
  }

  all(model: string): Rec[] {
    return Object.values(this.table(model));
  }

  maybe(model: string, id: unknown): Rec | undefined {
    return typeof id === 'number' ? this.table(model)[String(id)] : undefined;
  }

  get(model: string, id: unknown): Rec {
    const rec = this.maybe(model, id);
    if (!rec) throw missingError(model, [Number(id)], this.uid);
    return rec;
  }

  browse(model: string, ids: number[]): Rec[] {
    const missing = ids.filter((id) => !this.maybe(model, id));
    if (missing.length > 0) throw missingError(model, missing, this.uid);
    return ids.map((id) => this.get(model, id));
  }

  /** Stored or computed value of a field. */
  value(model: string, rec: Rec, field: string): Json {
    if (field === 'id') return rec.id;
    if (field === 'display_name') return this.displayName(model, rec);
    const def = this.fieldDef(model, field);
    if (!def) throw valueError(`Invalid field '${field}' on model '${model}'`);
    if (def.compute) return def.compute(this, rec);
    if (def.type === 'one2many') return this.o2m(model, rec, field).map((r) => r.id);
    if (def.type === 'many2many') {
      const ids = (rec[field] as number[] | undefined) ?? [];
      return ids.filter((id) => this.maybe(def.relation!, id));
    }
    return rec[field] ?? false;
  }

  o2m(model: string, rec: Rec, field: string): Rec[] {
    const def = this.fieldDef(model, field)!;
    return this.all(def.relation!)
      .filter((r) => r[def.inverse!] === rec.id && (!def.filter || def.filter(r)))
      .sort((a, b) => a.id - b.id);
  }

  /** The record a many2one points to, or undefined. */
  m2o(model: string, rec: Rec, field: string): Rec | undefined {
    const def = this.fieldDef(model, field)!;
    return this.maybe(def.relation!, rec[field]);
  }

  displayName(model: string, rec: Rec): string {
    const def = this.model(model);
    if (def.displayName) return def.displayName(this, rec);
    return typeof rec.name === 'string' ? rec.name : `${model},${rec.id}`;
  }

  search(model: string, domain: unknown[] = [], options: SearchOptions = {}): Rec[] {
    const def = this.model(model);
    const mentionsActive = JSON.stringify(domain).includes('"active"');
    let found = this.all(model).filter(
      (rec) =>
        (mentionsActive || !def.fields.active || rec.active !== false) && matchesDomain(this, model, rec, domain),
    );
    found = sortRecords(this, model, found, options.order ?? def.order ?? 'id');
    const offset = options.offset ?? 0;
    return found.slice(offset, options.limit ? offset + options.limit : undefined);
  }

  nextSequence(code: string, prefix: string, padding: number): string {
    const next = (this.sim.state.sequences[code] ?? 0) + 1;
    this.sim.state.sequences[code] = next;
    return `${prefix}${String(next).padStart(padding, '0')}`;
  }

  now(): string {
    return new Date().toISOString().slice(0, 19).replace('T', ' ');
  }

  create(model: string, vals: Vals): Rec {
    const def = this.model(model);
    checkFieldNames(def, vals);
    const id = this.sim.state.nextId[model] ?? 1;
    this.sim.state.nextId[model] = id + 1;
    const rec: Rec = { id };
    for (const [name, field] of Object.entries(def.fields)) {
      if (field.compute || field.type === 'one2many') continue;
      if (name in vals) continue;
      const dflt = typeof field.default === 'function' ? field.default(this, vals) : field.default;
      rec[name] = dflt ?? (field.type === 'many2many' ? [] : false);
    }
    if (def.sequence) {
      const current = vals[def.sequence.field];
      if (!current || current === 'New') {
        rec[def.sequence.field] = this.nextSequence(model, def.sequence.prefix, def.sequence.padding);
      }
    }
    const deferred: [string, FieldDef, unknown][] = [];
    for (const [name, value] of Object.entries(vals)) {
      const field = def.fields[name]!;
      if (field.type === 'one2many' || field.compute) deferred.push([name, field, value]);
      else if (name === def.sequence?.field && (!value || value === 'New')) continue;
      else if (field.type === 'many2many') rec[name] = applyX2Many(this, model, rec, name, field, value, []);
      else rec[name] = toStored(this, model, name, field, value);
    }
    for (const [name, field] of Object.entries(def.fields)) {
      if (
        field.required &&
        !field.compute &&
        field.type !== 'one2many' &&
        (rec[name] === false || rec[name] === null || rec[name] === undefined)
      ) {
        throw mandatoryFieldError(model, name);
      }
    }
    this.table(model)[String(id)] = rec;
    for (const [name, field, value] of deferred) this.assignSpecial(model, rec, name, field, value);
    def.afterCreate?.(this, rec, vals);
    def.constrain?.(this, rec);
    return rec;
  }

  write(model: string, ids: number[], vals: Vals): void {
    const def = this.model(model);
    checkFieldNames(def, vals);
    for (const rec of this.browse(model, ids)) {
      def.beforeWrite?.(this, rec, vals);
      for (const [name, value] of Object.entries(vals)) {
        const field = def.fields[name]!;
        if (field.type === 'one2many' || field.compute) this.assignSpecial(model, rec, name, field, value);
        else if (field.type === 'many2many') {
          rec[name] = applyX2Many(this, model, rec, name, field, value, (rec[name] as number[]) ?? []);
        } else {
          const stored = toStored(this, model, name, field, value);
          if (field.required && stored === false) throw mandatoryFieldError(model, name);
          rec[name] = stored;
        }
      }
      def.afterWrite?.(this, rec, vals);
      def.constrain?.(this, rec);
    }
  }

  private assignSpecial(model: string, rec: Rec, name: string, field: FieldDef, value: unknown): void {
    if (field.type === 'one2many') {
      applyX2Many(
        this,
        model,
        rec,
        name,
        field,
        value,
        this.o2m(model, rec, name).map((r) => r.id),
      );
    } else if (field.inverseWrite) {
      field.inverseWrite(this, rec, toStored(this, model, name, field, value));
    }
    // A computed field without inverse ignores writes, as Odoo does (with a warning in its log).
  }

  unlink(model: string, ids: number[]): void {
    const def = this.model(model);
    const recs = this.browse(model, ids);
    for (const rec of recs) def.beforeUnlink?.(this, rec);
    for (const rec of recs) delete this.table(model)[String(rec.id)];
    // ondelete='set null' for every many2one pointing at the removed records.
    for (const [other, otherDef] of this.sim.registry.models) {
      for (const [fname, f] of Object.entries(otherDef.fields)) {
        if (f.relation !== model || f.compute || (f.type !== 'many2one' && f.type !== 'many2many')) continue;
        for (const r of Object.values(this.sim.state.records[other] ?? {})) {
          if (f.type === 'many2one' && ids.includes(r[fname] as number)) r[fname] = false;
          if (f.type === 'many2many' && Array.isArray(r[fname]))
            r[fname] = (r[fname] as number[]).filter((i) => !ids.includes(i));
        }
      }
    }
  }
}

function checkFieldNames(def: ModelDef, vals: Vals): void {
  for (const name of Object.keys(vals)) {
    if (!def.fields[name]) throw valueError(`Invalid field '${name}' on model '${def.name}'`);
  }
}

function mandatoryFieldError(model: string, field: string) {
  return validationError(
    `The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n` +
      `- Delete: another model requires the record being deleted. If possible, archive it instead.\n\n` +
      `Model: ${model}, Field: ${field}`,
  );
}

function sortRecords(env: Env, model: string, recs: Rec[], order: string): Rec[] {
  const keys = order.split(',').map((part) => {
    const [field, dir] = part.trim().split(/\s+/);
    return { field: field!, desc: (dir ?? '').toLowerCase() === 'desc' };
  });
  const def = env.model(model);
  for (const k of keys) {
    if (k.field !== 'id' && !def.fields[k.field]) throw valueError(`Invalid field '${k.field}' on model '${model}'`);
  }
  const keyOf = (rec: Rec, field: string): string | number => {
    const v = env.value(model, rec, field);
    if (Array.isArray(v)) return v.length;
    if (typeof v === 'number') return v;
    if (typeof v === 'string') return v;
    return v ? 1 : 0;
  };
  return [...recs].sort((a, b) => {
    for (const k of keys) {
      const x = keyOf(a, k.field);
      const y = keyOf(b, k.field);
      if (x === y) continue;
      const cmp = x < y ? -1 : 1;
      return k.desc ? -cmp : cmp;
    }
    return a.id - b.id;
  });
}

/** Float arithmetic the way Odoo rounds quantities (decimal-safe, then back to a JSON number). */
export function fround(value: Decimal.Value, digits = 4): number {
  return new Decimal(value).toDecimalPlaces(digits).toNumber();
}

export function fsum(values: Decimal.Value[]): number {
  return fround(values.reduce<Decimal>((acc, v) => acc.plus(v), new Decimal(0)));
}
