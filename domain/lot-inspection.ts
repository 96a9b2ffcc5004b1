import Decimal from 'decimal.js';
import { z } from 'zod';
import { businessRefSchemaPattern } from './ids';

/**
 * Inspection results of a lot (ISA-95 TestResult against the plan's TestSpecifications). The QMS owns the
 * plan and the records; the lot keeps what it needs to decide whether it may be released.
 */
const ref = z.string().min(1).max(64).regex(businessRefSchemaPattern, 'letters, digits and . _ / - only');

export const inspectionResultSchema = z.object({
  /** Source id of the result (the QMS or the lab system): the dedup key. */
  eventId: z.string().min(8).max(80),
  characteristic: z
    .string()
    .min(1)
    .max(40)
    .regex(/^[A-Za-z0-9_-]+$/, 'characteristic codes are letters, digits, - and _'),
  result: z.enum(['pass', 'fail']),
  value: z
    .string()
    .regex(/^-?\d+(\.\d+)?$/, 'must be a decimal number')
    .optional(),
  unit: z.string().min(1).max(20).optional(),
  inspector: z.string().min(1).max(64),
  effectiveAt: z.iso.datetime({ offset: true }),
  comment: z.string().max(2000).optional(),
  /** Severity of the nonconformance a failure opens (default major). */
  severity: z.enum(['minor', 'major', 'critical']).optional(),
});
export type InspectionResult = z.infer<typeof inspectionResultSchema>;

/** What `POST /inspections` and the client take: the result plus which lot it is for. */
export const lotInspectionSchema = inspectionResultSchema.extend({ material: ref, lotId: ref });
export type LotInspectionInput = z.input<typeof lotInspectionSchema>;

/** The part of the inspection plan the lot relies on. */
export interface PlanCharacteristic {
  characteristic: string;
  description: string;
  required: boolean;
  lowerLimit: string | null;
  upperLimit: string | null;
  unit: string | null;
}

export interface LotPlan {
  planId: string;
  version: number;
  characteristics: PlanCharacteristic[];
}

export interface RecordedInspection extends InspectionResult {
  receivedAt: string;
  /** The nonconformance this failure opened or joined. */
  ncrId?: string;
}

export type CharacteristicState = 'passed' | 'failed' | 'missing';

export interface InspectionSummaryLine {
  characteristic: string;
  required: boolean;
  state: CharacteristicState;
  value?: string;
  unit?: string;
  inspector?: string;
  effectiveAt?: string;
  eventId?: string;
}

/**
 * The latest result of a characteristic decides it (a passed retest supersedes a failure): by the instant of
 * effectiveAt, then of recordedAt when given, then arrival. By instant, not by text: offsets differ
 * (07:00+01:00 is before 06:30Z).
 */
export function latestResult<T extends { characteristic: string; effectiveAt: string; recordedAt?: string }>(
  results: readonly T[],
  characteristic: string,
): T | undefined {
  const at = (iso: string | undefined) => (iso ? Date.parse(iso) : 0);
  let best: T | undefined;
  for (const r of results) {
    if (r.characteristic !== characteristic) continue;
    if (!best || (at(r.effectiveAt) - at(best.effectiveAt) || at(r.recordedAt) - at(best.recordedAt)) >= 0) best = r;
  }
  return best;
}

/** One line per plan characteristic (and per result outside the plan), in plan order. */
export function summariseInspections(plan: LotPlan | null, results: RecordedInspection[]): InspectionSummaryLine[] {
  const codes = [...(plan?.characteristics.map((c) => c.characteristic) ?? [])];
  for (const r of results) if (!codes.includes(r.characteristic)) codes.push(r.characteristic);
  return codes.map((code) => {
    const spec = plan?.characteristics.find((c) => c.characteristic === code);
    const last = latestResult(results, code);
    const line: InspectionSummaryLine = {
      characteristic: code,
      required: spec?.required ?? false,
      state: last ? (last.result === 'pass' ? 'passed' : 'failed') : 'missing',
    };
    if (last)
      Object.assign(line, {
        value: last.value,
        unit: last.unit,
        inspector: last.inspector,
        effectiveAt: last.effectiveAt,
        eventId: last.eventId,
      });
    return line;
  });
}

/** Required characteristics without a passing latest result: what keeps a release from going through. */
export function requiredNotPassed(plan: LotPlan | null, results: RecordedInspection[]): string[] {
  return summariseInspections(plan, results)
    .filter((l) => l.required && l.state !== 'passed')
    .map((l) => `${l.characteristic} (${l.state})`);
}

/** Why a result cannot be taken, or undefined. A lot without a plan takes any characteristic. */
export function inspectionProblem(plan: LotPlan | null, result: InspectionResult): string | undefined {
  if (!plan) return undefined;
  const spec = plan.characteristics.find((c) => c.characteristic === result.characteristic);
  if (!spec)
    return `characteristic ${result.characteristic} is not in plan ${plan.planId} (${plan.characteristics.map((c) => c.characteristic).join(', ')})`;
  if (result.unit !== undefined && spec.unit !== null && result.unit !== spec.unit)
    return `${spec.characteristic} is measured in ${spec.unit}, not ${result.unit}`;
  if (result.result === 'pass' && result.value !== undefined) {
    const v = new Decimal(result.value);
    const below = spec.lowerLimit !== null && v.lt(spec.lowerLimit);
    const above = spec.upperLimit !== null && v.gt(spec.upperLimit);
    if (below || above)
      return `${spec.characteristic} ${result.value} is outside ${spec.lowerLimit ?? '-∞'}..${spec.upperLimit ?? '∞'}: it cannot pass`;
  }
  return undefined;
}
