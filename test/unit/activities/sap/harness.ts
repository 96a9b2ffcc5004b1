import assert from 'node:assert/strict';
import { ApplicationFailure } from '@temporalio/common';
import type { FailureType } from '../../../../domain/failures';
import { createSapActivities, type SapActivities } from '../../../../activities/sap/activities';
import { DEMO_SAP_PLANTS } from '../../../../contracts/sap-customizing';
import { createSapSimulator, type SapSimulator } from '../../../../simulators/sap';
import { SimulatorAdmin } from '../../../../simulators/shared/admin-client';
import { createOrder, releaseOrder } from '../../../../simulators/sap/state/orders';

/** One SAP simulator per test file, reset before each test; a fresh adapter (new session) per test. */
export interface SapHarness {
  sim: SapSimulator;
  url: string;
  admin: SimulatorAdmin;
  sap: SapActivities;
}

export function useSapSimulator(): SapHarness {
  const h = {} as SapHarness;
  before(async () => {
    h.sim = createSapSimulator();
    h.url = await h.sim.server.start(0);
    h.admin = new SimulatorAdmin(h.url);
  });
  beforeEach(async () => {
    await h.admin.reset();
    h.sap = createSapActivities({
      url: h.url,
      user: 'plantflow',
      password: 'plantflow',
      client: '100',
      timeoutMs: 3_000,
      customizing: { plants: DEMO_SAP_PLANTS },
    });
  });
  after(() => h.sim.stop());
  return h;
}

/** Seeds an order straight into the simulator's state (setup, not under test). */
export function seedOrder(
  h: SapHarness,
  opts: { material?: string; quantity?: string; release?: boolean } = {},
): string {
  const order = createOrder(
    h.sim.model,
    { Material: opts.material ?? 'FG-100', ProductionPlant: '1710', TotalQuantity: opts.quantity ?? '10' },
    Date.now(),
  );
  if (opts.release !== false) releaseOrder(h.sim.model, order, Date.now());
  return order.ManufacturingOrder;
}

export const ea = (value: string) => ({ value, uom: 'EA' });
export const kg = (value: string) => ({ value, uom: 'KGM' });

export function stockOf(h: SapHarness, material: string, batch: string) {
  return h.sim.model.state.stock.find((s) => s.Material === material && s.Batch === batch);
}

/** Applied writes of one business operation, as the journal holds them. */
export async function applied(h: SapHarness, operation: string) {
  return h.admin.writes({ operation, applied: true });
}

/** Awaits a promise that must fail with a typed ApplicationFailure. */
export async function failureOf(promise: Promise<unknown>, type: FailureType): Promise<ApplicationFailure> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ApplicationFailure, `expected an ApplicationFailure, got ${String(err)}`);
    assert.equal(err.type, type, `failure type (message: ${err.message})`);
    return err;
  }
  assert.fail(`expected a ${type} failure, but the call succeeded`);
}
