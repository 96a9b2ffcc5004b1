import { toJson, type Row } from './edm';
import { badRequest } from './errors';
import { keyLiteral } from './literals';
import { findSet, propOf, type EntitySetDef, type ServiceDef } from './model';

/**
 * JSON envelopes of OData V2 (§3.3): `d`, `results`, `__metadata` {id, uri, type, etag}, `__deferred`
 * navigations, expanded to-many navigations as `{results: [...]}`.
 */
export interface Shape {
  /** Properties to include (all when undefined). */
  select?: Set<string>;
  /** Navigations to expand, each with its own shape. */
  expand: Map<string, Shape>;
}

export const fullShape = (): Shape => ({ expand: new Map() });

/** Builds the shape tree from $select and $expand (`to_X,to_X/to_Y`, `a,to_X/b`). */
export function buildShape(
  service: ServiceDef,
  set: EntitySetDef,
  select: string[] | undefined,
  expand: string[] | undefined,
): Shape {
  const root: Shape = { expand: new Map() };
  const shapeFor = (path: string[]): { shape: Shape; set: EntitySetDef } => {
    let shape = root;
    let current = set;
    for (const nav of path) {
      const def = current.navs?.find((n) => n.name === nav);
      if (!def) throw badRequest(`Property ${nav} not found in type ${current.type}`);
      let next = shape.expand.get(nav);
      if (!next) {
        next = { expand: new Map() };
        shape.expand.set(nav, next);
      }
      shape = next;
      current = findSet(service, def.target)!;
    }
    return { shape, set: current };
  };
  for (const path of expand ?? []) shapeFor(path.split('/'));
  for (const path of select ?? []) {
    const parts = path.split('/');
    const last = parts.pop()!;
    const { shape, set: at } = shapeFor(parts);
    if (last === '*') continue;
    const isNav = at.navs?.some((n) => n.name === last);
    if (!isNav && !propOf(at, last)) throw badRequest(`Property ${last} not found in type ${at.type}`);
    (shape.select ??= new Set()).add(last);
  }
  return root;
}

export function entityKeyPredicate(set: EntitySetDef, row: Row): string {
  const keys = set.keys.map((k) => ({ prop: propOf(set, k)!, value: row[k] }));
  if (keys.length === 1) return `(${keyLiteral(keys[0]!.prop, keys[0]!.value)})`;
  return `(${keys.map((k) => `${k.prop.name}=${keyLiteral(k.prop, k.value)}`).join(',')})`;
}

/** Weak ETag as Gateway writes it: `W/"'20200723125718'"` or `W/"datetimeoffset'…'"`. */
export function etagOf(set: EntitySetDef, row: Row): string | undefined {
  if (!set.etag) return undefined;
  const prop = propOf(set, set.etag)!;
  const value = row[set.etag];
  if (prop.type === 'DateTimeOffset') {
    const iso = new Date(Number(value ?? 0)).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
    return `W/"datetimeoffset'${encodeURIComponent(iso)}'"`;
  }
  return `W/"'${String(value ?? '')}'"`;
}

export function serializeEntity(
  service: ServiceDef,
  set: EntitySetDef,
  row: Row,
  serviceUrl: string,
  shape: Shape,
): Row {
  const uri = `${serviceUrl}/${set.name}${entityKeyPredicate(set, row)}`;
  const etag = etagOf(set, row);
  const out: Row = {
    __metadata: { id: uri, uri, type: `${service.namespace}.${set.type}`, ...(etag ? { etag } : {}) },
  };
  for (const prop of set.props) {
    if (shape.select && !shape.select.has(prop.name)) continue;
    out[prop.name] = toJson(prop, row);
  }
  for (const nav of set.navs ?? []) {
    const expanded = shape.expand.get(nav.name);
    if (expanded) {
      const target = findSet(service, nav.target)!;
      const children = nav.resolve(row).map((child) => serializeEntity(service, target, child, serviceUrl, expanded));
      out[nav.name] = nav.many ? { results: children } : (children[0] ?? null);
    } else if (!shape.select || shape.select.has(nav.name)) {
      out[nav.name] = { __deferred: { uri: `${uri}/${nav.name}` } };
    }
  }
  return out;
}

/** A complex-type function result: `{"d":{"ReleaseOrder":{…}}}`. */
export function serializeComplex(namespace: string, typeName: string, props: EntitySetDef['props'], row: Row): Row {
  const out: Row = { __metadata: { type: `${namespace}.${typeName}` } };
  for (const prop of props) out[prop.name] = toJson(prop, row);
  return out;
}
