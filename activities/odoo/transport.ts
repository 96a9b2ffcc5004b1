import type { AxiosInstance, AxiosResponse } from 'axios';
import { z } from 'zod';
import { authFailure, invalidResponseFailure } from '../shared/failures';
import { failureFromStatus, send } from '../shared/http';
import { failureFromOdooError, isKnownOdooError } from './errors';

/** One model method call, protocol-neutral: named arguments, ids for record methods, a context. */
export interface OdooCall {
  model: string;
  method: string;
  /** Record ids (`self`); omitted for @api.model methods (search, create, load…). */
  ids?: number[];
  kwargs?: Record<string, unknown>;
  context: Record<string, unknown>;
}

export interface OdooCredentials {
  database: string;
  login: string;
  apiKey: string;
}

export interface OdooTransport {
  call(call: OdooCall): Promise<unknown>;
}

function parseJson(text: unknown, what: string): unknown {
  if (typeof text !== 'string') return text;
  try {
    return JSON.parse(text);
  } catch {
    throw invalidResponseFailure(`Odoo returned ${what} that is not JSON: ${text.slice(0, 120)}`, {
      system: 'odoo',
      what,
    });
  }
}

const snippet = (data: unknown) =>
  (typeof data === 'string' ? data : JSON.stringify(data ?? '')).replace(/\s+/g, ' ').slice(0, 200);

const errorDataSchema = z.object({ name: z.string(), message: z.string() }).loose();
const envelopeSchema = z
  .object({
    jsonrpc: z.literal('2.0'),
    id: z.union([z.number(), z.string(), z.null()]).optional(),
    result: z.unknown().optional(),
    error: z.object({ code: z.number(), message: z.string(), data: errorDataSchema.optional() }).optional(),
  })
  .loose();

/**
 * JSON-RPC at /jsonrpc (17/18): `common.login` once for the uid, then
 * `object.execute_kw(db, uid, key, model, method, args, kwargs)`. HTTP 200 for application errors;
 * no `result` key when the method returned None.
 */
export class JsonRpcTransport implements OdooTransport {
  private uid: Promise<number> | undefined;
  private nextId = 1;

  constructor(
    private readonly http: AxiosInstance,
    private readonly credentials: OdooCredentials,
  ) {}

  async rpc(
    service: string,
    method: string,
    args: unknown[],
    where: { model?: string; method?: string } = {},
  ): Promise<unknown> {
    const id = this.nextId++;
    const response: AxiosResponse<unknown> = await send('odoo', () =>
      this.http.post(
        '/jsonrpc',
        { jsonrpc: '2.0', method: 'call', id, params: { service, method, args } },
        {
          responseType: 'text',
          headers: { 'Content-Type': 'application/json' },
        },
      ),
    );
    if (response.status !== 200)
      throw failureFromStatus('odoo', response, snippet(response.data), { ...where, service });
    const parsed = envelopeSchema.safeParse(parseJson(response.data, 'a JSON-RPC answer'));
    if (!parsed.success) {
      throw invalidResponseFailure(`Odoo returned something that is not a JSON-RPC answer: ${snippet(response.data)}`, {
        system: 'odoo',
        what: 'envelope',
      });
    }
    const envelope = parsed.data;
    if (envelope.id !== undefined && envelope.id !== null && envelope.id !== id) {
      throw invalidResponseFailure(`Odoo answered JSON-RPC request ${id} with id ${String(envelope.id)}`, {
        system: 'odoo',
        what: 'envelope id',
      });
    }
    if (envelope.error) {
      const data = envelope.error.data;
      if (envelope.error.code === 100)
        throw authFailure(`Odoo session expired: ${envelope.error.message}`, {
          system: 'odoo',
          code: 'session_expired',
        });
      // Without `data`, the JSON-RPC code is all there is: 404 = the service is gone (post-19 Odoo).
      const fallback = envelope.error.code === 404 ? 'werkzeug.exceptions.NotFound' : `jsonrpc.${envelope.error.code}`;
      throw failureFromOdooError({
        name: data?.name ?? fallback,
        message: data?.message ?? envelope.error.message,
        ...where,
      });
    }
    // Python None → the key is absent: that is a successful null, not a malformed answer.
    return envelope.result ?? null;
  }

  private login(): Promise<number> {
    this.uid ??= (async () => {
      const { database, login, apiKey } = this.credentials;
      const uid = await this.rpc('common', 'login', [database, login, apiKey]);
      if (uid === false || uid === 0 || uid === null) {
        throw authFailure(`Odoo refused the login "${login}" on database "${database}" (wrong login or API key)`, {
          system: 'odoo',
          code: 'login',
        });
      }
      if (typeof uid !== 'number')
        throw invalidResponseFailure(`Odoo common.login returned ${snippet(uid)}`, { system: 'odoo', what: 'uid' });
      return uid;
    })();
    // A failed login must not stick: the next attempt logs in again.
    void this.uid.catch(() => {
      this.uid = undefined;
    });
    return this.uid;
  }

  async call(call: OdooCall): Promise<unknown> {
    const uid = await this.login();
    const { database, apiKey } = this.credentials;
    // call_kw takes ids as args[0]; `create` must get its values positionally (it looks at args[0]).
    const isCreate = call.method === 'create';
    const args = isCreate ? [call.kwargs?.vals_list] : call.ids ? [call.ids] : [];
    const kwargs = isCreate ? { context: call.context } : { ...call.kwargs, context: call.context };
    try {
      return await this.rpc(
        'object',
        'execute_kw',
        [database, uid, apiKey, call.model, call.method, args, kwargs],
        call,
      );
    } catch (err) {
      if ((err as { type?: string }).type === 'Auth') this.uid = undefined;
      throw err;
    }
  }
}

/**
 * JSON-2 (19+): POST /json/2/<model>/<method> with a bearer API key, named arguments
 * plus `ids` and `context`; the body of a 200 is the bare result, errors carry the exception class.
 */
export class Json2Transport implements OdooTransport {
  constructor(
    private readonly http: AxiosInstance,
    private readonly credentials: OdooCredentials,
  ) {}

  async call(call: OdooCall): Promise<unknown> {
    const body = { ...call.kwargs, ...(call.ids ? { ids: call.ids } : {}), context: call.context };
    const response: AxiosResponse<unknown> = await send('odoo', () =>
      this.http.post(`/json/2/${encodeURIComponent(call.model)}/${encodeURIComponent(call.method)}`, body, {
        responseType: 'text',
        headers: {
          Authorization: `bearer ${this.credentials.apiKey}`,
          'X-Odoo-Database': this.credentials.database,
          'Content-Type': 'application/json; charset=utf-8',
        },
      }),
    );
    if (response.status === 200) return parseJson(response.data, `a ${call.model}.${call.method} result`);
    const where = { model: call.model, method: call.method };
    if (response.status === 429 || response.status === 401)
      throw failureFromStatus('odoo', response, snippet(response.data), where);
    let error: z.infer<typeof errorDataSchema> | undefined;
    try {
      const parsed = errorDataSchema.safeParse(JSON.parse(String(response.data)));
      if (parsed.success) error = parsed.data;
    } catch {
      // proxy pages and the like: fall back to the status
    }
    if (error && isKnownOdooError(error.name))
      throw failureFromOdooError({ ...error, status: response.status, ...where });
    throw failureFromStatus('odoo', response, error?.message ?? snippet(response.data), {
      ...where,
      code: error?.name,
    });
  }
}
