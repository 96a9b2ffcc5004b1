import { z } from 'zod';
import {
  apiErrorSchema,
  healthSchema,
  identifierSchema,
  quantitySchema,
  reasonSchema,
  timestampSchema,
  userIdSchema,
} from './rest-common';

/**
 * The MES REST contract (our own design). A dispatch is an ISA-95 OperationsRequest: the order's
 * SegmentRequirements (operations at work centers) and MaterialRequirements (components). The simulator
 * serves it and generates docs/openapi/mes.json from it; activities/mes parses responses with it.
 */
export const mesRegistry = z.registry<{ id?: string }>();
function named<T extends z.ZodType>(id: string, schema: T): T {
  mesRegistry.add(schema, { id });
  return schema;
}
named('Error', apiErrorSchema);
named('Quantity', quantitySchema);
named('Health', healthSchema);
named('Timestamp', timestampSchema);

export const MES_ROUTES = {
  plants: '/v1/plants',
  plant: '/v1/plants/:site',
  dispatches: '/v1/plants/:site/dispatches',
  dispatch: '/v1/plants/:site/dispatches/:orderRef',
  recall: '/v1/plants/:site/dispatches/:orderRef/recall',
  holds: '/v1/plants/:site/dispatches/:orderRef/holds',
  releaseHold: '/v1/plants/:site/dispatches/:orderRef/holds/:holdId/release',
} as const;

export const workCenterSchema = named('WorkCenter', z.object({ code: z.string(), name: z.string() }));
export const plantSchema = named(
  'Plant',
  z.object({ site: z.string(), name: z.string(), workCenters: z.array(workCenterSchema) }),
);
export type Plant = z.infer<typeof plantSchema>;
export const plantListSchema = z.object({ items: z.array(plantSchema) });

export const segmentRequirementSchema = named(
  'SegmentRequirement',
  z.object({
    operation: z.string().regex(/^\d{4}$/, 'four-digit operation number, e.g. 0010'),
    workCenter: identifierSchema,
    description: z.string().min(1).max(200),
  }),
);
export const materialRequirementRequestSchema = named(
  'MaterialRequirementRequest',
  z.object({
    material: identifierSchema,
    quantity: quantitySchema.describe('Total quantity for the order'),
    operation: z
      .string()
      .regex(/^\d{4}$/)
      .optional()
      .describe('Operation that consumes it (default: the first)'),
    lotIds: z.array(identifierSchema).optional().describe('Lots staged for the order, if already picked'),
  }),
);
export const materialRequirementSchema = named(
  'MaterialRequirement',
  z.object({ material: z.string(), quantity: quantitySchema, operation: z.string(), lotIds: z.array(z.string()) }),
);

export const dispatchRequestSchema = named(
  'OperationsRequest',
  z.object({
    orderRef: identifierSchema,
    material: identifierSchema,
    quantity: quantitySchema,
    operations: z.array(segmentRequirementSchema).min(1),
    components: z.array(materialRequirementRequestSchema).optional(),
    dueAt: timestampSchema.optional(),
  }),
);
export type DispatchRequest = z.infer<typeof dispatchRequestSchema>;

export const dispatchStatusSchema = z.enum(['dispatched', 'held', 'recalled']);
export type DispatchStatus = z.infer<typeof dispatchStatusSchema>;

export const holdSchema = named(
  'Hold',
  z.object({
    holdId: z.string(),
    reason: z.string(),
    placedBy: z.string().nullable(),
    placedAt: timestampSchema,
    releasedAt: timestampSchema.nullable(),
    releasedBy: z.string().nullable(),
  }),
);

export const dispatchSchema = named(
  'Dispatch',
  z.object({
    dispatchId: z.string(),
    site: z.string(),
    orderRef: z.string(),
    material: z.string(),
    quantity: quantitySchema,
    operations: z.array(segmentRequirementSchema),
    components: z.array(materialRequirementSchema),
    dueAt: timestampSchema.nullable(),
    status: dispatchStatusSchema,
    activeHoldIds: z.array(z.string()).describe('Holds not yet released; several holds stack'),
    holds: z.array(holdSchema),
    dispatchedAt: timestampSchema,
    recalledAt: timestampSchema.nullable(),
    recallReason: z.string().nullable(),
    history: z.array(z.object({ at: timestampSchema, status: dispatchStatusSchema, note: z.string() })),
  }),
);
export type Dispatch = z.infer<typeof dispatchSchema>;
export const dispatchListSchema = z.object({ items: z.array(dispatchSchema) });
export const dispatchQuerySchema = z.object({ status: dispatchStatusSchema.optional() });

export const recallRequestSchema = z.object({ reason: reasonSchema });
export const recallResultSchema = named(
  'RecallResult',
  z.object({
    outcome: z.enum(['recalled', 'already_recalled', 'not_dispatched']),
    dispatch: dispatchSchema.nullable(),
  }),
);
export type RecallResult = z.infer<typeof recallResultSchema>;

export const holdRequestSchema = named(
  'HoldRequest',
  z.object({ holdId: identifierSchema, reason: reasonSchema, placedBy: userIdSchema.optional() }),
);
export const holdResultSchema = named(
  'HoldResult',
  z.object({ outcome: z.enum(['held', 'already_held']), dispatch: dispatchSchema }),
);
export type HoldResult = z.infer<typeof holdResultSchema>;

export const releaseHoldRequestSchema = z.object({
  releasedBy: userIdSchema.optional(),
  note: z.string().max(2000).optional(),
});
export const releaseHoldResultSchema = named(
  'HoldReleaseResult',
  z.object({ outcome: z.enum(['resumed', 'still_held', 'not_held']), dispatch: dispatchSchema }),
);
export type ReleaseHoldResult = z.infer<typeof releaseHoldResultSchema>;
