import axios, { AxiosError, type AxiosInstance, type AxiosResponse, type RawAxiosRequestHeaders } from 'axios';
import type { ApplicationFailure } from '@temporalio/common';
import type { z } from 'zod';
import type { ExternalSystem } from '../../domain/failures';
import {
  authFailure,
  businessRuleFailure,
  invalidResponseFailure,
  rateLimitedFailure,
  transientFailure,
} from './failures';

export interface HttpClientOptions {
  system: ExternalSystem;
  baseURL: string;
  /** Every call has an explicit timeout; a hung ERP must not hold an activity slot forever. */
  timeoutMs: number;
  headers?: RawAxiosRequestHeaders;
}

/** An axios instance that never throws on status: protocol clients read the status themselves. */
export function createHttpClient(options: HttpClientOptions): AxiosInstance {
  return axios.create({
    baseURL: options.baseURL.replace(/\/+$/, ''),
    timeout: options.timeoutMs,
    headers: { 'User-Agent': 'plantflow/0.1', ...options.headers },
    validateStatus: () => true,
    // Responses are parsed by the protocol clients (OData bodies are not always JSON).
    transitional: { silentJSONParsing: true, forcedJSONParsing: true, clarifyTimeoutError: true },
  });
}

/** Transport-level trouble (no HTTP answer at all) is always worth retrying. */
export function failureFromTransportError(system: ExternalSystem, err: unknown): ApplicationFailure {
  const e = err as AxiosError;
  const code = e?.code ?? 'UNKNOWN';
  return transientFailure(`${system} unreachable: ${e?.message ?? String(err)}`, { system, code });
}

/** Runs a request and turns transport errors into Transient failures. */
export async function send<T = unknown>(
  system: ExternalSystem,
  request: () => Promise<AxiosResponse<T>>,
): Promise<AxiosResponse<T>> {
  try {
    return await request();
  } catch (err) {
    if (axios.isAxiosError(err) && err.response) return err.response as AxiosResponse<T>;
    throw failureFromTransportError(system, err);
  }
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value).trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(at - now, 0);
}

/**
 * The generic status → failure mapping. Protocol clients call it after handling what their protocol
 * defines more precisely (CSRF refetch, ETag re-read, Odoo error envelopes).
 */
export function failureFromStatus(
  system: ExternalSystem,
  response: Pick<AxiosResponse, 'status' | 'headers'>,
  message: string,
  extra: Record<string, unknown> = {},
): ApplicationFailure {
  const status = response.status;
  const details = { system, status, ...extra };
  if (status === 429) {
    const retryAfter = parseRetryAfter(response.headers?.['retry-after']) ?? 5_000;
    return rateLimitedFailure(`${system} rate limit: ${message}`, retryAfter, details);
  }
  if (status === 401 || status === 403) return authFailure(`${system} refused credentials: ${message}`, details);
  // 408 timeout, 409 conflict after our own re-read, 423 locked (SAP order lock), 5xx: all pass with time.
  if (status === 408 || status === 409 || status === 423 || status >= 500) {
    return transientFailure(`${system} temporarily failed (${status}): ${message}`, details);
  }
  return businessRuleFailure(`${system} refused (${status}): ${message}`, details);
}

/** Validates a response body we rely on; a shape we do not understand is a contract break. */
export function parseResponse<S extends z.ZodType>(
  system: ExternalSystem,
  schema: S,
  body: unknown,
  what: string,
): z.infer<S> {
  const result = schema.safeParse(body);
  if (!result.success) {
    throw invalidResponseFailure(
      `${system} returned an unexpected ${what}: ${result.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.') || '(root)'} ${i.message}`)
        .join('; ')}`,
      { system, what },
    );
  }
  return result.data;
}
