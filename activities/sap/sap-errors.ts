import type { ApplicationFailure } from '@temporalio/common';
import type { AxiosResponse } from 'axios';
import { z } from 'zod';
import { authFailure, businessRuleFailure, transientFailure } from '../shared/failures';
import { failureFromStatus } from '../shared/http';

/** A message SAP attached to an answer (error details or the `sap-message` header of a success). */
export interface SapMessage {
  code: string;
  text: string;
  severity: string;
}

const messageValue = z.union([
  z.string(),
  z.object({ value: z.string() }).transform((m) => m.value),
  // Some gateways send message as an array of {lang, value}.
  z.array(z.object({ value: z.string() })).transform((list) => list.map((m) => m.value).join(' ')),
]);

const errorBodySchema = z.object({
  error: z.object({
    code: z.string().optional(),
    message: messageValue.optional(),
    innererror: z
      .object({
        errordetails: z
          .array(
            z.object({
              code: z.string().default(''),
              message: messageValue.default(''),
              severity: z.string().default('error'),
            }),
          )
          .optional(),
      })
      .passthrough()
      .optional(),
  }),
});

export interface ParsedSapError {
  code?: string;
  text: string;
  details: SapMessage[];
}

/** Reads a V2 error body (JSON or a string holding JSON); HTML/plain answers keep their first words. */
export function parseSapError(data: unknown, status: number): ParsedSapError {
  let body = data;
  if (typeof data === 'string') {
    try {
      body = JSON.parse(data);
    } catch {
      const text = data
        .replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
      return { text: text.slice(0, 200) || `HTTP ${status}`, details: [] };
    }
  }
  const parsed = errorBodySchema.safeParse(body);
  if (!parsed.success) return { text: `HTTP ${status}`, details: [] };
  const e = parsed.data.error;
  const details = (e.innererror?.errordetails ?? []).map((d) => ({
    code: d.code,
    text: d.message,
    severity: d.severity,
  }));
  return { code: e.code, text: e.message ?? details[0]?.text ?? `HTTP ${status}`, details };
}

const headerMessage = z.object({
  code: z.string().default(''),
  message: z.string().default(''),
  severity: z.string().default('info'),
  details: z
    .array(
      z.object({ code: z.string().default(''), message: z.string().default(''), severity: z.string().default('info') }),
    )
    .default([]),
});

/** The `sap-message` header of a successful write: warnings the caller should see. */
export function parseSapMessageHeader(value: unknown): SapMessage[] {
  if (typeof value !== 'string' || value.trim() === '') return [];
  try {
    const parsed = headerMessage.safeParse(JSON.parse(value));
    if (!parsed.success) return [];
    const m = parsed.data;
    return [
      { code: m.code, text: m.message, severity: m.severity },
      ...m.details.map((d) => ({ code: d.code, text: d.message, severity: d.severity })),
    ];
  } catch {
    return [];
  }
}

/** Gateway's framework ids are 32 hex characters; business messages are CLASS/NNN. */
const isMessageClassCode = (code: string | undefined): code is string =>
  !!code && code.includes('/') && !/^[0-9A-F]{32}$/i.test(code);

/**
 * SAP specifics on top of the generic status mapping: a 400 with a message class is a business refusal
 * carrying SAP's code and text (posting period closed, deficit); 404 on a key is "not found"; 423 (order
 * locked) is transient; 403 (after the CSRF retry) is an authorisation problem.
 */
export function sapFailure(
  response: Pick<AxiosResponse, 'status' | 'headers' | 'data'>,
  what: string,
): ApplicationFailure {
  const status = response.status;
  const error = parseSapError(response.data, status);
  const details = {
    system: 'sap' as const,
    status,
    code: error.code,
    sapMessage: error.text,
    what,
    messages: error.details,
  };
  if (status === 404) {
    return businessRuleFailure(`SAP: ${what} not found (${error.text})`, { ...details, notFound: true });
  }
  if (status === 400 || status === 422) {
    const code = isMessageClassCode(error.code) ? `${error.code} ` : '';
    return businessRuleFailure(`SAP refused ${what}: ${code}${error.text}`, details);
  }
  if (status === 403) return authFailure(`SAP refused access for ${what}: ${error.text}`, details);
  if (status === 412 || status === 428)
    return transientFailure(`SAP kept refusing the update of ${what} on its ETag (${status})`, details);
  return failureFromStatus('sap', response, `${what}: ${error.text}`, {
    code: error.code,
    sapMessage: error.text,
    what,
  });
}

export function isBusinessRule(err: unknown): boolean {
  return (err as { type?: unknown })?.type === 'BusinessRule';
}

/** The SAP message code carried by a failure, if any. */
export function sapCodeOf(err: unknown): string | undefined {
  const details = (err as { details?: unknown[] })?.details;
  const first = Array.isArray(details) ? (details[0] as { code?: unknown } | undefined) : undefined;
  return typeof first?.code === 'string' ? first.code : undefined;
}
