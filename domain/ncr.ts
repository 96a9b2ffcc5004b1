import { z } from 'zod';
import { durationSchema } from './duration';
import type { Quantity } from './quantity';

/**
 * The nonconformance (NCR) process, pure parts (docs/architecture.md §2.3): severities, decisions, the status model
 * and its mapping to the QMS, and the policy that sets SLA timers and CAPA triggers. No I/O, no clock:
 * callers pass the time.
 */
export const NCR_SEVERITIES = ['minor', 'major', 'critical'] as const;
export type NcrSeverity = (typeof NCR_SEVERITIES)[number];

export const NCR_SOURCES = ['inspection', 'mes_deviation', 'supplier', 'person'] as const;
export type NcrSource = (typeof NCR_SOURCES)[number];

/** Material Review Board decisions, by quantity (a lot may be split across them). */
export const NCR_DECISIONS = ['use_as_is', 'rework', 'scrap', 'return_to_vendor', 'regrade'] as const;
export type NcrDecision = (typeof NCR_DECISIONS)[number];

/**
 * The NCR's life in plantflow. `executed`: every quantity decided, signed and carried out in every
 * system, waiting only for the root cause and the closing signature.
 */
export const NCR_STATUSES = ['open', 'contained', 'dispositioned', 'executed', 'closed', 'aborted'] as const;
export type NcrStatus = (typeof NCR_STATUSES)[number];

/** The QMS record's status for each plantflow status (the QMS has no `executed`: it stays dispositioned). */
export const NCR_STATUS_IN_QMS: Record<NcrStatus, 'open' | 'contained' | 'dispositioned' | 'closed'> = {
  open: 'open',
  contained: 'contained',
  dispositioned: 'dispositioned',
  executed: 'dispositioned',
  closed: 'closed',
  aborted: 'open',
};

/** A lot named by the NCR at opening. `wip`: units set aside at a work center that are no ERP lot yet. */
export interface NcrLot {
  material: string;
  lotId: string;
  /** The nonconforming quantity of this lot. */
  quantity: Quantity;
  wip?: boolean;
  /** SAP storage location of its stock, when not the plant's finished-goods one (a component lot). */
  storageLocation?: string;
}

export interface RootCause {
  category: 'material' | 'method' | 'machine' | 'man' | 'measurement' | 'environment' | 'supplier' | 'design' | 'other';
  description: string;
  recordedBy: string;
  recordedAt: string;
}
export const ROOT_CAUSE_CATEGORIES: RootCause['category'][] = [
  'material',
  'method',
  'machine',
  'man',
  'measurement',
  'environment',
  'supplier',
  'design',
  'other',
];

/** Durations are Temporal duration strings ('4 hours', '5 days'). */
export interface NcrPolicy {
  /** Escalate when containment has not finished this long after opening. */
  containWithin: string;
  /** Escalate when the quantity is not fully dispositioned (signed) by then. */
  dispositionWithin: string;
  /** Escalate when the NCR is still open by then. */
  closeWithin: string;
  /** While overdue, remind again this often. */
  remindEvery: string;
  capa: {
    /** These severities open a CAPA on their own. */
    severities: NcrSeverity[];
    /** This many NCRs of one material (this one included) within the window open a CAPA. */
    recurrenceCount: number;
    recurrenceWindow: string;
    owner: string;
    dueWithin: string;
  };
  /** Severities that also hold the producing order (stop new dispatch) until the NCR closes. */
  holdOrderOn: NcrSeverity[];
  /** Forward genealogy is followed this deep (a safety net against cycles in bad data). */
  maxGenealogyDepth: number;
  /** Planned duration of a rework order (its SAP planned end date). */
  reworkLeadDays: number;
}

export const DEFAULT_NCR_POLICY: NcrPolicy = {
  containWithin: '4 hours',
  dispositionWithin: '5 days',
  closeWithin: '30 days',
  remindEvery: '1 day',
  capa: {
    severities: ['major', 'critical'],
    recurrenceCount: 3,
    recurrenceWindow: '90 days',
    owner: 'quality',
    dueWithin: '30 days',
  },
  holdOrderOn: ['critical'],
  maxGenealogyDepth: 25,
  reworkLeadDays: 2,
};

/** A plant's overrides of DEFAULT_NCR_POLICY (PLANTFLOW_NCR_POLICY): any field, validated. */
export const ncrPolicyOverridesSchema = z
  .object({
    containWithin: durationSchema,
    dispositionWithin: durationSchema,
    closeWithin: durationSchema,
    remindEvery: durationSchema,
    capa: z
      .object({
        severities: z.array(z.enum(NCR_SEVERITIES)),
        recurrenceCount: z.number().int().min(2),
        recurrenceWindow: durationSchema,
        owner: z.string().min(1).max(80),
        dueWithin: durationSchema,
      })
      .strict()
      .partial(),
    holdOrderOn: z.array(z.enum(NCR_SEVERITIES)),
    maxGenealogyDepth: z.number().int().min(1).max(100),
    reworkLeadDays: z.number().int().min(0).max(365),
  })
  .strict()
  .partial();
export type NcrPolicyOverrides = z.infer<typeof ncrPolicyOverridesSchema>;

export function resolvePolicy(partial?: NcrPolicyOverrides): NcrPolicy {
  return { ...DEFAULT_NCR_POLICY, ...partial, capa: { ...DEFAULT_NCR_POLICY.capa, ...partial?.capa } };
}

export type CapaTrigger = 'severity' | 'recurrence';

/**
 * Whether this NCR opens (or joins) a CAPA: its severity alone, or the material's recurrence. `ncrIds`
 * are the material's NCRs inside the window, oldest first; the recurrence CAPA is named after the
 * oldest, so every later NCR of the same run of recurrences joins the same CAPA.
 */
export function capaDecision(
  ncrId: string,
  severity: NcrSeverity,
  policy: NcrPolicy,
  recurrence?: { ncrIds: string[] },
): { trigger: CapaTrigger; capaId: string; ncrIds: string[] } | undefined {
  if (policy.capa.severities.includes(severity))
    return { trigger: 'severity', capaId: `CAPA-${ncrId}`, ncrIds: [ncrId] };
  if (!recurrence) return undefined;
  const ids = recurrence.ncrIds.includes(ncrId) ? recurrence.ncrIds : [...recurrence.ncrIds, ncrId];
  if (ids.length < policy.capa.recurrenceCount) return undefined;
  return { trigger: 'recurrence', capaId: `CAPA-R-${ids[0]}`, ncrIds: ids };
}

/** SAP defect code (catalog group PF-DEF) per NCR source: four characters, as SAP allows. */
export const DEFECT_CODE_OF_SOURCE: Record<NcrSource, string> = {
  inspection: 'INSP',
  mes_deviation: 'PROC',
  supplier: 'SUPP',
  person: 'OTHR',
};

/** The hold an NCR places on lots and orders: one id per NCR, so a second containment run is a no-op. */
export function ncrHoldId(ncrId: string): string {
  return `ncr:${ncrId}`;
}
