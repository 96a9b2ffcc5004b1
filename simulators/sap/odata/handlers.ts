import type { FastifyRequest } from 'fastify';
import type { FaultInjector } from '../../shared/faults';
import { unpad, type Row } from './edm';
import { parseCreateBody, parsePatchBody } from './body';
import { buildShape, etagOf, fullShape, serializeComplex, serializeEntity } from './envelope';
import { FRAMEWORK_CODE, notFound, ODataError, sapMessageHeader, type SapMessage } from './errors';
import { metadataXml, serviceDocument } from './metadata';
import { findSet, type EntitySetDef, type RequestContext, type ServiceDef } from './model';
import { applyCollectionOptions, parseQueryOptions } from './query';
import { findByKey, functionParams, type Target } from './target';

export interface Reply {
  status: number;
  headers?: Record<string, string | string[]>;
  json?: unknown;
  text?: string;
  contentType?: string;
}

const notAllowed = (what: string): ODataError =>
  new ODataError(405, FRAMEWORK_CODE, `The requested operation is not allowed on ${what}`);

/**
 * `pageSize`: server-driven paging, as a Gateway service that implements it: a collection answers at most
 * that many rows and a `__next` link with a `$skiptoken` to the rest (0: one page, as most services).
 */
export function handleRead(
  service: ServiceDef,
  target: Target,
  url: URL,
  serviceUrl: string,
  method: string,
  pageSize = 0,
): Reply {
  const options = parseQueryOptions(url.searchParams);
  switch (target.kind) {
    case 'service-document':
      return { status: 200, json: serviceDocument(service) };
    case 'metadata':
      return { status: 200, text: metadataXml(service), contentType: 'application/xml' };
    case 'batch':
      throw notAllowed('$batch with GET');
    case 'function':
      if (target.fn.httpMethod !== method) throw notAllowed(`function import ${target.fn.name} with ${method}`);
      throw notAllowed(target.fn.name);
    case 'count': {
      const { count } = applyCollectionOptions(target.set, target.set.rows(), {
        ...options,
        top: undefined,
        skip: undefined,
      });
      return { status: 200, text: String(count), contentType: 'text/plain' };
    }
    case 'collection':
      target.set.queryGuard?.(url.searchParams.get('$filter') ?? undefined);
      return collection(service, target.set, target.set.rows(), options, serviceUrl, { url, pageSize });
    case 'entity': {
      const row = findByKey(target.set, target.key) ?? missing(target.segment);
      const shape = buildShape(service, target.set, options.select, options.expand);
      const etag = etagOf(target.set, row);
      return {
        status: 200,
        headers: etag ? { etag } : {},
        json: { d: serializeEntity(service, target.set, row, serviceUrl, shape) },
      };
    }
    case 'navigation': {
      const row = findByKey(target.set, target.key) ?? missing(target.segment);
      const nav = target.set.navs!.find((n) => n.name === target.nav)!;
      const navSet = findSet(service, nav.target)!;
      const children = nav.resolve(row);
      if (nav.many) return collection(service, navSet, children, options, serviceUrl);
      if (!children[0]) throw notFound(target.nav);
      const shape = buildShape(service, navSet, options.select, options.expand);
      return { status: 200, json: { d: serializeEntity(service, navSet, children[0], serviceUrl, shape) } };
    }
  }
}

function missing(segment: string): never {
  throw notFound(segment);
}

function collection(
  service: ServiceDef,
  set: EntitySetDef,
  rows: Row[],
  options: ReturnType<typeof parseQueryOptions>,
  serviceUrl: string,
  paging: { url: URL; pageSize: number } = { url: new URL('http://unused'), pageSize: 0 },
): Reply {
  const shape = buildShape(service, set, options.select, options.expand);
  const { page: all, count } = applyCollectionOptions(set, rows, options);
  const from = options.skiptoken ?? 0;
  const page = paging.pageSize > 0 ? all.slice(from, from + paging.pageSize) : all.slice(from);
  let next: string | undefined;
  if (paging.pageSize > 0 && from + paging.pageSize < all.length) {
    const params = new URLSearchParams(paging.url.searchParams);
    params.set('$skiptoken', String(from + paging.pageSize));
    next = `${serviceUrl}/${set.name}?${params.toString().replace(/\+/g, '%20')}`;
  }
  const results = page.map((row) => serializeEntity(service, set, row, serviceUrl, shape));
  return {
    status: 200,
    json: {
      d: {
        ...(options.inlinecount === 'allpages' ? { __count: String(count) } : {}),
        results,
        ...(next ? { __next: next } : {}),
      },
    },
  };
}

export interface WriteAnswer {
  reply: Reply;
  refs: Record<string, string>;
}

function withWarnings(reply: Reply, warnings: SapMessage[] | undefined): Reply {
  const header = sapMessageHeader(warnings ?? []);
  return header ? { ...reply, headers: { ...reply.headers, 'sap-message': header } } : reply;
}

export function handleWrite(
  service: ServiceDef,
  target: Target,
  method: string,
  request: FastifyRequest,
  url: URL,
  serviceUrl: string,
  faults: Pick<FaultInjector, 'special' | 'roll'>,
): WriteAnswer {
  const ctx: RequestContext = { user: 'PLANTFLOW', now: Date.now() };
  switch (target.kind) {
    case 'function': {
      if (method !== target.fn.httpMethod) throw notAllowed(`function import ${target.fn.name} with ${method}`);
      const params = functionParams(target.fn, url.searchParams);
      const out = target.fn.invoke(params, ctx);
      const returns = target.fn.returns;
      let d: unknown;
      if (returns.kind === 'complex')
        d = {
          [target.fn.name]: serializeComplex(
            service.namespace,
            returns.type.name,
            returns.type.props,
            out.result as Row,
          ),
        };
      else if (returns.kind === 'complex-collection') {
        d = {
          results: (out.result as Row[]).map((r) =>
            serializeComplex(service.namespace, returns.type.name, returns.type.props, r),
          ),
        };
      } else d = serializeEntity(service, findSet(service, returns.set)!, out.result as Row, serviceUrl, fullShape());
      return { reply: withWarnings({ status: 200, json: { d } }, out.warnings), refs: out.refs ?? {} };
    }
    case 'collection': {
      const set = target.set;
      if (method !== 'POST') throw notAllowed(`entity set ${set.name} with ${method}`);
      if (!set.creatable || !set.create) throw notAllowed(`entity set ${set.name}: creation is not supported`);
      const parsed = parseCreateBody(service, set, request.body);
      const out = set.create(parsed, ctx);
      const shape = fullShape();
      for (const nav of Object.keys(parsed.nested)) shape.expand.set(nav, fullShape());
      const entity = serializeEntity(service, set, out.row, serviceUrl, shape);
      const location = (entity.__metadata as { uri: string }).uri;
      const etag = etagOf(set, out.row);
      const reply: Reply = { status: 201, headers: { location, ...(etag ? { etag } : {}) }, json: { d: entity } };
      return { reply: withWarnings(reply, out.warnings), refs: out.refs ?? {} };
    }
    case 'entity': {
      const set = target.set;
      if (method === 'DELETE') throw notAllowed(`entity set ${set.name}: deletion is not supported`);
      if (method === 'POST') throw notAllowed(`entity ${target.segment} with POST`);
      if (!set.updatable || !set.patch) throw notAllowed(`entity set ${set.name}: update is not supported`);
      const row = findByKey(set, target.key) ?? missing(target.segment);
      checkEtag(set, row, request.headers['if-match'], faults);
      const changes = parsePatchBody(set, row, request.body);
      const out = set.patch(row, changes, ctx);
      const etag = etagOf(set, out.row);
      return {
        reply: withWarnings({ status: 204, headers: etag ? { etag } : {} }, out.warnings),
        refs: out.refs ?? {},
      };
    }
    default:
      throw notAllowed(`${target.kind} with ${method}`);
  }
}

/** Optimistic locking (§3.2): missing If-Match → 428, stale → 412; `etagConflictRate` forces 412. */
function checkEtag(
  set: EntitySetDef,
  row: Row,
  ifMatch: string | string[] | undefined,
  faults: Pick<FaultInjector, 'special' | 'roll'>,
): void {
  if (!set.etag) return;
  const header = Array.isArray(ifMatch) ? ifMatch[0] : ifMatch;
  if (!header)
    throw new ODataError(
      428,
      '/IWBEP/CM_MGW_RT/148',
      'Precondition required: send the entity tag in an If-Match header',
    );
  const current = etagOf(set, row)!;
  const matches = header.trim() === '*' || header.split(',').some((t) => t.trim() === current);
  const conflictRate = Number(faults.special('etagConflictRate', 0));
  if (!matches || (conflictRate > 0 && faults.roll() < conflictRate)) {
    throw new ODataError(
      412,
      '/IWBEP/CM_MGW_RT/022',
      'Precondition failed: the entity was changed in the meantime; read it again',
    );
  }
}

/** Business refs every journal entry carries, read from the URL and payload before any handler runs. */
export function genericRefs(target: Target, body: unknown, url: URL): Record<string, string> {
  const refs: Record<string, string> = {};
  const add = (name: string, value: unknown, alphaField = false): void => {
    if (typeof value === 'string' && value !== '') refs[name] = alphaField ? unpad(value) : value;
  };
  const payload = (body && typeof body === 'object' && !Array.isArray(body) ? ((body as Row).d ?? body) : {}) as Row;
  const source: Row = { ...payload };
  if (target.kind === 'entity' || target.kind === 'navigation') Object.assign(source, target.key);
  if (target.kind === 'function') for (const [k, v] of url.searchParams) source[k] = v.replace(/^\w*'|'$/g, '');
  add('order', source.ManufacturingOrder ?? source.OrderID, true);
  add('operation', source.OrderOperation ?? source.ManufacturingOrderOperation);
  add('material', source.Material);
  add('batch', source.Batch);
  add('externalId', source.ExternalSystemConfirmation);
  add('headerText', source.MaterialDocumentHeaderText);
  add('inspectionLot', source.InspectionLot, true);
  add('confirmationGroup', source.ConfirmationGroup, true);
  add('confirmationCount', source.ConfirmationCount, true);
  add('materialDocument', source.MaterialDocument, true);
  return refs;
}
