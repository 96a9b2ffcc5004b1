import { unpad, type Row } from './edm';
import { badRequest, notFound } from './errors';
import { LiteralError, literalFor, parseKeyPredicate, parseLiteral } from './literals';
import { findSet, propOf, type EntitySetDef, type FunctionImportDef, type ServiceDef } from './model';

/** What a request URL addresses inside one service. */
export type Target =
  | { kind: 'service-document' }
  | { kind: 'metadata' }
  | { kind: 'batch' }
  | { kind: 'collection'; set: EntitySetDef }
  | { kind: 'count'; set: EntitySetDef }
  | { kind: 'entity'; set: EntitySetDef; key: Row; segment: string }
  | { kind: 'navigation'; set: EntitySetDef; key: Row; nav: string; segment: string }
  | { kind: 'function'; fn: FunctionImportDef };

const SEGMENT = /^([A-Za-z_][\w]*)(?:\((.*)\))?$/;

/** Parses the resource path (segments already split on '/', each URI-decoded). */
export function resolveTarget(service: ServiceDef, segments: string[]): Target {
  const parts = segments.filter((s, i) => !(s === '' && i === segments.length - 1));
  if (parts.length === 0) return { kind: 'service-document' };
  const [first, second, ...rest] = parts;
  if (first === '$metadata' && parts.length === 1) return { kind: 'metadata' };
  if (first === '$batch' && parts.length === 1) return { kind: 'batch' };
  const m = SEGMENT.exec(first!);
  if (!m || rest.length > 0) throw notFound(first!);
  const [, name, keyText] = m;
  const fn = service.functions.find((f) => f.name === name);
  if (fn && keyText === undefined && second === undefined) return { kind: 'function', fn };
  const set = findSet(service, name!);
  if (!set) throw notFound(name!);
  if (keyText === undefined) {
    if (second === undefined) return { kind: 'collection', set };
    if (second === '$count') return { kind: 'count', set };
    throw notFound(second);
  }
  const key = parseKey(set, keyText, first!);
  if (second === undefined) return { kind: 'entity', set, key, segment: first! };
  if (!set.navs?.some((n) => n.name === second)) throw notFound(second);
  return { kind: 'navigation', set, key, nav: second, segment: first! };
}

function parseKey(set: EntitySetDef, text: string, segment: string): Row {
  let literals;
  try {
    literals = parseKeyPredicate(text);
  } catch {
    throw notFound(segment);
  }
  const key: Row = {};
  if (literals.size === 1 && literals.has('')) {
    if (set.keys.length !== 1) throw notFound(segment);
    literals = new Map([[set.keys[0]!, literals.get('')!]]);
  }
  if (literals.size !== set.keys.length) throw notFound(segment);
  for (const [name, literal] of literals) {
    const prop = propOf(set, name);
    if (!prop || !set.keys.includes(name)) throw notFound(segment);
    try {
      key[name] = literalFor(prop, literal);
    } catch {
      // Unquoted numeric keys for Edm.String (`(1000000)`) land here, as they do on Gateway.
      throw notFound(segment);
    }
  }
  return key;
}

/** Finds the row a key addresses; keys compare after ALPHA normalisation (padded or not). */
export function findByKey(set: EntitySetDef, key: Row): Row | undefined {
  return set.rows().find((row) =>
    set.keys.every((k) => {
      const prop = propOf(set, k)!;
      const a = row[k];
      const b = key[k];
      return prop.alpha ? unpad(String(a ?? '')) === unpad(String(b ?? '')) : a === b;
    }),
  );
}

/** Function-import parameters from the query string, typed by their declaration. */
export function functionParams(fn: FunctionImportDef, query: URLSearchParams): Row {
  const params: Row = {};
  for (const p of fn.params) {
    const raw = query.get(p.name);
    if (raw === null) {
      if (p.required)
        throw badRequest(`Parameter '${p.name}' of function import '${fn.name}' is missing`, '/IWBEP/CM_MGW_RT/004');
      continue;
    }
    try {
      params[p.name] = literalFor(p, parseLiteral(raw));
    } catch (err) {
      if (err instanceof LiteralError)
        throw badRequest(`Invalid value ${raw} for parameter '${p.name}': ${err.message}`, '/IWBEP/CM_MGW_RT/004');
      throw err;
    }
  }
  return params;
}
