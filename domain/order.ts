import { z } from 'zod';
import { crossFieldCheck } from './validation';
import { positiveQuantitySchema, type Quantity } from './quantity';

const ref = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, 'letters, digits and . _ / - only');
const operationCode = z.string().regex(/^\d{4}$/, 'operation numbers are four digits, e.g. 0010');
const percent = z
  .union([z.string(), z.number()])
  .transform((v) => String(v))
  .refine((v) => /^\d+(\.\d+)?$/.test(v) && Number(v) <= 100, { message: 'a percentage between 0 and 100' });

const odooMo = z.string().min(1).max(64);
const sapOrder = z.string().regex(/^\d{1,12}$/, 'SAP order numbers are digits');
/** Where the order lives in each ERP: the Odoo MO name and the SAP production order number. */
const erpReferencesSchema = z.object({ odooMo, sapOrder });

/**
 * The canonical production order (ISA-95 OperationsRequest with its SegmentRequirements). Both ERPs hold
 * the order already — planners create it in each — and `owner` says whose data rules when they disagree.
 */
export const productionOrderSchema = z
  .object({
    orderRef: ref,
    site: ref,
    owner: z.enum(['sap', 'odoo']).default('sap'),
    material: ref,
    quantity: positiveQuantitySchema,
    /** Production beyond quantity + overPercent is refused as impossible. */
    tolerance: z.object({ overPercent: percent.default('0') }).default({ overPercent: '0' }),
    operations: z
      .array(z.object({ operation: operationCode, workCenter: ref, description: z.string().max(120).default('') }))
      .min(1, 'an order needs at least one operation'),
    components: z
      .array(z.object({ material: ref, quantity: positiveQuantitySchema, operation: operationCode.optional() }))
      .default([]),
    erp: erpReferencesSchema,
    dueAt: z.iso.datetime({ offset: true }).optional(),
    /** Who released it (planner user id), recorded on every step it causes. */
    releasedBy: z.string().min(1).max(64).optional(),
  })
  .superRefine(
    crossFieldCheck((order, ctx) => {
      const ops = order.operations.map((o) => o.operation);
      if (new Set(ops).size !== ops.length)
        ctx.addIssue({ code: 'custom', path: ['operations'], message: 'operation numbers must be unique' });
      order.components.forEach((c, i) => {
        if (c.operation && !ops.includes(c.operation)) {
          ctx.addIssue({
            code: 'custom',
            path: ['components', i, 'operation'],
            message: `unknown operation ${c.operation}`,
          });
        }
      });
    }),
  );

export type ProductionOrder = z.infer<typeof productionOrderSchema>;
export type ProductionOrderInput = z.input<typeof productionOrderSchema>;

/** The order's life as plantflow sees it; holds and parking are orthogonal flags. */
export const ORDER_STATUSES = [
  'awaiting_order', // started by an early MES event; the release has not arrived yet
  'validating',
  'releasing',
  'released',
  'release_failed',
  'cancelled',
  'in_progress',
  'completing',
  'completed', // posted done in both ERPs; waiting for every produced lot's final disposition
  'closed',
  'aborted',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Explicit mapping to each ERP's own status (Odoo mrp.production.state, SAP system status). */
export const ORDER_STATUS_MAPPING: Record<OrderStatus, { odoo: string[]; sap: string[] }> = {
  awaiting_order: { odoo: ['draft'], sap: ['CRTD'] },
  validating: { odoo: ['draft'], sap: ['CRTD'] },
  releasing: { odoo: ['draft', 'confirmed'], sap: ['CRTD', 'REL'] },
  released: { odoo: ['confirmed'], sap: ['REL'] },
  release_failed: { odoo: ['cancel', 'draft'], sap: ['CRTD', 'TECO'] },
  cancelled: { odoo: ['cancel'], sap: ['TECO'] },
  in_progress: { odoo: ['confirmed', 'progress', 'to_close'], sap: ['REL', 'PCNF'] },
  completing: { odoo: ['progress', 'to_close', 'done'], sap: ['PCNF', 'CNF'] },
  completed: { odoo: ['done'], sap: ['CNF', 'DLV'] },
  closed: { odoo: ['done'], sap: ['TECO'] },
  aborted: { odoo: ['progress', 'to_close', 'done', 'cancel'], sap: ['REL', 'PCNF', 'CNF', 'TECO'] },
};

export type CompletionMode = 'complete' | 'backorder' | 'short_close';

export interface PlannedComponent {
  material: string;
  quantity: Quantity;
  operation?: string;
}

/**
 * A planner's correction of the ERP references of an order not yet released in the ERPs (a wrong SAP
 * order number, a renamed MO): at least one reference, who and why.
 */
export const orderAmendmentSchema = z
  .object({
    erp: z.object({ odooMo: odooMo.optional(), sapOrder: sapOrder.optional() }).strict(),
    by: z.string().trim().min(1).max(64),
    reason: z.string().trim().min(1).max(500),
  })
  .strict()
  .refine((a) => a.erp.odooMo !== undefined || a.erp.sapOrder !== undefined, {
    path: ['erp'],
    message: 'name the Odoo MO, the SAP order or both',
  });
export type OrderAmendment = z.infer<typeof orderAmendmentSchema>;
