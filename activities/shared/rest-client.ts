import type { AxiosInstance, AxiosResponse } from 'axios';
import type { z } from 'zod';
import type { ExternalSystem } from '../../domain/failures';
import { businessRuleFailure, invalidResponseFailure, transientFailure } from './failures';
import { createHttpClient, failureFromStatus, parseResponse, send } from './http';
import {
  apiErrorSchema,
  IDEMPOTENCY_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  type ApiErrorBody,
} from '../../contracts/rest-common';

/**
 * Protocol client for the plantflow REST convention spoken by the QMS and the MES (also used by
 * activities/mes): bearer token, Idempotency-Key on writes, `{code, message, details}` errors, and zod
 * on every 2xx body. Wire concerns only; business verbs are built on it.
 */
export interface RestClientDeps {
  url: string;
  token: string;
  timeoutMs: number;
}

export interface RestCall<S extends z.ZodType> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Already filled with fillPath (encoded segments). */
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  idempotencyKey?: string;
  schema: S;
  /** What is being read or written, for failure messages ("plan activation"). */
  what: string;
  /** Error statuses the verb handles itself (returned as `ok: false`, not thrown). */
  tolerate?: number[];
}

export type RestResult<T> =
  { ok: true; status: number; data: T; replayed: boolean } | { ok: false; status: number; error: ApiErrorBody };

function errorBody(data: unknown, status: number): ApiErrorBody {
  const parsed = apiErrorSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const text = typeof data === 'string' ? data.slice(0, 200) : `HTTP ${status}`;
  return { code: 'unknown', message: text || `HTTP ${status}`, details: {} };
}

export class RestJsonClient {
  private readonly http: AxiosInstance;

  constructor(
    readonly system: Extract<ExternalSystem, 'qms' | 'mes'>,
    deps: RestClientDeps,
  ) {
    this.http = createHttpClient({
      system,
      baseURL: deps.url,
      timeoutMs: deps.timeoutMs,
      headers: { Authorization: `Bearer ${deps.token}`, Accept: 'application/json' },
    });
  }

  async call<S extends z.ZodType>(c: RestCall<S>): Promise<RestResult<z.infer<S>>> {
    const headers: Record<string, string> = {};
    if (c.idempotencyKey !== undefined) headers[IDEMPOTENCY_HEADER] = c.idempotencyKey;
    const params = c.query ? Object.fromEntries(Object.entries(c.query).filter(([, v]) => v !== undefined)) : undefined;
    const response = await send(this.system, () =>
      this.http.request({ method: c.method, url: c.path, params, data: c.body, headers }),
    );
    const { status } = response;
    if (status >= 200 && status < 300) {
      if (response.data === null || typeof response.data !== 'object') {
        throw invalidResponseFailure(`${this.system} answered ${c.what} with a non-JSON body`, {
          system: this.system,
          status,
          what: c.what,
        });
      }
      const data = parseResponse(this.system, c.schema, response.data, c.what);
      return { ok: true, status, data, replayed: response.headers[IDEMPOTENT_REPLAYED_HEADER] === 'true' };
    }
    const error = errorBody(response.data, status);
    if (c.tolerate?.includes(status)) return { ok: false, status, error };
    throw this.failure(status, response.headers, error, c.what);
  }

  /** Like call, for verbs that handle no error status themselves. */
  async send<S extends z.ZodType>(c: Omit<RestCall<S>, 'tolerate'>): Promise<z.infer<S>> {
    const result = await this.call(c);
    if (!result.ok) throw this.failure(result.status, {}, result.error, c.what);
    return result.data;
  }

  /**
   * The generic mapping, sharpened for this convention: a 409 is a retryable race only when the same
   * Idempotency-Key is still in flight; any other 409 means the record exists in a conflicting state.
   */
  failure(status: number, headers: AxiosResponse['headers'], error: ApiErrorBody, what: string) {
    const details = { system: this.system, status, code: error.code, what, details: error.details };
    if (status === 409) {
      return error.code === 'idempotency_key_in_flight'
        ? transientFailure(`${this.system} is still processing an identical request (${what})`, details)
        : businessRuleFailure(`${this.system} refused ${what} (409 ${error.code}): ${error.message}`, details);
    }
    return failureFromStatus(this.system, { status, headers }, `${what}: ${error.message}`, {
      code: error.code,
      what,
      details: error.details,
    });
  }
}
