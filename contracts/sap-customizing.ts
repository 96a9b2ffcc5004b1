import { z } from 'zod';

/**
 * The SAP customizing plantflow depends on, per plant: it differs per tenant, so it is configuration
 * (PLANTFLOW_SAP_PLANTS, read by runtime/config.ts) with SAP's standard values as defaults. The adapter
 * sends it; the simulator's plant 1710 is customized with the same standard values.
 */
const code = (max: number) =>
  z.string().regex(new RegExp(`^[A-Z0-9_]{1,${max}}$`), `1–${max} upper-case letters or digits`);

export const usageDecisionCodeSchema = z.object({ code: code(4), valuation: z.enum(['A', 'R']) }).strict();

/** The usage-decision code set of a plant (QS51/QS41: selected set → code group → codes, catalog 3). */
export const usageDecisionCodesSchema = z
  .object({
    /** Catalog type of usage decisions. */
    catalog: code(1).default('3'),
    /** InspLotUsageDecisionLevel: the decision is made for the whole lot. */
    level: code(1).default('L'),
    selectedSet: code(8).default('01'),
    codeGroup: code(8).default('01'),
    accept: usageDecisionCodeSchema.default({ code: 'A', valuation: 'A' }),
    reject: usageDecisionCodeSchema.default({ code: 'R', valuation: 'R' }),
  })
  .strict();
export type UsageDecisionCodes = z.infer<typeof usageDecisionCodesSchema>;

/**
 * UsageDecisionStockType of A_InspLotMatlDocItem per target: the UD posting-proposal fields. The values are
 * known from client code against S/4HANA, not from SAP's metadata (which types the field only), hence here.
 */
export const lotStockProposalSchema = z
  .object({
    unrestricted: code(10).default('VMENGE01'),
    scrap: code(10).default('VMENGE02'),
    blocked: code(10).default('VMENGE04'),
  })
  .strict();

export const sapPlantCustomizingSchema = z
  .object({
    usageDecision: usageDecisionCodesSchema.default(() => usageDecisionCodesSchema.parse({})),
    lotStockProposal: lotStockProposalSchema.default(() => lotStockProposalSchema.parse({})),
    /** ManufacturingOrderType of the planner's production orders (SAP's standard production order type). */
    productionOrderType: code(4).default('YN01'),
    /** ManufacturingOrderType of rework orders (SAP's standard production order type YN01). */
    reworkOrderType: code(4).default('YN01'),
    /** Cost center of scrap postings (551/553/555); unset when the plant defaults one (OKB9). */
    scrapCostCenter: code(10).optional(),
    /** NotificationType of nonconformance notifications (Q3: internal problem report). */
    notificationType: code(2).default('Q3'),
  })
  .strict();
export type SapPlantCustomizing = z.infer<typeof sapPlantCustomizingSchema>;

/** PLANTFLOW_SAP_PLANTS: `{"<plant>": {…}}`, each plant's values over the standard ones. */
export const sapPlantsSchema = z.record(
  z.string().regex(/^[A-Z0-9]{4}$/, 'plant codes are 4 characters'),
  sapPlantCustomizingSchema,
);
export type SapPlants = z.infer<typeof sapPlantsSchema>;

export interface SapCustomizing {
  plants: SapPlants;
  /**
   * Qualified name of a bound action that completes a quality notification, when the tenant offers one.
   * The released V4 service (CE_QUALITYNOTIFICATION_0001) is "Read, Create": unset, plantflow leaves the
   * completion to quality management in SAP and says so on the NCR.
   */
  notificationCompleteAction?: string;
}

/** The demo plant of the simulator: standard customizing plus the cost center its scrap is charged to. */
export const DEMO_SAP_PLANTS: SapPlants = { '1710': sapPlantCustomizingSchema.parse({ scrapCostCenter: '17101101' }) };

/** A plant's customizing: what is configured for it, else SAP's standard values. */
export function plantCustomizing(customizing: SapCustomizing | undefined, plant: string): SapPlantCustomizing {
  return customizing?.plants[plant] ?? sapPlantCustomizingSchema.parse({});
}
