import { DEMO_INSPECTION_PLANS } from '../shared/demo-plant';
import type {
  Capa,
  InspectionPlan,
  Nonconformance,
  PlanActivation,
  SignedRecord,
  TestResult,
} from '../../contracts/qms';

/** Everything the QMS holds. Plain JSON, so it is what GET /__sim/state shows and what a state file keeps. */
export interface QmsState {
  plans: Record<string, InspectionPlan>;
  activations: Record<string, PlanActivation>;
  results: TestResult[];
  nonconformances: Record<string, Nonconformance>;
  capas: Record<string, Capa>;
  /** Append-only, in arrival order. */
  signedRecords: SignedRecord[];
  counters: { activation: number; result: number };
}

/** Inspection plans come from the demo plant so the QMS describes the same plant as Odoo and SAP. */
export function seedQmsState(): QmsState {
  const plans: Record<string, InspectionPlan> = {};
  for (const [material, plan] of Object.entries(DEMO_INSPECTION_PLANS)) {
    plans[material] = {
      planId: plan.plan,
      material,
      version: 1,
      characteristics: plan.characteristics.map((c) => ({
        characteristic: c.code,
        description: c.description,
        required: c.required,
        kind: c.lower !== undefined || c.upper !== undefined ? 'quantitative' : 'qualitative',
        lowerLimit: c.lower ?? null,
        upperLimit: c.upper ?? null,
        unit: c.unit ?? null,
      })),
    };
  }
  return {
    plans,
    activations: {},
    results: [],
    nonconformances: {},
    capas: {},
    signedRecords: [],
    counters: { activation: 0, result: 0 },
  };
}

/** Holder whose state is swapped on reset; routes always read `holder.state`. */
export interface QmsStateHolder {
  state: QmsState;
}

export const nowIso = (): string => new Date().toISOString();
