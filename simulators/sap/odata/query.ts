import Decimal from 'decimal.js';
import { unpad, type Row } from './edm';
import { badRequest } from './errors';
import { compileFilter, FilterError } from './filter';
import { propOf, type EntitySetDef } from './model';

/** The system query options a Gateway V2 service honours (§3.6). */
export interface QueryOptions {
  filter?: string;
  select?: string[];
  expand?: string[];
  orderby?: string;
  top?: number;
  skip?: number;
  /** Server-driven paging: rows of the result already delivered on earlier pages (this simulator's token). */
  skiptoken?: number;
  inlinecount?: 'allpages' | 'none';
  format?: string;
}

const KNOWN = new Set([
  '$filter',
  '$select',
  '$expand',
  '$orderby',
  '$top',
  '$skip',
  '$inlinecount',
  '$format',
  '$skiptoken',
]);

const list = (v: string | null): string[] | undefined =>
  v === null
    ? undefined
    : v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);

function nonNegative(name: string, v: string | null): number | undefined {
  if (v === null) return undefined;
  if (!/^\d+$/.test(v)) throw badRequest(`Invalid value '${v}' for system query option ${name}`);
  return Number(v);
}

export function parseQueryOptions(params: URLSearchParams): QueryOptions {
  for (const key of params.keys()) {
    if (key.startsWith('$') && !KNOWN.has(key)) throw badRequest(`The system query option '${key}' is not supported`);
  }
  const inlinecount = params.get('$inlinecount');
  if (inlinecount !== null && inlinecount !== 'allpages' && inlinecount !== 'none') {
    throw badRequest(`Invalid value '${inlinecount}' for system query option $inlinecount`);
  }
  const format = params.get('$format') ?? undefined;
  if (format !== undefined && format !== 'json')
    throw badRequest(`Format '${format}' is not supported by this simulator; use $format=json`);
  return {
    filter: params.get('$filter') ?? undefined,
    select: list(params.get('$select')),
    expand: list(params.get('$expand')),
    orderby: params.get('$orderby') ?? undefined,
    top: nonNegative('$top', params.get('$top')),
    skip: nonNegative('$skip', params.get('$skip')),
    skiptoken: nonNegative('$skiptoken', params.get('$skiptoken')),
    inlinecount: (inlinecount ?? undefined) as QueryOptions['inlinecount'],
    format,
  };
}

/** Filters, sorts and pages a collection; returns the page and the count before paging. */
export function applyCollectionOptions(
  set: EntitySetDef,
  rows: Row[],
  options: QueryOptions,
): { page: Row[]; count: number } {
  let result = rows;
  if (options.filter) {
    try {
      const predicate = compileFilter(options.filter, set.props);
      result = result.filter(predicate);
    } catch (err) {
      if (err instanceof FilterError) throw badRequest(`Invalid filter expression: ${err.message}`);
      throw err;
    }
  }
  if (options.orderby) result = sortRows(set, result, options.orderby);
  const count = result.length;
  const skip = options.skip ?? 0;
  const page = options.top === undefined ? result.slice(skip) : result.slice(skip, skip + options.top);
  return { page, count };
}

function sortRows(set: EntitySetDef, rows: Row[], orderby: string): Row[] {
  const keys = orderby.split(',').map((part) => {
    const [name, dir] = part.trim().split(/\s+/);
    const prop = propOf(set, name ?? '');
    if (!prop) throw badRequest(`Property ${name} not found in type ${set.type}`);
    if (dir !== undefined && dir !== 'asc' && dir !== 'desc') throw badRequest(`Invalid sort direction ${dir}`);
    return { prop, desc: dir === 'desc' };
  });
  const value = (row: Row, p: (typeof keys)[number]['prop']): string | number =>
    p.type === 'Decimal'
      ? new Decimal(String(row[p.name] ?? '0')).toNumber()
      : p.alpha && /^\d+$/.test(unpad(String(row[p.name] ?? '')))
        ? Number(unpad(String(row[p.name])))
        : typeof row[p.name] === 'number'
          ? (row[p.name] as number)
          : String(row[p.name] ?? '');
  return [...rows].sort((a, b) => {
    for (const k of keys) {
      const va = value(a, k.prop);
      const vb = value(b, k.prop);
      if (va !== vb) return (va < vb ? -1 : 1) * (k.desc ? -1 : 1);
    }
    return 0;
  });
}
