import { z } from 'zod';
import { nonNegativeQuantitySchema, positiveQuantitySchema } from '../../domain/quantity';
import { businessRuleFailure } from '../shared/failures';

/**
 * Input checks of the SAP verbs. A workflow that sends an impossible posting (negative yield, a batch
 * SAP cannot store) gets a non-retryable BusinessRule before anything reaches SAP.
 */
const key = z.string().trim().min(1);
const order = z.string().regex(/^\d{1,12}$/, 'order numbers are up to 12 digits');
const material = z.string().trim().min(1).max(40);
const batch = z
  .string()
  .min(1)
  .max(10)
  .regex(/^[A-Z0-9_-]+$/, 'SAP batches are upper-case, at most 10 characters');
const plant = z.string().regex(/^[A-Z0-9]{4}$/, 'plants have 4 characters');
const sloc = z.string().regex(/^[A-Z0-9]{1,4}$/, 'storage locations have up to 4 characters');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

export const inputSchemas = {
  order: z.object({ order }),
  confirmation: z.object({
    order,
    operation: z.string().regex(/^\d{4}$/, 'operations are 4 digits like 0010'),
    yield: nonNegativeQuantitySchema,
    scrap: nonNegativeQuantitySchema.optional(),
    rework: nonNegativeQuantitySchema.optional(),
    final: z.boolean(),
    postingDate: isoDate.optional(),
    idempotencyKey: key,
    goodsMovements: z
      .array(
        z.object({
          material,
          batch: batch.optional(),
          movementType: z.enum(['261', '101']),
          quantity: positiveQuantitySchema,
          storageLocation: sloc.optional(),
        }),
      )
      .optional(),
  }),
  goodsMovement: z.object({
    movementType: z.enum(['261', '262', '101', '102', '321', '322', '343', '344', '349', '350', '551', '553', '555']),
    material,
    plant,
    storageLocation: sloc.optional(),
    batch: batch.optional(),
    quantity: positiveQuantitySchema,
    order: order.optional(),
    reasonCode: z.string().max(4).optional(),
    postingDate: isoDate.optional(),
    idempotencyKey: key,
  }),
  ensureBatch: z.object({ material, batch, plant, restricted: z.boolean() }),
  setBatchRestricted: z.object({ material, batch, restricted: z.boolean() }),
  readBatch: z.object({ material, batch }),
  readBatchStock: z.object({ material, plant, batch }),
  findInspectionLot: z.object({ material, batch, order: order.optional() }),
  usageDecision: z.object({
    inspectionLot: z.string().regex(/^\d{1,12}$/),
    decision: z.enum(['accept', 'reject']),
    code: z.string().min(1).max(4).optional(),
    decidedBy: key,
    idempotencyKey: key,
  }),
  lotStock: z.object({
    inspectionLot: z.string().regex(/^\d{1,12}$/),
    to: z.enum(['unrestricted', 'blocked', 'scrap']),
    quantity: positiveQuantitySchema,
    idempotencyKey: key,
  }),
  notification: z.object({
    idempotencyKey: key,
    text: z.string().trim().min(1),
    material,
    plant,
    batch: batch.optional(),
    inspectionLot: z
      .string()
      .regex(/^\d{1,12}$/)
      .optional(),
    defects: z
      .array(
        z.object({
          code: z.string().regex(/^([A-Z0-9_-]{1,8}\/)?[A-Z0-9]{1,4}$/),
          text: z.string().trim().min(1),
          quantity: positiveQuantitySchema.optional(),
        }),
      )
      .optional(),
  }),
  completeNotification: z.object({ notification: z.string().regex(/^\d{1,12}$/) }),
};

/** Validates a verb's input; an invalid one is refused as BusinessRule naming the verb and the fields. */
export function checkInput<S extends z.ZodType>(schema: S, input: unknown, verb: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issues = result.error.issues.slice(0, 4).map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`);
    throw businessRuleFailure(`${verb}: invalid input (${issues.join('; ')})`, { system: 'sap', verb });
  }
  return result.data;
}
