import { savepoint } from '../../shared/undo';
import { OdooError, valueError } from '../errors';
import type { Env } from './env';
import type { Json, Vals } from './types';

/**
 * `Model.load(fields, data)`: the import API. An `id` column holds an external id, so a row upserts the
 * record registered under it in ir.model.data — within one transaction, which makes it the one atomic
 * "create once per key" the external API offers. Column forms: `field`, `field/.id`
 * (database id), `field/id` (external id). Errors do not raise: they come back in `messages`.
 */
export function loadRows(
  env: Env,
  model: string,
  fields: unknown,
  data: unknown,
): { ids: number[] | false; messages: Json[]; nextrow: number } {
  if (!Array.isArray(fields) || !fields.every((f) => typeof f === 'string'))
    throw valueError('load(): fields must be a list of strings');
  if (!Array.isArray(data) || !data.every((row) => Array.isArray(row)))
    throw valueError('load(): data must be a list of rows');
  const ids: number[] = [];
  // A refused row undoes the rows before it; the call itself goes on and answers the error.
  const undoRows = savepoint();
  let index = 0;
  try {
    for (index = 0; index < data.length; index++) {
      const row = data[index] as unknown[];
      const vals: Vals = {};
      let xmlid: string | undefined;
      fields.forEach((column: string, i) => {
        const raw = row[i];
        if (column === 'id') {
          xmlid = raw ? String(raw) : undefined;
          return;
        }
        const [name, suffix] = column.split('/') as [string, string | undefined];
        const field = env.fieldDef(model, name);
        if (!field) throw valueError(`Unknown field '${name}' on model '${model}'`);
        vals[name] = convertCell(env, field.type, field.relation, suffix, raw, column);
      });
      ids.push(upsert(env, model, xmlid, vals));
    }
    return { ids, messages: [], nextrow: 0 };
  } catch (err) {
    undoRows();
    const message = err instanceof OdooError ? err.message : String(err);
    return {
      ids: false,
      messages: [{ type: 'error', message, record: index, rows: { from: index, to: index } }],
      nextrow: 0,
    };
  }
}

function convertCell(
  env: Env,
  type: string,
  relation: string | undefined,
  suffix: string | undefined,
  raw: unknown,
  column: string,
): unknown {
  if (raw === '' || raw === null || raw === undefined || raw === false) return false;
  const text = String(raw);
  if (suffix === '.id') return Number.parseInt(text, 10);
  if (suffix === 'id') return resolveXmlid(env, text, relation!, column);
  switch (type) {
    case 'float':
    case 'integer':
      return Number(text);
    case 'boolean':
      return ['1', 'true', 'yes'].includes(text.toLowerCase());
    case 'many2one': {
      const found = env.all(relation!).filter((r) => env.displayName(relation!, r) === text);
      if (found.length === 0) throw valueError(`No matching record found for name '${text}' in field '${column}'`);
      return found[0]!.id;
    }
    default:
      return text;
  }
}

function splitXmlid(xmlid: string): [string, string] {
  const dot = xmlid.indexOf('.');
  return dot < 0 ? ['__import__', xmlid] : [xmlid.slice(0, dot), xmlid.slice(dot + 1)];
}

export function findXmlid(env: Env, xmlid: string) {
  const [module, name] = splitXmlid(xmlid);
  return env.all('ir.model.data').find((d) => d.module === module && d.name === name);
}

function resolveXmlid(env: Env, xmlid: string, relation: string, column: string): number {
  const data = findXmlid(env, xmlid);
  if (!data || data.model !== relation || !env.maybe(relation, data.res_id)) {
    throw valueError(`No matching record found for external id '${xmlid}' in field '${column}'`);
  }
  return data.res_id as number;
}

function upsert(env: Env, model: string, xmlid: string | undefined, vals: Vals): number {
  const existing = xmlid ? findXmlid(env, xmlid) : undefined;
  if (existing && existing.model === model && env.maybe(model, existing.res_id)) {
    env.write(model, [existing.res_id as number], vals);
    return existing.res_id as number;
  }
  const rec = env.create(model, vals);
  if (xmlid) {
    const [module, name] = splitXmlid(xmlid);
    if (existing) env.unlink('ir.model.data', [existing.id]);
    env.create('ir.model.data', { module, name, model, res_id: rec.id });
  }
  return rec.id;
}
