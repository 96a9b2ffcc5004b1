import { valueError } from '../errors';
import type { Env } from './env';
import type { Json, Rec } from './types';

/** `read()` output: many2one as [id, display_name] (or the bare id with load='_classic_write'). */
export function readRecords(
  env: Env,
  model: string,
  recs: Rec[],
  fields: unknown,
  load: unknown,
): Record<string, Json>[] {
  const def = env.model(model);
  let names: string[];
  if (fields === undefined || fields === null || fields === false || (Array.isArray(fields) && fields.length === 0)) {
    names = Object.keys(def.fields);
  } else if (Array.isArray(fields) && fields.every((f) => typeof f === 'string')) {
    names = fields as string[];
  } else {
    throw valueError(`Invalid fields argument ${JSON.stringify(fields)}`);
  }
  for (const name of names) {
    if (name !== 'id' && name !== 'display_name' && !def.fields[name]) {
      throw valueError(`Invalid field '${name}' on model '${model}'`);
    }
  }
  const classic = load === '_classic_write';
  return recs.map((rec) => {
    const out: Record<string, Json> = { id: rec.id };
    for (const name of names) {
      if (name === 'id') continue;
      const value = env.value(model, rec, name);
      const field = def.fields[name];
      if (field?.type === 'many2one' && typeof value === 'number' && !classic) {
        const target = env.maybe(field.relation!, value);
        out[name] = target ? [value, env.displayName(field.relation!, target)] : false;
      } else {
        out[name] = value;
      }
    }
    return out;
  });
}
