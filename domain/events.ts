import { z } from 'zod';
import { lotIdSchema } from './ids';
import { nonNegativeQuantitySchema, positiveQuantitySchema } from './quantity';
import { recordHash } from './signature';

/**
 * The canonical event envelope (docs/architecture.md §4.1), after ISA-95 OperationsEvent: EffectiveTimeStamp is when
 * it happened on the floor, RecordTimeStamp when it was recorded — they differ for buffered plant events.
 */
const isoTimestamp = z.iso.datetime({ offset: true });
const ref = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, 'letters, digits and . _ / - only');

export const eventSourceSchema = z.object({
  system: z.enum(['mes', 'qms', 'odoo', 'sap', 'plantflow', 'person']),
  instance: z.string().min(1).max(64),
});

const envelope = {
  /** Source GUID: the dedup key. */
  eventId: z.string().min(8).max(80),
  effectiveAt: isoTimestamp,
  recordedAt: isoTimestamp,
  source: eventSourceSchema,
  site: ref,
};

const operationCode = z.string().regex(/^\d{4}$/, 'operation numbers are four digits, e.g. 0010');
const lotId = lotIdSchema;

export const operationStartedSchema = z.object({
  ...envelope,
  type: z.literal('OperationStarted'),
  correlation: z.object({ orderRef: ref, operation: operationCode }),
  payload: z.object({ workCenter: z.string().max(20).optional(), operator: z.string().max(64).optional() }).default({}),
});

export const operationCompletedSchema = z.object({
  ...envelope,
  type: z.literal('OperationCompleted'),
  correlation: z.object({ orderRef: ref, operation: operationCode }),
  payload: z.object({
    yield: nonNegativeQuantitySchema,
    scrap: nonNegativeQuantitySchema.optional(),
    rework: nonNegativeQuantitySchema.optional(),
    /** The MES says no more quantity will be reported for this operation. */
    final: z.boolean().default(false),
    scrapReason: z.string().max(200).optional(),
    operator: z.string().max(64).optional(),
  }),
});

export const materialConsumedSchema = z.object({
  ...envelope,
  type: z.literal('MaterialConsumed'),
  correlation: z.object({ orderRef: ref, operation: operationCode.optional(), lotId }),
  payload: z.object({ material: ref, quantity: positiveQuantitySchema, operator: z.string().max(64).optional() }),
});

export const materialProducedSchema = z.object({
  ...envelope,
  type: z.literal('MaterialProduced'),
  correlation: z.object({ orderRef: ref, operation: operationCode.optional(), lotId }),
  payload: z.object({ material: ref, quantity: positiveQuantitySchema, operator: z.string().max(64).optional() }),
});

/** What the shop floor reports about an order (ISA-95 MaterialActual Consumed/Produced, SegmentResponse). */
export const mesEventSchema = z.discriminatedUnion('type', [
  operationStartedSchema,
  operationCompletedSchema,
  materialConsumedSchema,
  materialProducedSchema,
]);

/** Most events one report may carry. */
export const MAX_MES_BATCH = 500;

/** What an MES posts: one event, or `{events: [...]}` in the order they happened (up to MAX_MES_BATCH). */
export function mesReportSchema<E extends z.ZodType>(event: E) {
  return z.union([event, z.object({ events: z.array(event).min(1).max(MAX_MES_BATCH) })]);
}
export const mesEventReportSchema = mesReportSchema(mesEventSchema);

export type MesEvent = z.infer<typeof mesEventSchema>;
export type MesEventInput = z.input<typeof mesEventSchema>;
export type OperationStarted = z.infer<typeof operationStartedSchema>;
export type OperationCompleted = z.infer<typeof operationCompletedSchema>;
export type MaterialConsumed = z.infer<typeof materialConsumedSchema>;
export type MaterialProduced = z.infer<typeof materialProducedSchema>;

export const CANONICAL_EVENT_TYPES = [
  'OrderReleased',
  'OperationStarted',
  'OperationCompleted',
  'MaterialConsumed',
  'MaterialProduced',
  'InspectionRecorded',
  'LotDispositioned',
  'OrderClosed',
  'NonconformanceRaised',
] as const;
export type CanonicalEventType = (typeof CANONICAL_EVENT_TYPES)[number];

/**
 * What makes an event the event it is (what happened, where and when on the floor), not how it was
 * delivered: a resend of an eventId must carry the same digest, or it is a conflict, never silently dropped.
 * 64 bits of SHA-256 tell two payloads apart; the order keeps one per accepted event.
 */
export function mesEventDigest(event: MesEvent): string {
  const { type, site, correlation, payload, effectiveAt } = event;
  return recordHash({ type, site, correlation, payload, effectiveAt }).slice(0, 16);
}
