import Decimal from 'decimal.js';
import type { z } from 'zod';
import type {
  activationRequestSchema,
  Deactivation,
  InspectionPlan,
  PlanActivation,
  TestResult,
  testResultRequestSchema,
} from '../../../contracts/qms';
import { businessRule, conflict, notFound } from '../../shared/rest-kit/errors';
import { nowIso, type QmsState } from '../state';

export function planFor(state: QmsState, material: string): InspectionPlan {
  const plan = state.plans[material];
  if (!plan)
    throw businessRule('no_inspection_plan', `no released inspection plan for material ${material}`, { material });
  return plan;
}

const activeFor = (state: QmsState, site: string, orderRef: string): PlanActivation[] =>
  Object.values(state.activations).filter((a) => a.site === site && a.orderRef === orderRef && a.status === 'active');

/** One active plan activation per order: a second one would double the inspection lot. */
export function activatePlan(state: QmsState, req: z.infer<typeof activationRequestSchema>): PlanActivation {
  const plan = planFor(state, req.material);
  const existing = activeFor(state, req.site, req.orderRef)[0];
  if (existing) {
    throw conflict(
      'activation_exists',
      `order ${req.orderRef} already has active plan activation ${existing.activationId}`,
      {
        activationId: existing.activationId,
        material: existing.material,
      },
    );
  }
  if (new Decimal(req.quantity.value).lte(0)) {
    throw businessRule('invalid_quantity', 'order quantity must be greater than zero', { quantity: req.quantity });
  }
  state.counters.activation += 1;
  const activation: PlanActivation = {
    activationId: `IPA-${String(state.counters.activation).padStart(6, '0')}`,
    planId: plan.planId,
    planVersion: plan.version,
    site: req.site,
    orderRef: req.orderRef,
    material: req.material,
    quantity: req.quantity,
    status: 'active',
    characteristics: plan.characteristics.map((c) => ({ ...c })),
    activatedAt: nowIso(),
    deactivatedAt: null,
    deactivationReason: null,
  };
  state.activations[activation.activationId] = activation;
  return activation;
}

function deactivate(activation: PlanActivation, reason: string): void {
  activation.status = 'inactive';
  activation.deactivatedAt = nowIso();
  activation.deactivationReason = reason;
}

export function deactivateById(state: QmsState, activationId: string, reason: string): Deactivation {
  const activation = state.activations[activationId];
  if (!activation) throw notFound('activation_not_found', `no plan activation ${activationId}`, { activationId });
  if (activation.status === 'inactive') return { outcome: 'already_inactive', activations: [activation] };
  deactivate(activation, reason);
  return { outcome: 'deactivated', activations: [activation] };
}

/** The compensation: tolerant of an order that was never activated (it may run before the activation). */
export function deactivateForOrder(state: QmsState, site: string, orderRef: string, reason: string): Deactivation {
  const active = activeFor(state, site, orderRef);
  if (active.length === 0) return { outcome: 'nothing_active', activations: [] };
  for (const a of active) deactivate(a, reason);
  return { outcome: 'deactivated', activations: active };
}

function withinLimits(lower: string | null, upper: string | null, value: string): boolean {
  const v = new Decimal(value);
  return (lower === null || v.gte(lower)) && (upper === null || v.lte(upper));
}

/** A TestResult is checked against the plan: known characteristic, right unit, a pass inside the limits. */
export function recordResult(state: QmsState, req: z.infer<typeof testResultRequestSchema>): TestResult {
  const plan = planFor(state, req.material);
  const spec = plan.characteristics.find((c) => c.characteristic === req.characteristic);
  if (!spec) {
    throw businessRule('unknown_characteristic', `characteristic ${req.characteristic} is not in plan ${plan.planId}`, {
      planId: plan.planId,
      known: plan.characteristics.map((c) => c.characteristic),
    });
  }
  if (req.unit !== undefined && spec.unit !== null && req.unit !== spec.unit) {
    throw businessRule('unit_mismatch', `${spec.characteristic} is measured in ${spec.unit}, not ${req.unit}`, {
      expected: spec.unit,
      given: req.unit,
    });
  }
  let inside: boolean | null = null;
  if (spec.kind === 'quantitative' && req.value !== undefined) {
    inside = withinLimits(spec.lowerLimit, spec.upperLimit, req.value);
    if (req.result === 'pass' && !inside) {
      throw businessRule(
        'result_contradicts_limits',
        `${req.value} is outside ${spec.lowerLimit ?? '-∞'}..${spec.upperLimit ?? '∞'}; cannot pass`,
        {
          lowerLimit: spec.lowerLimit,
          upperLimit: spec.upperLimit,
          value: req.value,
        },
      );
    }
  }
  state.counters.result += 1;
  const result: TestResult = {
    resultId: `TR-${String(state.counters.result).padStart(6, '0')}`,
    lotId: req.lotId,
    material: req.material,
    planId: plan.planId,
    characteristic: spec.characteristic,
    required: spec.required,
    result: req.result,
    value: req.value ?? null,
    unit: req.unit ?? spec.unit,
    withinLimits: inside,
    inspector: req.inspector,
    effectiveAt: req.effectiveAt,
    recordedAt: nowIso(),
    site: req.site ?? null,
    orderRef: req.orderRef ?? null,
    comment: req.comment ?? null,
  };
  state.results.push(result);
  return result;
}
