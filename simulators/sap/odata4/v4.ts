import { randomBytes } from 'node:crypto';
import Decimal from 'decimal.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SimulatorServer } from '../../shared/server';
import type { PropDef, Row } from '../odata/edm';
import { compileFilter, FilterError } from '../odata/filter';
import { LiteralError } from '../odata/literals';
import { basicAuthOk, CSRF_REQUIRED, writeTokenOk, type SessionStore } from '../odata/session';

/**
 * OData V4 as SAP serves RAP services under /sap/opu/odata4/ — only what the released quality-notification
 * service (CE_QUALITYNOTIFICATION_0001, "Read, Create") needs: service document, CSDL $metadata, collections
 * with $filter/$select/$expand/$top/$skip/$orderby/$count, entities by key with `@odata.etag`, create with
 * deep insert, V4 error bodies. Same auth, sap-client and CSRF session as the V2 services (one Gateway).
 */
export const ODATA4_PREFIX = '/sap/opu/odata4/sap/';

export type V4Type = 'String' | 'Decimal' | 'Boolean' | 'Date' | 'DateTimeOffset' | 'Int32';
export interface V4Prop {
  name: string;
  type: V4Type;
  maxLength?: number;
  precision?: number;
  scale?: number;
}
export const v4 = {
  str: (name: string, maxLength: number): V4Prop => ({ name, type: 'String', maxLength }),
  dec: (name: string, precision: number, scale: number): V4Prop => ({ name, type: 'Decimal', precision, scale }),
  bool: (name: string): V4Prop => ({ name, type: 'Boolean' }),
  date: (name: string): V4Prop => ({ name, type: 'Date' }),
  dto: (name: string): V4Prop => ({ name, type: 'DateTimeOffset' }),
  int: (name: string): V4Prop => ({ name, type: 'Int32' }),
};

export interface V4Nav {
  name: string;
  target: string;
  resolve(row: Row): Row[];
}

export interface V4Set {
  name: string;
  type: string;
  keys: string[];
  props: V4Prop[];
  /** DateTimeOffset property behind `@odata.etag`. */
  etag?: string;
  navs?: V4Nav[];
  rows(): Row[];
  /** Present when the set is creatable; update and delete are not offered (405). */
  create?(body: V4Body, ctx: { user: string; now: number }): { row: Row; refs?: Record<string, string> };
}

export interface V4Body {
  values: Row;
  nested: Record<string, Row[]>;
}

export interface V4Service {
  /** Path under /sap/opu/odata4/sap/, e.g. `api_qualitynotification/srvd_a2x/sap/qualitynotification/0001`. */
  path: string;
  namespace: string;
  sets: V4Set[];
}

export class V4Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly target?: string,
  ) {
    super(message);
  }
}

interface Answer {
  status: number;
  json?: unknown;
  text?: string;
  contentType?: string;
  headers?: Record<string, string | string[]>;
}

export interface V4RouterOptions {
  server: SimulatorServer;
  sessions: SessionStore;
  user: string;
  password: string;
  service: V4Service;
  afterWrite(): void;
}

export function registerODataV4Service(options: V4RouterOptions): void {
  const root = `${ODATA4_PREFIX}${options.service.path}/`;
  options.server.app.route({
    method: ['GET', 'HEAD', 'POST', 'PATCH', 'PUT', 'DELETE'],
    url: `${root}*`,
    handler: async (request, reply) => {
      try {
        return send(reply, dispatch(options, request, root));
      } catch (err) {
        if (!(err instanceof V4Error)) throw err;
        return send(reply, { status: err.status, json: errorBody(err) });
      }
    },
  });
}

function dispatch(options: V4RouterOptions, request: FastifyRequest, root: string): Answer {
  const url = new URL(request.url, 'http://sim');
  if (!basicAuthOk(request.headers.authorization, options.user, options.password))
    return { status: 401, headers: { 'www-authenticate': 'Basic realm="SAP NetWeaver Application Server [PFS/100]"' } };
  const client = url.searchParams.get('sap-client');
  if (client !== null && client !== '100') return { status: 401, text: `Client ${client} is not available` };
  const resource = decodeURIComponent(url.pathname.slice(root.length));
  const strings = wantsStrings(request);
  if (request.method === 'GET' || request.method === 'HEAD') {
    const headers: Record<string, string | string[]> = {};
    if (String(request.headers['x-csrf-token'] ?? '').toLowerCase() === 'fetch') {
      const { token, setCookies } = options.sessions.fetchToken(request.headers.cookie);
      headers['x-csrf-token'] = token;
      if (setCookies.length) headers['set-cookie'] = setCookies;
    }
    const answer = read(options.service, resource, url, strings);
    return { ...answer, headers: { ...answer.headers, ...headers } };
  }
  return write(options, request, resource, strings);
}

function write(options: V4RouterOptions, request: FastifyRequest, resource: string, strings: boolean): Answer {
  const { server, service } = options;
  const set = service.sets.find((s) => s.name === resource);
  const operation = `${resource.split('(')[0]}.${request.method === 'POST' ? 'create' : request.method.toLowerCase()}`;
  const record = (status: number, applied: boolean, refs: Record<string, string> = {}) =>
    server.journal.record({
      method: request.method,
      path: request.url,
      operation,
      refs,
      body: request.body,
      status,
      applied,
    });
  if (!writeTokenOk(options.sessions, request, server.faults.special('csrfExpireEvery', 0))) {
    record(403, false);
    return CSRF_REQUIRED;
  }
  try {
    if (request.method === 'POST' && !set)
      throw new V4Error(404, '/IWBEP/CM_V4_RUN/000', `Resource '${resource}' not found`);
    if (request.method !== 'POST' || !set?.create) {
      throw new V4Error(
        405,
        '/IWBEP/CM_V4S_RUN/000',
        `The ${request.method} request on '${resource}' is not supported: this service offers read and create only`,
      );
    }
    const body = parseBody(service, set, request.body, strings);
    const created = set.create(body, { user: options.user.toUpperCase(), now: Date.now() });
    record(201, true, created.refs);
    options.afterWrite();
    const entity = serialize(service, set, created.row, strings, new Set(set.navs?.map((n) => n.name)));
    return {
      status: 201,
      json: { '@odata.context': `$metadata#${set.name}/$entity`, ...entity },
      headers: { location: `${set.name}(${keyPredicate(set, created.row)})` },
    };
  } catch (err) {
    if (err instanceof V4Error) record(err.status, false);
    throw err;
  }
}

function read(service: V4Service, resource: string, url: URL, strings: boolean): Answer {
  if (resource === '') {
    return {
      status: 200,
      json: {
        '@odata.context': '$metadata',
        value: service.sets.map((s) => ({ name: s.name, kind: 'EntitySet', url: s.name })),
      },
    };
  }
  if (resource === '$metadata') return { status: 200, text: metadata(service), contentType: 'application/xml' };
  const match = /^([A-Za-z_]\w*)(?:\(([^)]*)\))?(?:\/([A-Za-z_]\w*))?$/.exec(resource);
  const set = match && service.sets.find((s) => s.name === match[1]);
  if (!match || !set) throw new V4Error(404, '/IWBEP/CM_V4_RUN/000', `Resource '${resource}' not found`);
  const expand = new Set(listOption(url, '$expand'));
  for (const name of expand)
    if (!set.navs?.some((n) => n.name === name))
      throw new V4Error(400, '/IWBEP/CM_V4_COS/013', `Navigation property '${name}' is not defined in '${set.type}'`);
  if (match[2] === undefined) return collection(service, set, set.rows(), url, strings, expand);
  const row = set.rows().find((r) => keyPredicate(set, r) === normaliseKey(set, match[2]!));
  if (!row) throw new V4Error(404, '/IWBEP/CM_V4_RUN/004', `Entity '${set.name}(${match[2]})' does not exist`);
  if (match[3]) {
    const nav = set.navs?.find((n) => n.name === match[3]);
    const target = nav && service.sets.find((s) => s.name === nav.target);
    if (!nav || !target) throw new V4Error(404, '/IWBEP/CM_V4_RUN/000', `Resource '${resource}' not found`);
    return collection(service, target, nav.resolve(row), url, strings, new Set());
  }
  const entity = serialize(service, set, row, strings, expand);
  const etag = entity['@odata.etag'];
  return {
    status: 200,
    json: { '@odata.context': `$metadata#${set.name}/$entity`, ...entity },
    headers: typeof etag === 'string' ? { etag } : {},
  };
}

function collection(
  service: V4Service,
  set: V4Set,
  all: Row[],
  url: URL,
  strings: boolean,
  expand: Set<string>,
): Answer {
  let rows = all;
  const filter = url.searchParams.get('$filter');
  if (filter) {
    try {
      const keep = compileFilter(filter, set.props.map(asPropDef));
      rows = rows.filter(keep);
    } catch (err) {
      if (err instanceof FilterError || err instanceof LiteralError)
        throw new V4Error(400, '/IWBEP/CM_V4_COS/003', `Invalid $filter: ${err.message}`);
      throw err;
    }
  }
  const [orderProp, dir] = (url.searchParams.get('$orderby') ?? '').split(' ');
  if (orderProp) {
    const sign = dir === 'desc' ? -1 : 1;
    rows = [...rows].sort((a, b) => sign * String(a[orderProp] ?? '').localeCompare(String(b[orderProp] ?? '')));
  }
  const count = rows.length;
  const skip = Number(url.searchParams.get('$skip') ?? 0);
  const top = url.searchParams.get('$top');
  rows = rows.slice(skip, top === null ? undefined : skip + Number(top));
  const select = listOption(url, '$select');
  for (const name of select)
    if (!set.props.some((p) => p.name === name))
      throw new V4Error(400, '/IWBEP/CM_V4_COS/013', `Property '${name}' is not defined in '${set.type}'`);
  const value = rows.map((r) => {
    const full = serialize(service, set, r, strings, expand);
    if (select.length === 0) return full;
    return Object.fromEntries(
      Object.entries(full).filter(
        ([k]) => k.startsWith('@') || select.includes(k) || set.keys.includes(k) || expand.has(k),
      ),
    );
  });
  return {
    status: 200,
    json: {
      '@odata.context': `$metadata#${set.name}`,
      ...(url.searchParams.get('$count') === 'true' ? { '@odata.count': count } : {}),
      value,
    },
  };
}

function listOption(url: URL, name: string): string[] {
  return (url.searchParams.get(name) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** `IEEE754Compatible=true` in Accept or Content-Type: decimals travel as strings (OData V4 §4.5). */
function wantsStrings(request: FastifyRequest): boolean {
  const headers = `${String(request.headers.accept ?? '')};${String(request.headers['content-type'] ?? '')}`;
  return /IEEE754Compatible=true/i.test(headers);
}

function asPropDef(p: V4Prop): PropDef {
  const type = p.type === 'Date' ? 'DateTime' : p.type;
  return { name: p.name, type, maxLength: p.maxLength, precision: p.precision, scale: p.scale };
}

function keyPredicate(set: V4Set, row: Row): string {
  if (set.keys.length === 1) return `'${String(row[set.keys[0]!])}'`;
  return set.keys.map((k) => `${k}='${String(row[k])}'`).join(',');
}

function normaliseKey(set: V4Set, raw: string): string {
  if (set.keys.length === 1 && !raw.includes('=')) return raw;
  const parts = Object.fromEntries(
    raw.split(',').map((p) => {
      const [k, v] = p.split('=');
      return [k!.trim(), v!.trim()];
    }),
  );
  return set.keys.length === 1 ? parts[set.keys[0]!]! : set.keys.map((k) => `${k}=${parts[k]}`).join(',');
}

function jsonValue(prop: V4Prop, value: unknown, strings: boolean): unknown {
  switch (prop.type) {
    case 'String':
      return value === undefined || value === null ? '' : String(value);
    case 'Decimal': {
      const d = new Decimal(String(value ?? '0')).toFixed(prop.scale ?? 3);
      return strings ? d : Number(d);
    }
    case 'Boolean':
      return value === true;
    case 'Int32':
      return typeof value === 'number' ? value : 0;
    case 'Date':
      return typeof value === 'number' ? new Date(value).toISOString().slice(0, 10) : null;
    case 'DateTimeOffset':
      return typeof value === 'number' ? new Date(value).toISOString() : null;
  }
}

function serialize(service: V4Service, set: V4Set, row: Row, strings: boolean, expand: Set<string>): Row {
  const out: Row = {};
  if (set.etag && typeof row[set.etag] === 'number') out['@odata.etag'] = `W/"${String(row[set.etag])}"`;
  for (const p of set.props) out[p.name] = jsonValue(p, row[p.name], strings);
  for (const nav of set.navs ?? []) {
    const target = service.sets.find((s) => s.name === nav.target);
    if (expand.has(nav.name) && target)
      out[nav.name] = nav.resolve(row).map((r) => serialize(service, target, r, strings, new Set()));
  }
  return out;
}

function parseValue(set: V4Set, prop: V4Prop, value: unknown, strings: boolean): unknown {
  const bad = (why: string) =>
    new V4Error(400, '/IWBEP/CM_V4_RUN/011', `Property '${prop.name}' of '${set.type}': ${why}`, prop.name);
  if (value === null) return null;
  switch (prop.type) {
    case 'String':
      if (typeof value !== 'string') throw bad('a string is expected');
      if (prop.maxLength && value.length > prop.maxLength) throw bad(`at most ${prop.maxLength} characters`);
      return value;
    case 'Decimal':
      if (strings ? typeof value !== 'string' : typeof value !== 'number')
        throw bad(strings ? 'IEEE754Compatible=true: decimals are strings' : 'a JSON number is expected');
      if (!/^-?\d+(\.\d+)?$/.test(String(value))) throw bad('not a decimal');
      return new Decimal(String(value)).toFixed();
    case 'Boolean':
      if (typeof value !== 'boolean') throw bad('true or false is expected');
      return value;
    case 'Int32':
      if (!Number.isInteger(value)) throw bad('an integer is expected');
      return value;
    case 'Date':
      if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw bad('YYYY-MM-DD is expected');
      return Date.parse(`${value}T00:00:00Z`);
    case 'DateTimeOffset':
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw bad('an ISO 8601 timestamp is expected');
      return Date.parse(value);
  }
}

function parseEntity(set: V4Set, raw: unknown, strings: boolean): { values: Row; rest: Row } {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new V4Error(400, '/IWBEP/CM_V4_RUN/010', `The request body must be a JSON object of '${set.type}'`);
  const values: Row = {};
  const rest: Row = {};
  for (const [name, value] of Object.entries(raw as Row)) {
    if (name.startsWith('@')) continue;
    const prop = set.props.find((p) => p.name === name);
    if (prop) values[name] = parseValue(set, prop, value, strings);
    else if (set.navs?.some((n) => n.name === name)) rest[name] = value;
    else
      throw new V4Error(
        400,
        '/IWBEP/CM_V4_RUN/012',
        `The property '${name}' does not exist in type '${set.type}'`,
        name,
      );
  }
  return { values, rest };
}

function parseBody(service: V4Service, set: V4Set, raw: unknown, strings: boolean): V4Body {
  if (raw && typeof raw === 'object' && (raw as Row).__invalidJson)
    throw new V4Error(400, '/IWBEP/CM_V4_RUN/010', 'Malformed JSON in request body');
  const { values, rest } = parseEntity(set, raw, strings);
  const nested: Record<string, Row[]> = {};
  for (const [name, children] of Object.entries(rest)) {
    const nav = set.navs!.find((n) => n.name === name)!;
    const target = service.sets.find((s) => s.name === nav.target)!;
    if (!Array.isArray(children))
      throw new V4Error(
        400,
        '/IWBEP/CM_V4_RUN/012',
        `Deep insert '${name}' must be an array of '${target.type}'`,
        name,
      );
    nested[name] = children.map((c) => {
      const child = parseEntity(target, c, strings);
      if (Object.keys(child.rest).length > 0)
        throw new V4Error(400, '/IWBEP/CM_V4_RUN/012', `Nested deep insert below '${name}' is not supported`, name);
      return child.values;
    });
  }
  return { values, nested };
}

const EDM: Record<V4Type, string> = {
  String: 'Edm.String',
  Decimal: 'Edm.Decimal',
  Boolean: 'Edm.Boolean',
  Date: 'Edm.Date',
  DateTimeOffset: 'Edm.DateTimeOffset',
  Int32: 'Edm.Int32',
};

function metadata(service: V4Service): string {
  const ns = service.namespace;
  const prop = (p: V4Prop) =>
    `<Property Name="${p.name}" Type="${EDM[p.type]}"${p.maxLength ? ` MaxLength="${p.maxLength}"` : ''}${p.precision ? ` Precision="${p.precision}" Scale="${p.scale ?? 0}"` : ''}${p.type === 'DateTimeOffset' ? ' Precision="7"' : ''}/>`;
  const types = service.sets
    .map(
      (s) =>
        `<EntityType Name="${s.type}"><Key>${s.keys.map((k) => `<PropertyRef Name="${k}"/>`).join('')}</Key>${s.props.map(prop).join('')}${(
          s.navs ?? []
        )
          .map((n) => {
            const target = service.sets.find((t) => t.name === n.target)!;
            return `<NavigationProperty Name="${n.name}" Type="Collection(${ns}.${target.type})" ContainsTarget="true"/>`;
          })
          .join('')}</EntityType>`,
    )
    .join('');
  const sets = service.sets
    .map(
      (s) =>
        `<EntitySet Name="${s.name}" EntityType="${ns}.${s.type}"><Annotation Term="Org.OData.Capabilities.V1.UpdateRestrictions"><Record><PropertyValue Property="Updatable" Bool="false"/></Record></Annotation><Annotation Term="Org.OData.Capabilities.V1.InsertRestrictions"><Record><PropertyValue Property="Insertable" Bool="${s.create ? 'true' : 'false'}"/></Record></Annotation></EntitySet>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="utf-8"?><edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices><Schema Namespace="${ns}" xmlns="http://docs.oasis-open.org/odata/ns/edm">${types}<EntityContainer Name="Container">${sets}</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>`;
}

/** The V4 error body SAP's V4 runtime writes: message as a string, details with numeric severity. */
function errorBody(err: V4Error): unknown {
  return {
    error: {
      code: err.code,
      message: err.message,
      ...(err.target ? { target: err.target } : {}),
      details: [],
      innererror: {
        ErrorDetails: { '@Common.ExceptionCategory': 'Client_Error' },
        transactionid: randomBytes(16).toString('hex').toUpperCase(),
      },
    },
  };
}

function send(reply: FastifyReply, answer: Answer): FastifyReply {
  reply.code(answer.status);
  for (const [k, v] of Object.entries(answer.headers ?? {})) reply.header(k, v);
  reply.header('odata-version', '4.0');
  if (answer.json !== undefined)
    return reply.type('application/json;odata.metadata=minimal;charset=utf-8').send(JSON.stringify(answer.json));
  if (answer.text !== undefined) return reply.type(answer.contentType ?? 'text/plain').send(answer.text);
  return reply.send();
}
