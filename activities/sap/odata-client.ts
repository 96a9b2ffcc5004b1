import type { AxiosInstance, AxiosResponse } from 'axios';
import { CookieJar } from 'tough-cookie';
import { z } from 'zod';
import { authFailure, invalidResponseFailure, transientFailure } from '../shared/failures';
import { createHttpClient, failureFromStatus, parseResponse, send } from '../shared/http';
import { parseSapMessageHeader, sapFailure, type SapMessage } from './sap-errors';

/** Shape of PlantflowConfig['sap'] the client needs. */
export interface SapClientDeps {
  url: string;
  user: string;
  password: string;
  client?: string;
  timeoutMs: number;
}

export interface SapAnswer<T> {
  data: T;
  etag?: string;
  messages: SapMessage[];
}

/** A collection that pages further than this is not what plantflow reads (it reads one order's rows). */
const MAX_PAGES = 1000;
const WRITE = new Set(['POST', 'PATCH', 'MERGE', 'PUT', 'DELETE']);
/** OData V4 services (RAP, under /sap/opu/odata4/) answer bare entities and `{value:[…]}` collections. */
const isV4 = (service: string) => service.startsWith('/sap/opu/odata4/');
/** V4: decimals as strings (IEEE754Compatible), so quantities keep their digits. */
const headersOf = (service: string): Record<string, string> =>
  isV4(service)
    ? { Accept: 'application/json;IEEE754Compatible=true', 'Content-Type': 'application/json;IEEE754Compatible=true' }
    : {};

/**
 * OData protocol client for S/4HANA (wire concerns only; V2 services, and V4 ones by their full path): basic auth, sap-client, CSRF token bound to the
 * session cookies (one in-flight fetch, one refetch on 403 Required), `d` envelopes validated with zod,
 * ETag read/If-Match with one re-read on 412/428, V2 error bodies → typed failures, `sap-message` warnings.
 */
export class SapODataClient {
  private readonly http: AxiosInstance;
  private readonly jar = new CookieJar();
  private readonly base: string;
  private token: string | undefined;
  private tokenFetch: Promise<string> | undefined;

  constructor(private readonly deps: SapClientDeps) {
    this.base = deps.url.replace(/\/+$/, '');
    this.http = createHttpClient({
      system: 'sap',
      baseURL: this.base,
      timeoutMs: deps.timeoutMs,
      headers: {
        Accept: 'application/json',
        Authorization: `Basic ${Buffer.from(`${deps.user}:${deps.password}`).toString('base64')}`,
      },
    });
  }

  /**
   * Path of a resource under the service root, with sap-client and query options encoded (spaces as %20).
   * A service is a V2 name (under /sap/opu/odata/sap/) or the full root path of a V4 service.
   */
  url(service: string, resource: string, query: Record<string, string | undefined> = {}): string {
    const params = Object.entries({ ...query, 'sap-client': this.deps.client })
      .filter((e): e is [string, string] => e[1] !== undefined)
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
    const root = service.startsWith('/') ? service.replace(/\/*$/, '/') : `/sap/opu/odata/sap/${service}/`;
    return `${root}${resource}${params.length ? `?${params.join('&')}` : ''}`;
  }

  /** A URL the server gave (a next page) as a path under our base URL. */
  private relative(url: URL): string {
    const prefix = new URL(this.base).pathname.replace(/\/+$/, '');
    const path = prefix && url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname;
    return `${path}${url.search}`;
  }

  /** Reads one entity (`{d:{…}}`); tolerates a single entity wrapped in `results` (§6 pitfall 11). */
  async read<S extends z.ZodType>(
    service: string,
    resource: string,
    schema: S,
    what: string,
    query: Record<string, string | undefined> = {},
  ): Promise<SapAnswer<z.infer<S>>> {
    const response = await this.request(service, 'GET', this.url(service, resource, query), undefined, {}, what);
    const body = parseResponse('sap', z.object({ d: z.unknown() }), response.data, what);
    const entity = unwrapSingle(body.d);
    const data = parseResponse('sap', schema, entity, what);
    return { data, etag: etagOf(response, entity), messages: parseSapMessageHeader(response.headers['sap-message']) };
  }

  /** Like read, but a 404 on the key is an answer (undefined), not a failure. */
  async readOptional<S extends z.ZodType>(
    service: string,
    resource: string,
    schema: S,
    what: string,
    query: Record<string, string | undefined> = {},
  ): Promise<SapAnswer<z.infer<S>> | undefined> {
    const url = this.url(service, resource, query);
    const response = await this.request(service, 'GET', url, undefined, headersOf(service), what, [404]);
    if (response.status === 404) return undefined;
    const entity = isV4(service)
      ? response.data
      : unwrapSingle(parseResponse('sap', z.object({ d: z.unknown() }), response.data, what).d);
    return { data: parseResponse('sap', schema, entity, what), etag: etagOf(response, entity), messages: [] };
  }

  /**
   * Reads a collection (`{d:{results:[…]}}`, bare arrays tolerated; V4 `{value:[…]}`), every page of it: a
   * server that pages on its own (`__next`, `@odata.nextLink`) is followed to the last page.
   */
  async list<S extends z.ZodType>(
    service: string,
    set: string,
    item: S,
    what: string,
    query: Record<string, string | undefined> = {},
  ): Promise<Array<z.infer<S>>> {
    const v2 = z.object({
      d: z.union([z.object({ results: z.array(item), __next: z.string().optional() }), z.array(item)]),
    });
    const v4 = z.object({ value: z.array(item), '@odata.nextLink': z.string().optional() });
    const items: Array<z.infer<S>> = [];
    let url: string | undefined = this.url(service, set, query);
    for (let page = 0; url !== undefined; page++) {
      if (page === MAX_PAGES) throw invalidResponseFailure(`${what}: more than ${MAX_PAGES} pages`, { system: 'sap' });
      const response = await this.request(service, 'GET', url, undefined, headersOf(service), what);
      let next: string | undefined;
      if (isV4(service)) {
        const body = parseResponse('sap', v4, response.data, what);
        items.push(...body.value);
        next = body['@odata.nextLink'];
      } else {
        const body = parseResponse('sap', v2, response.data, what);
        items.push(...(Array.isArray(body.d) ? body.d : body.d.results));
        next = Array.isArray(body.d) ? undefined : body.d.__next;
      }
      // The link may be absolute (with the host the server sees) or relative to the page: keep our own host.
      url = next === undefined ? undefined : this.relative(new URL(next, `${this.base}${url}`));
    }
    return items;
  }

  /** POST to an entity set (create, deep insert) → the created entity from the 201 body. */
  async create<S extends z.ZodType>(
    service: string,
    set: string,
    payload: unknown,
    schema: S,
    what: string,
  ): Promise<SapAnswer<z.infer<S>>> {
    const response = await this.request(service, 'POST', this.url(service, set), payload, headersOf(service), what);
    const entity = isV4(service)
      ? response.data
      : parseResponse('sap', z.object({ d: z.unknown() }), response.data, what).d;
    return {
      data: parseResponse('sap', schema, entity, what),
      messages: parseSapMessageHeader(response.headers['sap-message']),
    };
  }

  /**
   * POST a function import with literal parameters in the query string. Complex results arrive wrapped in
   * the function's name (`{d:{ReleaseOrder:{…}}}`), entity results directly in `d`.
   */
  async call<S extends z.ZodType>(
    service: string,
    fn: string,
    params: Record<string, string>,
    schema: S,
    what: string,
    wrapped: boolean,
  ): Promise<SapAnswer<z.infer<S>>> {
    const response = await this.request(service, 'POST', this.url(service, fn, params), undefined, {}, what);
    const body = parseResponse('sap', z.object({ d: z.unknown() }), response.data, what);
    const result = wrapped && body.d && typeof body.d === 'object' ? (body.d as Record<string, unknown>)[fn] : body.d;
    return {
      data: parseResponse('sap', schema, result, what),
      messages: parseSapMessageHeader(response.headers['sap-message']),
    };
  }

  /**
   * Optimistic update: GET the entity (ETag), let `change` decide the PATCH body (undefined = nothing to do),
   * PATCH with If-Match; on 412/428 read again and retry once, then give up as Transient.
   */
  async update<S extends z.ZodType>(
    service: string,
    resource: string,
    schema: S,
    what: string,
    change: (current: z.infer<S>) => Record<string, unknown> | undefined,
  ): Promise<{ changed: boolean; current: z.infer<S>; messages: SapMessage[] }> {
    for (let attempt = 0; ; attempt += 1) {
      const { data, etag } = await this.read(service, resource, schema, what);
      const payload = change(data);
      if (payload === undefined) return { changed: false, current: data, messages: [] };
      const headers: Record<string, string> = etag ? { 'If-Match': etag } : {};
      const response = await this.request(
        service,
        'PATCH',
        this.url(service, resource),
        payload,
        headers,
        what,
        [412, 428],
      );
      if (response.status < 300)
        return { changed: true, current: data, messages: parseSapMessageHeader(response.headers['sap-message']) };
      if (attempt >= 1) throw sapFailure(response, what);
    }
  }

  /** Sends one request; writes carry the CSRF token and get one refetch+retry when SAP says `Required`. */
  private async request(
    service: string,
    method: string,
    url: string,
    payload: unknown,
    headers: Record<string, string>,
    what: string,
    tolerate: number[] = [],
  ): Promise<AxiosResponse> {
    const isWrite = WRITE.has(method);
    let usedToken = isWrite ? await this.csrfToken(service) : undefined;
    for (let attempt = 0; ; attempt += 1) {
      const response = await this.send(method, url, payload, {
        ...headers,
        ...(usedToken ? { 'X-CSRF-Token': usedToken } : {}),
      });
      const csrfRequired =
        response.status === 403 && String(response.headers['x-csrf-token'] ?? '').toLowerCase() === 'required';
      if (isWrite && csrfRequired) {
        if (attempt >= 1)
          throw transientFailure(`SAP rejected the CSRF token again after a refetch (${what})`, {
            system: 'sap',
            status: 403,
          });
        usedToken = await this.csrfToken(service, usedToken);
        continue;
      }
      if (response.status >= 200 && response.status < 300) return response;
      if (tolerate.includes(response.status)) return response;
      throw sapFailure(response, what);
    }
  }

  private async send(
    method: string,
    url: string,
    payload: unknown,
    headers: Record<string, string>,
  ): Promise<AxiosResponse> {
    const full = `${this.base}${url}`;
    const cookie = await this.jar.getCookieString(full);
    const response = await send('sap', () =>
      this.http.request({
        method,
        url,
        data: payload === undefined ? undefined : JSON.stringify(payload),
        headers: {
          ...(payload === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...headers,
          ...(cookie ? { Cookie: cookie } : {}),
        },
      }),
    );
    const setCookie = response.headers['set-cookie'];
    for (const c of Array.isArray(setCookie) ? setCookie : setCookie ? [String(setCookie)] : []) {
      await this.jar.setCookie(c, full, { ignoreError: true });
    }
    return response;
  }

  /**
   * The session's CSRF token. Concurrent writes share one in-flight fetch; `stale` forces a new fetch only
   * if nobody has replaced that token yet.
   */
  private async csrfToken(service: string, stale?: string): Promise<string> {
    if (this.token && this.token !== stale) return this.token;
    if (stale && this.token === stale) this.token = undefined;
    this.tokenFetch ??= this.fetchToken(service).finally(() => {
      this.tokenFetch = undefined;
    });
    return this.tokenFetch;
  }

  private async fetchToken(service: string): Promise<string> {
    // GET on the service root *with* trailing slash; HEAD is refused by some ICF handlers (§6 pitfall 2).
    const url = this.url(service, '');
    const response = await this.send('GET', url, undefined, { 'X-CSRF-Token': 'Fetch' });
    if (response.status === 401 || response.status === 403)
      throw authFailure(`SAP refused the CSRF token fetch (${response.status})`, {
        system: 'sap',
        status: response.status,
      });
    if (response.status >= 300) throw failureFromStatus('sap', response, 'CSRF token fetch');
    const token = response.headers['x-csrf-token'];
    if (typeof token !== 'string' || token === '' || token.toLowerCase() === 'required') {
      throw invalidResponseFailure('SAP answered the CSRF fetch without a token', {
        system: 'sap',
        status: response.status,
      });
    }
    this.token = token;
    return token;
  }
}

function unwrapSingle(d: unknown): unknown {
  if (d && typeof d === 'object' && Array.isArray((d as { results?: unknown }).results)) {
    const results = (d as { results: unknown[] }).results;
    if (results.length === 1) return results[0];
  }
  return d;
}

function etagOf(response: AxiosResponse, entity: unknown): string | undefined {
  const header = response.headers.etag;
  if (typeof header === 'string' && header) return header;
  const meta = (entity as { __metadata?: { etag?: unknown } } | undefined)?.__metadata;
  return typeof meta?.etag === 'string' ? meta.etag : undefined;
}
