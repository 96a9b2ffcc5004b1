import { z } from 'zod';
import { crossFieldCheck } from './validation';
import { NCR_DECISIONS, NCR_SEVERITIES, NCR_SOURCES, ROOT_CAUSE_CATEGORIES } from './ncr';
import { positiveQuantitySchema, qty } from './quantity';

/**
 * Input schemas of the NCR process, shared by the client library, the HTTP API and the CLI, so bad input
 * is refused before anything starts (scenario S12, docs/scenarios.md).
 */
const ref = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, 'letters, digits and . _ / - only');
/** NCR ids travel in URLs and workflow ids: no slash, no colon. */
export const ncrIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,59}$/, 'an NCR id is 1–60 letters, digits, . _ -');
const person = z.string().trim().min(1).max(64);
const text = (max: number) => z.string().trim().min(1).max(max);

export const ncrOpenSchema = z
  .object({
    ncrId: ncrIdSchema.optional(),
    source: z.enum(NCR_SOURCES).default('person'),
    severity: z.enum(NCR_SEVERITIES),
    site: ref,
    material: ref,
    lots: z
      .array(
        z.object({
          material: ref.optional(),
          lotId: ref,
          quantity: positiveQuantitySchema,
          wip: z.boolean().optional(),
          storageLocation: z
            .string()
            .regex(/^[A-Z0-9]{4}$/)
            .optional(),
        }),
      )
      .min(1, 'name at least one nonconforming lot'),
    /** Defaults to the sum of the lots' quantities. */
    quantity: positiveQuantitySchema.optional(),
    description: text(4000),
    raisedBy: person,
    orderRef: ref.optional(),
    erp: z.object({ odooMo: z.string().min(1).max(64), sapOrder: z.string().regex(/^\d{1,12}$/) }).optional(),
    operation: z
      .string()
      .regex(/^\d{4}$/)
      .optional(),
    inspection: z
      .object({
        characteristic: text(40),
        value: z.string().max(40).optional(),
        unit: z.string().max(16).optional(),
        result: z.literal('fail'),
      })
      .optional(),
    openedAt: z.iso.datetime({ offset: true }).optional(),
  })
  .superRefine(
    crossFieldCheck((n, ctx) => {
      const unit = n.quantity?.uom ?? n.lots[0]!.quantity.uom;
      n.lots.forEach((l, i) => {
        if (l.quantity.uom !== unit)
          ctx.addIssue({
            code: 'custom',
            path: ['lots', i, 'quantity', 'uom'],
            message: `every quantity must be in ${unit}`,
          });
      });
      const keys = n.lots.map((l) => `${l.material ?? n.material}:${l.lotId}`);
      if (new Set(keys).size !== keys.length)
        ctx.addIssue({ code: 'custom', path: ['lots'], message: 'a lot is named twice' });
      if (n.quantity && n.lots.every((l) => l.quantity.uom === unit)) {
        const sum = qty.sum(
          n.lots.map((l) => l.quantity),
          unit,
        );
        if (qty.gt(n.quantity, sum))
          ctx.addIssue({ code: 'custom', path: ['quantity'], message: `exceeds the lots' ${qty.format(sum)}` });
      }
    }),
  );
export type NcrOpenInput = z.input<typeof ncrOpenSchema>;

export const dispositionBodySchema = z.object({
  lineId: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/)
    .optional(),
  lotId: ref,
  material: ref.optional(),
  decision: z.enum(NCR_DECISIONS),
  quantity: positiveQuantitySchema,
  reason: text(1000),
  regradeTo: ref.optional(),
  returnTo: text(120).optional(),
  instructions: text(2000).optional(),
});

export const rootCauseBodySchema = z.object({
  category: z.enum(ROOT_CAUSE_CATEGORIES as [string, ...string[]]),
  description: text(4000),
  by: person,
});

export const confirmExecutionBodySchema = z.object({ by: person, reference: text(80), note: text(2000).optional() });
export const personReasonSchema = z.object({ by: person, reason: text(1000) });
export const signedReasonSchema = z.object({ reason: text(1000) });
