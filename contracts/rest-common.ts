import { z } from 'zod';
import { UOM_TABLE } from '../domain/uom';

/**
 * Wire conventions shared by the QMS and MES REST contracts (both are APIs of our own design). Imported by
 * the simulators and by the adapters, so the two sides cannot drift. No transforms here: the same schemas
 * serialise responses, and a transform cannot be encoded back.
 */

/** Every non-2xx answer: a stable machine code, a human message, and structured details. */
export const apiErrorSchema = z
  .object({
    code: z.string().describe('Stable error code, e.g. validation_failed, not_found, dispatch_rejected'),
    message: z.string().describe('Human-readable reason, safe to show an operator'),
    details: z.record(z.string(), z.unknown()).describe('Structured context (zod issues, conflicting ids, ...)'),
  })
  .describe('Error envelope used by every non-2xx response');
export type ApiErrorBody = z.infer<typeof apiErrorSchema>;

const uomCodes = UOM_TABLE.map((u) => u.code) as [string, ...string[]];
export const uomCodeSchema = z.enum(uomCodes).describe('UN/CEFACT Recommendation 20 unit code');

/** Decimal quantities travel as strings so no float ever rounds a lot size. */
export const decimalStringSchema = z.string().regex(/^\d+(\.\d+)?$/, 'must be a non-negative decimal string');

export const quantitySchema = z
  .object({ value: decimalStringSchema, uom: uomCodeSchema })
  .describe('Decimal-safe quantity with its UN/CEFACT unit');
export type WireQuantity = z.infer<typeof quantitySchema>;

/** ISO 8601 with an explicit offset: plant events are buffered across time zones. */
export const timestampSchema = z.iso.datetime({ offset: true });

/** Business identifiers (order refs like WH/MO/00012, lot ids, NCR ids). */
export const identifierSchema = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/, 'letters, digits and . _ : / - only');

export { siteSchema } from '../domain/ids';
export const userIdSchema = z.string().min(1).max(64);
export const reasonSchema = z.string().min(1).max(1000);

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';

/** Optional request header on every write; loose so other headers (Authorization) survive validation. */
export const writeHeadersSchema = z.looseObject({
  [IDEMPOTENCY_HEADER]: z
    .string()
    .min(1)
    .max(255)
    .optional()
    .describe(
      'Same key + same body replays the first response (Idempotent-Replayed: true); same key + other body → 422',
    ),
});

export const healthSchema = z.object({ status: z.literal('ok'), system: z.string(), time: timestampSchema });

/** Error statuses each route documents, besides its own success status. */
export const COMMON_ERROR_STATUSES = [400, 401, 429, 503] as const;
export type ErrorStatus = 400 | 401 | 404 | 409 | 422 | 429 | 503;

export function errorResponses<S extends ErrorStatus>(statuses: readonly S[]): Record<S, typeof apiErrorSchema> {
  const out = {} as Record<S, typeof apiErrorSchema>;
  for (const s of statuses) out[s] = apiErrorSchema;
  return out;
}

/**
 * Route patterns are written once in the contract (fastify syntax, `:param`); the adapter fills them with
 * encoded values so an Odoo order name like WH/MO/00012 survives as one path segment.
 */
export function fillPath(pattern: string, params: Record<string, string>): string {
  return pattern.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${pattern}`);
    return encodeURIComponent(value);
  });
}
