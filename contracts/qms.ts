import { z } from 'zod';
import {
  apiErrorSchema,
  healthSchema,
  identifierSchema,
  quantitySchema,
  reasonSchema,
  siteSchema,
  timestampSchema,
  userIdSchema,
} from './rest-common';

/**
 * The QMS REST contract (our own design; ISA-95 Part 2 §5.9 names: TestSpecification, TestResult;
 * B2MML MaterialLot disposition). The simulator serves it and generates docs/openapi/qms.json from it;
 * activities/qms parses every response with the same schemas.
 */
export const qmsRegistry = z.registry<{ id?: string }>();
function named<T extends z.ZodType>(id: string, schema: T): T {
  qmsRegistry.add(schema, { id });
  return schema;
}
named('Error', apiErrorSchema);
named('Quantity', quantitySchema);
named('Health', healthSchema);
named('Timestamp', timestampSchema);

export const QMS_ROUTES = {
  inspectionPlans: '/v1/inspection-plans',
  inspectionPlan: '/v1/inspection-plans/:material',
  activations: '/v1/inspection-plan-activations',
  activation: '/v1/inspection-plan-activations/:activationId',
  deactivateActivation: '/v1/inspection-plan-activations/:activationId/deactivate',
  deactivateForOrder: '/v1/inspection-plan-activations/deactivate-for-order',
  inspectionResults: '/v1/inspection-results',
  inspectionResult: '/v1/inspection-results/:resultId',
  nonconformances: '/v1/nonconformances',
  nonconformance: '/v1/nonconformances/:ncrId',
  ncrDispositions: '/v1/nonconformances/:ncrId/dispositions',
  ncrClose: '/v1/nonconformances/:ncrId/close',
  capas: '/v1/capas',
  capa: '/v1/capas/:capaId',
  capaLinks: '/v1/capas/:capaId/links',
  signedRecords: '/v1/signed-records',
  signedRecord: '/v1/signed-records/:recordId',
} as const;

const signedDecimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a decimal string');
const materialSchema = identifierSchema.describe('Canonical material code (Odoo default_code = SAP Material)');

// ── Inspection plans (TestSpecification per characteristic) ───────────────────────────────────────────
export const testSpecificationSchema = named(
  'TestSpecification',
  z.object({
    characteristic: z.string().describe('Characteristic code, e.g. PRESSURE'),
    description: z.string(),
    required: z.boolean().describe('A lot cannot be released before a passing result for it'),
    kind: z.enum(['quantitative', 'qualitative']),
    lowerLimit: signedDecimal.nullable(),
    upperLimit: signedDecimal.nullable(),
    unit: z.string().nullable(),
  }),
);
export type TestSpecification = z.infer<typeof testSpecificationSchema>;

export const inspectionPlanSchema = named(
  'InspectionPlan',
  z.object({
    planId: z.string(),
    material: z.string(),
    version: z.number().int().positive(),
    characteristics: z.array(testSpecificationSchema),
  }),
);
export type InspectionPlan = z.infer<typeof inspectionPlanSchema>;
export const inspectionPlanListSchema = z.object({ items: z.array(inspectionPlanSchema) });

// ── Plan activations per production order ──────────────────────────────────────────────────────────────
export const activationRequestSchema = named(
  'PlanActivationRequest',
  z.object({ site: siteSchema, orderRef: identifierSchema, material: materialSchema, quantity: quantitySchema }),
);
export const planActivationSchema = named(
  'PlanActivation',
  z.object({
    activationId: z.string(),
    planId: z.string(),
    planVersion: z.number().int(),
    site: z.string(),
    orderRef: z.string(),
    material: z.string(),
    quantity: quantitySchema,
    status: z.enum(['active', 'inactive']),
    characteristics: z.array(testSpecificationSchema),
    activatedAt: timestampSchema,
    deactivatedAt: timestampSchema.nullable(),
    deactivationReason: z.string().nullable(),
  }),
);
export type PlanActivation = z.infer<typeof planActivationSchema>;
export const planActivationListSchema = z.object({ items: z.array(planActivationSchema) });
export const activationQuerySchema = z.object({
  site: siteSchema.optional(),
  orderRef: identifierSchema.optional(),
  status: z.enum(['active', 'inactive']).optional(),
});
export const deactivateRequestSchema = z.object({ reason: reasonSchema });
export const deactivateForOrderRequestSchema = z.object({
  site: siteSchema,
  orderRef: identifierSchema,
  reason: reasonSchema,
});
export const deactivationSchema = named(
  'Deactivation',
  z.object({
    outcome: z.enum(['deactivated', 'already_inactive', 'nothing_active']),
    activations: z.array(planActivationSchema),
  }),
);
export type Deactivation = z.infer<typeof deactivationSchema>;

// ── Inspection results (TestResult) ─────────────────────────────────────────────────────────────────────
export const testResultRequestSchema = named(
  'TestResultRequest',
  z.object({
    lotId: identifierSchema,
    material: materialSchema,
    characteristic: z.string().min(1),
    result: z.enum(['pass', 'fail']),
    value: signedDecimal.optional(),
    unit: z.string().min(1).optional(),
    inspector: userIdSchema,
    effectiveAt: timestampSchema.describe('When the test was done (may be well before it reached the QMS)'),
    site: siteSchema.optional(),
    orderRef: identifierSchema.optional(),
    comment: z.string().max(2000).optional(),
  }),
);
export const testResultSchema = named(
  'TestResult',
  z.object({
    resultId: z.string(),
    lotId: z.string(),
    material: z.string(),
    planId: z.string(),
    characteristic: z.string(),
    required: z.boolean(),
    result: z.enum(['pass', 'fail']),
    value: signedDecimal.nullable(),
    unit: z.string().nullable(),
    withinLimits: z.boolean().nullable().describe('null for qualitative characteristics or results without a value'),
    inspector: z.string(),
    effectiveAt: timestampSchema,
    recordedAt: timestampSchema,
    site: z.string().nullable(),
    orderRef: z.string().nullable(),
    comment: z.string().nullable(),
  }),
);
export type TestResult = z.infer<typeof testResultSchema>;
export const testResultListSchema = z.object({ items: z.array(testResultSchema) });
export const testResultQuerySchema = z.object({
  lotId: identifierSchema.optional(),
  material: materialSchema.optional(),
  characteristic: z.string().optional(),
});

// ── Nonconformance records (NCR) ────────────────────────────────────────────────────────────────────────
export const ncrStatusSchema = z.enum(['open', 'contained', 'dispositioned', 'closed']);
export type NcrStatus = z.infer<typeof ncrStatusSchema>;
export const severitySchema = z.enum(['minor', 'major', 'critical']);
export const dispositionDecisionSchema = z.enum(['use_as_is', 'rework', 'scrap', 'return_to_vendor', 'regrade']);
export const externalRefsSchema = named(
  'ExternalRefs',
  z.object({
    odooQualityAlert: z.string().min(1).optional().describe('Odoo quality.alert name or id'),
    sapQualityNotification: z.string().min(1).optional().describe('SAP quality notification number'),
  }),
);
export const containmentActionSchema = named(
  'ContainmentAction',
  z.object({
    actionId: identifierSchema,
    description: z.string().min(1).max(1000),
    lotId: identifierSchema.optional(),
    system: z.enum(['odoo', 'sap', 'mes', 'qms', 'plantflow']).optional(),
    performedAt: timestampSchema,
  }),
);
export const rootCauseSchema = named(
  'RootCause',
  z.object({
    category: z.enum([
      'material',
      'method',
      'machine',
      'man',
      'measurement',
      'environment',
      'supplier',
      'design',
      'other',
    ]),
    description: z.string().min(1).max(4000),
    recordedBy: z.string(),
    recordedAt: timestampSchema,
  }),
);
export const dispositionLineRequestSchema = named(
  'DispositionLineRequest',
  z.object({
    lineId: identifierSchema,
    decision: dispositionDecisionSchema,
    quantity: quantitySchema,
    lotId: identifierSchema.optional(),
    decidedBy: userIdSchema,
    signedRecordId: identifierSchema.optional().describe('The signed record that authorises this line'),
    note: z.string().max(2000).optional(),
  }),
);
export const dispositionLineSchema = named(
  'DispositionLine',
  z.object({
    lineId: z.string(),
    decision: dispositionDecisionSchema,
    quantity: quantitySchema,
    lotId: z.string().nullable(),
    decidedBy: z.string(),
    signedRecordId: z.string().nullable(),
    note: z.string().nullable(),
    recordedAt: timestampSchema,
  }),
);
export const ncrOpenRequestSchema = named(
  'NonconformanceRequest',
  z.object({
    ncrId: identifierSchema,
    source: z.enum(['inspection', 'mes_deviation', 'supplier', 'person']),
    severity: severitySchema,
    material: materialSchema,
    lotIds: z.array(identifierSchema).min(1),
    quantity: quantitySchema,
    description: z.string().min(1).max(4000),
    raisedBy: userIdSchema,
    site: siteSchema.optional(),
    orderRef: identifierSchema.optional(),
    refs: externalRefsSchema.optional(),
    effectiveAt: timestampSchema.optional(),
  }),
);
export const statusChangeSchema = z.object({
  from: ncrStatusSchema.nullable(),
  to: ncrStatusSchema,
  at: timestampSchema,
  by: z.string(),
  note: z.string().nullable(),
});
export const nonconformanceSchema = named(
  'Nonconformance',
  z.object({
    ncrId: z.string(),
    source: z.enum(['inspection', 'mes_deviation', 'supplier', 'person']),
    severity: severitySchema,
    status: ncrStatusSchema,
    material: z.string(),
    lotIds: z.array(z.string()),
    quantity: quantitySchema,
    description: z.string(),
    raisedBy: z.string(),
    site: z.string().nullable(),
    orderRef: z.string().nullable(),
    refs: externalRefsSchema,
    containmentActions: z.array(containmentActionSchema),
    dispositions: z.array(dispositionLineSchema),
    dispositionedQuantity: quantitySchema,
    rootCause: rootCauseSchema.nullable(),
    capaIds: z.array(z.string()),
    openedAt: timestampSchema,
    recordedAt: timestampSchema,
    closedAt: timestampSchema.nullable(),
    history: z.array(statusChangeSchema).describe('Append-only status trail'),
  }),
);
export type Nonconformance = z.infer<typeof nonconformanceSchema>;
export const ncrUpdateRequestSchema = named(
  'NonconformanceUpdate',
  z.object({
    status: z.enum(['contained', 'dispositioned']).optional().describe('Forward only; closing has its own route'),
    severity: severitySchema.optional(),
    refs: externalRefsSchema.optional().describe('Merged into the existing references'),
    containmentActions: z
      .array(containmentActionSchema)
      .optional()
      .describe('Appended; an actionId already held is kept'),
    rootCause: rootCauseSchema.pick({ category: true, description: true }).optional(),
    note: z.string().max(2000).optional(),
    updatedBy: userIdSchema,
  }),
);
export const ncrCloseRequestSchema = z.object({
  closedBy: userIdSchema,
  note: z.string().max(2000).optional(),
  effectiveAt: timestampSchema.optional(),
});
export const ncrQuerySchema = z.object({
  material: materialSchema.optional(),
  lotId: identifierSchema.optional(),
  status: ncrStatusSchema.optional(),
  severity: severitySchema.optional(),
  openedFrom: timestampSchema.optional().describe('Inclusive lower bound on openedAt'),
  openedTo: timestampSchema.optional().describe('Exclusive upper bound on openedAt'),
});
export const ncrListSchema = named(
  'NonconformanceList',
  z.object({ count: z.number().int().nonnegative(), items: z.array(nonconformanceSchema) }),
);

// ── CAPA ───────────────────────────────────────────────────────────────────────────────────────────────
export const capaRequestSchema = named(
  'CapaRequest',
  z.object({
    capaId: identifierSchema,
    title: z.string().min(1).max(200),
    material: materialSchema,
    ncrIds: z.array(identifierSchema).min(1),
    trigger: z.enum(['severity', 'recurrence', 'manual']),
    owner: userIdSchema,
    description: z.string().max(4000).optional(),
    dueAt: timestampSchema.optional(),
  }),
);
export const capaSchema = named(
  'Capa',
  z.object({
    capaId: z.string(),
    title: z.string(),
    material: z.string(),
    ncrIds: z.array(z.string()),
    trigger: z.enum(['severity', 'recurrence', 'manual']),
    owner: z.string(),
    description: z.string().nullable(),
    dueAt: timestampSchema.nullable(),
    status: z.enum(['open', 'in_progress', 'effectiveness_check', 'closed']),
    openedAt: timestampSchema,
  }),
);
export type Capa = z.infer<typeof capaSchema>;
export const capaLinkRequestSchema = z.object({ ncrIds: z.array(identifierSchema).min(1) });
export const capaQuerySchema = z.object({ material: materialSchema.optional(), ncrId: identifierSchema.optional() });
export const capaListSchema = z.object({ items: z.array(capaSchema) });

// ── Signed disposition records (Part 11 §11.50/§11.70), append-only ─────────────────────────────────────
export const lotDispositionSchema = z.enum(['Planned', 'In-Process', 'Restricted', 'UnRestricted', 'Closed']);
export const LOT_DECISIONS = ['release', 'reject', 'hold'] as const;
export const signatureSchema = named(
  'Signature',
  z.object({
    userId: userIdSchema,
    printedName: z.string().min(1).max(200),
    meaning: z.string().min(1).max(100).describe('From the controlled list, e.g. "Approved for release"'),
    reason: reasonSchema,
    signedAt: timestampSchema,
    recordHash: z.string().min(16).max(200).describe('Hash of the record content this signature is bound to'),
  }),
);
export const signedRecordRequestSchema = named(
  'SignedRecordRequest',
  z.object({
    recordId: identifierSchema,
    recordType: z.enum(['lot', 'ncr']),
    subject: identifierSchema.describe('What was decided on, e.g. lot:FG-100:L-0001 or ncr:NCR-0001'),
    decision: z.enum([...LOT_DECISIONS, ...dispositionDecisionSchema.options]),
    material: materialSchema.optional(),
    lotId: identifierSchema.optional(),
    ncrId: identifierSchema.optional(),
    quantity: quantitySchema.optional(),
    fromDisposition: lotDispositionSchema.optional(),
    toDisposition: lotDispositionSchema.optional(),
    justification: z.string().max(4000).optional(),
    recordHash: z.string().min(16).max(200),
    signatures: z.array(signatureSchema).min(1),
    effectiveAt: timestampSchema,
  }),
);
export const signedRecordSchema = named(
  'SignedRecord',
  signedRecordRequestSchema.extend({
    material: z.string().nullable(),
    lotId: z.string().nullable(),
    ncrId: z.string().nullable(),
    quantity: quantitySchema.nullable(),
    fromDisposition: lotDispositionSchema.nullable(),
    toDisposition: lotDispositionSchema.nullable(),
    justification: z.string().nullable(),
    sequence: z.number().int().positive().describe("Position in the subject's record chain"),
    previousRecordHash: z.string().nullable().describe("recordHash of the subject's previous record (hash chain)"),
    recordedAt: timestampSchema,
  }),
);
export type SignedRecord = z.infer<typeof signedRecordSchema>;
export const signedRecordQuerySchema = z.object({ subject: identifierSchema.optional() });
export const signedRecordListSchema = z.object({ items: z.array(signedRecordSchema) });
