import { typeError, valueError } from '../errors';
import type { Env } from '../orm/env';
import { loadRows } from '../orm/load';
import { readRecords } from '../orm/read';
import { RecordSet, type MethodSpec, type Vals } from '../orm/types';

/** The ORM methods every model answers (BaseModel), with their Python signatures. */
function asDomain(value: unknown): unknown[] {
  if (value === undefined || value === null || value === false) return [];
  if (!Array.isArray(value)) throw valueError(`Invalid domain ${JSON.stringify(value)}`);
  return value;
}

function asInt(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null || value === false) return undefined;
  if (typeof value !== 'number') throw typeError(`'${name}' must be an integer, not ${JSON.stringify(value)}`);
  return value;
}

function asOrder(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value : undefined;
}

function search(env: Env, model: string, args: Record<string, unknown>) {
  return env.search(model, asDomain(args.domain), {
    offset: asInt(args.offset, 'offset'),
    limit: asInt(args.limit, 'limit'),
    order: asOrder(args.order),
  });
}

export function genericMethods(model: string): Record<string, MethodSpec> {
  return {
    search: {
      model: true,
      readonly: true,
      params: ['domain', 'offset?', 'limit?', 'order?'],
      run: (env, _ids, args) => search(env, model, args).map((r) => r.id),
    },
    search_read: {
      model: true,
      readonly: true,
      params: ['domain?', 'fields?', 'offset?', 'limit?', 'order?'],
      varKw: true,
      run: (env, _ids, args) => readRecords(env, model, search(env, model, args), args.fields, args.load),
    },
    search_count: {
      model: true,
      readonly: true,
      params: ['domain', 'limit?'],
      run: (env, _ids, args) => search(env, model, { domain: args.domain, limit: args.limit }).length,
    },
    read: {
      readonly: true,
      params: ['fields?', 'load?'],
      run: (env, ids, args) => readRecords(env, model, env.browse(model, ids), args.fields, args.load),
    },
    fields_get: {
      model: true,
      readonly: true,
      params: ['allfields?', 'attributes?'],
      run: (env, _ids, args) => {
        const def = env.model(model);
        const wanted =
          Array.isArray(args.allfields) && args.allfields.length > 0
            ? (args.allfields as string[])
            : Object.keys(def.fields);
        const out: Record<string, Record<string, unknown>> = {};
        for (const name of wanted) {
          const f = def.fields[name];
          if (!f) continue;
          out[name] = {
            type: f.type,
            string: f.string ?? name.replace(/_/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase()),
            required: Boolean(f.required),
            readonly: Boolean(f.readonly || (f.compute && !f.inverseWrite)),
            store: !f.compute,
            ...(f.relation ? { relation: f.relation } : {}),
            ...(f.selection ? { selection: f.selection.map((s) => [s, s]) } : {}),
          };
        }
        return out;
      },
    },
    create: {
      model: true,
      params: ['vals_list'],
      run: (env, _ids, args) => {
        const list = Array.isArray(args.vals_list) ? args.vals_list : [args.vals_list];
        if (!list.every((v) => v && typeof v === 'object' && !Array.isArray(v))) {
          throw valueError(`create() expects a dict or a list of dicts, got ${JSON.stringify(args.vals_list)}`);
        }
        return new RecordSet(
          model,
          list.map((vals) => env.create(model, vals as Vals).id),
        );
      },
    },
    write: {
      params: ['vals'],
      run: (env, ids, args) => {
        if (!args.vals || typeof args.vals !== 'object' || Array.isArray(args.vals))
          throw valueError('write() expects a dict of values');
        env.write(model, ids, args.vals as Vals);
        return true;
      },
    },
    unlink: {
      params: [],
      run: (env, ids) => {
        env.unlink(model, ids);
        return true;
      },
    },
    load: {
      model: true,
      params: ['fields', 'data'],
      run: (env, _ids, args) => loadRows(env, model, args.fields, args.data),
    },
  };
}
