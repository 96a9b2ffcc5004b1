import { EdmValueError, fromJson, type Row } from './edm';
import { badRequest } from './errors';
import { findSet, propOf, type EntitySetDef, type ParsedBody, type ServiceDef } from './model';

/** Clients send `{…}` or `{"d":{…}}` (both occur in practice, §1). */
function unwrap(body: unknown): Row {
  if (body === undefined || body === null || body === '') return {};
  if (typeof body !== 'object' || Array.isArray(body))
    throw badRequest('The request body is not a JSON object', 'CX_SXML_PARSE_ERROR');
  const obj = body as Row;
  const keys = Object.keys(obj);
  if (keys.length === 1 && keys[0] === 'd' && typeof obj.d === 'object' && obj.d !== null && !Array.isArray(obj.d))
    return obj.d as Row;
  return obj;
}

/**
 * Validates a create payload against the entity type: unknown properties are refused (as Gateway does),
 * values must match their Edm types, deep inserts are accepted as `{results:[…]}` or a bare array.
 */
export function parseCreateBody(service: ServiceDef, set: EntitySetDef, body: unknown): ParsedBody {
  const raw = unwrap(body);
  const parsed: ParsedBody = { values: {}, sent: new Set(), nested: {} };
  for (const [name, value] of Object.entries(raw)) {
    if (name === '__metadata') continue;
    const nav = set.navs?.find((n) => n.name === name);
    if (nav) {
      if (!nav.deepInsert) throw badRequest(`Deep insert via navigation property '${name}' is not supported`);
      const items = Array.isArray(value)
        ? value
        : value && typeof value === 'object' && Array.isArray((value as Row).results)
          ? ((value as Row).results as unknown[])
          : undefined;
      if (!items) throw badRequest(`Navigation property '${name}' must contain an array or {"results": [...]}`);
      const target = findSet(service, nav.target)!;
      parsed.nested[name] = items.map((item) => parseCreateBody(service, target, item));
      continue;
    }
    parsed.values[name] = parseValue(set, name, value);
    parsed.sent.add(name);
  }
  return parsed;
}

/** A PATCH/MERGE payload: only patchable properties; keys may be repeated unchanged. */
export function parsePatchBody(set: EntitySetDef, row: Row, body: unknown): Row {
  const raw = unwrap(body);
  const changes: Row = {};
  for (const [name, value] of Object.entries(raw)) {
    if (name === '__metadata') continue;
    const parsedValue = parseValue(set, name, value);
    if (set.keys.includes(name)) {
      if (parsedValue !== row[name]) throw badRequest(`Key property '${name}' cannot be changed`);
      continue;
    }
    if (!set.patchable?.includes(name)) {
      throw badRequest(`Property '${name}' of entity type ${set.type} cannot be changed`, 'SADL_GW_PATCH/001');
    }
    changes[name] = parsedValue;
  }
  return changes;
}

function parseValue(set: EntitySetDef, name: string, value: unknown): unknown {
  const prop = propOf(set, name);
  if (!prop) throw badRequest(`Property '${name}' is invalid`, '/IWBEP/CM_MGW_RT/021');
  try {
    return fromJson(prop, value);
  } catch (err) {
    if (err instanceof EdmValueError)
      throw badRequest(`Failed to read property '${name}' at offset '0': ${err.message}`, '/IWBEP/CM_MGW_RT/021');
    throw err;
  }
}
