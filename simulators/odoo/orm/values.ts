import { validationError, valueError } from '../errors';
import type { Env } from './env';
import type { FieldDef, Json, Rec, Vals } from './types';

/** Converts an RPC value to what the field stores (Odoo's convert_to_cache, simplified). */
export function toStored(env: Env, model: string, name: string, field: FieldDef, value: unknown): Json {
  if (value === null || value === undefined) value = false;
  switch (field.type) {
    case 'char':
    case 'text':
    case 'html':
    case 'date':
    case 'datetime':
      return value === false ? false : String(value);
    case 'selection':
      if (value === false) return false;
      if (!field.selection?.includes(String(value)))
        throw valueError(`Wrong value for ${model}.${name}: '${String(value)}'`);
      return String(value);
    case 'integer':
    case 'float': {
      if (value === false) return 0;
      const n = typeof value === 'number' ? value : Number(value);
      if (!Number.isFinite(n)) throw valueError(`could not convert string to float: '${String(value)}'`);
      return field.type === 'integer' ? Math.trunc(n) : n;
    }
    case 'boolean':
      return Boolean(value);
    case 'many2one': {
      if (value === false || value === 0) return false;
      const id = Array.isArray(value) ? value[0] : value;
      if (typeof id !== 'number' || !Number.isInteger(id))
        throw valueError(`Wrong value for ${model}.${name}: ${JSON.stringify(value)}`);
      if (!env.maybe(field.relation!, id)) {
        throw validationError(
          `The operation cannot be completed: another model requires the record being deleted, ` +
            `or ${model}.${name} references a record that does not exist (${field.relation}(${id},)).`,
        );
      }
      return id;
    }
    case 'json':
      return value as Json;
    default:
      throw valueError(`Field ${model}.${name} cannot be assigned directly`);
  }
}

function idOf(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw valueError(`Invalid id ${JSON.stringify(value)} in x2many command`);
  return value;
}

/**
 * Applies x2many commands — [0,0,vals] create, [1,id,vals] update, [2,id] delete, [3,id] unlink,
 * [4,id] link, [5] clear, [6,0,ids] set — or a plain list of ids (= set). Returns the new id list.
 */
export function applyX2Many(
  env: Env,
  model: string,
  rec: Rec,
  name: string,
  field: FieldDef,
  value: unknown,
  current: number[],
): number[] {
  if (value === false || value === null || value === undefined) value = [[5]];
  if (!Array.isArray(value)) throw valueError(`Wrong value for ${model}.${name}: ${JSON.stringify(value)}`);
  const relation = field.relation!;
  const o2m = field.type === 'one2many';
  let ids = [...current];
  const link = (id: number) => {
    if (!ids.includes(id)) ids.push(id);
    if (o2m) env.write(relation, [id], { [field.inverse!]: rec.id });
  };
  const detach = (id: number) => {
    ids = ids.filter((x) => x !== id);
    if (o2m && env.maybe(relation, id)) env.write(relation, [id], { [field.inverse!]: false });
  };
  const commands = value.every((v) => typeof v === 'number') ? [[6, 0, value]] : value;
  for (const command of commands) {
    if (!Array.isArray(command)) throw valueError(`Invalid x2many command ${JSON.stringify(command)}`);
    const [code, id, arg] = command as [number, unknown, unknown];
    switch (code) {
      case 0: {
        const vals = { ...(arg as Vals) };
        if (o2m) vals[field.inverse!] = rec.id;
        ids.push(env.create(relation, vals).id);
        break;
      }
      case 1:
        env.write(relation, [idOf(id)], arg as Vals);
        break;
      case 2:
        ids = ids.filter((x) => x !== idOf(id));
        env.unlink(relation, [idOf(id)]);
        break;
      case 3:
        detach(idOf(id));
        break;
      case 4:
        env.get(relation, idOf(id));
        link(idOf(id));
        break;
      case 5:
        for (const x of [...ids]) detach(x);
        break;
      case 6: {
        const wanted = ((arg as unknown[]) ?? []).map(idOf);
        env.browse(relation, wanted);
        for (const x of ids.filter((i) => !wanted.includes(i))) detach(x);
        for (const x of wanted) link(x);
        break;
      }
      default:
        throw valueError(`Invalid x2many command code ${String(code)}`);
    }
  }
  return ids;
}
