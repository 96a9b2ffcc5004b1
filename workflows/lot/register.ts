import type { LotPlan } from '../../domain/lot-inspection';
import { withSummary } from '../shared/activities';
import { businessRefusal as refusal } from '../shared/failures';
import { takePendingResults } from './inspections';
import type { LotRun } from './run';

/**
 * Step 1 of docs/architecture.md §2.2: the plan from the QMS, the lot in Odoo (find-or-create) and the batch in SAP,
 * restricted. Never available before release. Returns false when an operator aborted a step.
 */
export async function register(run: LotRun): Promise<boolean> {
  const { material, lotId, site } = run.input;
  const { qms, odoo, sap } = run.acts;

  const planSummary = `Read the inspection plan of ${material} from the QMS`;
  const odooSummary = `Find or create lot ${lotId} of ${material} in Odoo`;
  const sapSummary = `Create batch ${lotId} of ${material} in SAP, restricted`;
  const [plan, odooLot, sapBatch] = await Promise.all([
    run.state.plan !== undefined
      ? undefined
      : run.parking.run('register/qms-plan', planSummary, () =>
          withSummary(qms.qmsGetInspectionPlan, planSummary, { material }),
        ),
    run.state.registration.odooLot
      ? undefined
      : run.parking.run('register/odoo-lot', odooSummary, () =>
          withSummary(odoo.odooFindOrCreateLot, odooSummary, { material, lot: lotId }),
        ),
    run.state.registration.sapBatch
      ? undefined
      : run.parking.run('register/sap-batch', sapSummary, () =>
          withSummary(sap.sapEnsureBatch, sapSummary, { material, batch: lotId, plant: site, restricted: true }),
        ),
  ]);
  for (const [step, outcome] of [
    ['register/qms-plan', plan],
    ['register/odoo-lot', odooLot],
    ['register/sap-batch', sapBatch],
  ] as const) {
    if (outcome?.outcome === 'aborted') {
      run.abort(`operator aborted at ${step}: ${outcome.reason}`);
      return false;
    }
    if (outcome?.outcome === 'skipped') run.note('StepSkipped', `${step} skipped by an operator`, 'person');
  }
  if (plan) {
    const found = plan.outcome === 'done' ? plan.value : null;
    run.state.plan = found ? toLotPlan(found) : null;
    run.note(
      'InspectionPlan',
      run.state.plan
        ? `plan ${run.state.plan.planId} v${run.state.plan.version}: required ${
            run.state.plan.characteristics
              .filter((c) => c.required)
              .map((c) => c.characteristic)
              .join(', ') || 'none'
          }`
        : `no inspection plan for ${material}: nothing is required before release`,
    );
  }
  run.state.registration.odooLot = true;
  run.state.registration.sapBatch = true;
  takePendingResults(run);
  run.setStatus(run.state.holds.length > 0 ? 'on_hold' : 'restricted', 'registered in Odoo and SAP');
  run.note(
    'LotRegistered',
    `registered restricted in Odoo and SAP${run.state.registration.stockReceived ? '' : '; quarantine follows the goods receipt'}`,
  );
  return true;
}

function toLotPlan(plan: { planId: string; version: number; characteristics: LotPlan['characteristics'] }): LotPlan {
  return {
    planId: plan.planId,
    version: plan.version,
    characteristics: plan.characteristics.map((c) => ({
      characteristic: c.characteristic,
      description: c.description,
      required: c.required,
      lowerLimit: c.lowerLimit,
      upperLimit: c.upperLimit,
      unit: c.unit,
    })),
  };
}

/**
 * Puts the lot's stock into the Quarantine location once Odoo holds it. A received lot whose stock Odoo
 * does not show yet goes back to waiting for the receipt; a produced one parks (the receipt said it is there).
 */
export async function quarantine(run: LotRun): Promise<'done' | 'waiting' | 'aborted'> {
  const { material, lotId } = run.input;
  const summary = `Move lot ${lotId} of ${material} to Quarantine in Odoo`;
  const outcome = await run.parking.run('register/odoo-quarantine', summary, async () => {
    const result = await withSummary(run.acts.odoo.odooMoveLotToQuarantine, summary, { material, lot: lotId });
    if (result.status === 'no_stock' && !run.input.received)
      throw refusal('odoo', `Odoo shows no stock of lot ${lotId} after the goods receipt`);
    return result;
  });
  if (outcome.outcome === 'aborted') {
    run.abort(`operator aborted register/odoo-quarantine: ${outcome.reason}`);
    return 'aborted';
  }
  if (outcome.outcome === 'done' && outcome.value.status === 'no_stock') {
    run.state.registration.stockReceived = false;
    run.note('AwaitingStock', `Odoo shows no stock of received lot ${lotId} yet; quarantine follows the receipt`);
    return 'waiting';
  }
  run.state.registration.quarantine = outcome.outcome === 'done' ? 'done' : 'skipped';
  run.note(
    'LotQuarantined',
    outcome.outcome === 'done'
      ? `in Odoo ${outcome.value.location ?? 'Quarantine'} (${outcome.value.status})`
      : 'quarantine skipped by an operator',
  );
  return 'done';
}
