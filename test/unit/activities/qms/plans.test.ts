import assert from 'node:assert/strict';
import { createQmsActivities, type QmsActivities } from '../../../../activities/qms/activities';
import { createQmsSimulator, DEFAULT_QMS_TOKEN, type QmsSimulator } from '../../../../simulators/qms';
import { SimulatorAdmin } from '../../../../simulators/shared/admin-client';
import { failureOf, quantity } from './support';

describe('QMS activities: inspection plans and results', () => {
  let sim: QmsSimulator;
  let admin: SimulatorAdmin;
  let qms: QmsActivities;
  const order = { site: '1710', orderRef: 'WH/MO/00012', material: 'FG-100', quantity: quantity('100') };
  before(async () => {
    sim = createQmsSimulator();
    const url = await sim.server.start(0);
    admin = new SimulatorAdmin(url);
    qms = createQmsActivities({ url, token: DEFAULT_QMS_TOKEN, timeoutMs: 2_000 });
  });
  beforeEach(() => admin.reset());
  after(async () => sim.server.stop());

  it('activates the plan for an order and returns the characteristics to inspect', async () => {
    const result = await qms.qmsActivateInspectionPlan({ idempotencyKey: 'order:1710:WH/MO/00012:qms', ...order });
    assert.equal(result.outcome, 'activated');
    assert.equal(result.activation.planId, 'IP-FG-100');
    assert.deepEqual(
      result.activation.characteristics.filter((c) => c.required).map((c) => c.characteristic),
      ['PRESSURE', 'VISUAL'],
    );
    const held = Object.values(sim.state().activations);
    assert.equal(held.length, 1);
    assert.equal(held[0]!.orderRef, 'WH/MO/00012');
  });

  it('activates exactly once when retried with the same key, and adopts the activation under a new key', async () => {
    const key = 'order:1710:WH/MO/00012:qms';
    const a = await qms.qmsActivateInspectionPlan({ idempotencyKey: key, ...order });
    const b = await qms.qmsActivateInspectionPlan({ idempotencyKey: key, ...order });
    const c = await qms.qmsActivateInspectionPlan({ idempotencyKey: `${key}:other`, ...order });
    assert.equal(b.activation.activationId, a.activation.activationId);
    assert.equal(c.outcome, 'already_active');
    assert.equal(c.activation.activationId, a.activation.activationId);
    assert.equal(Object.keys(sim.state().activations).length, 1);
    assert.equal((await admin.writes({ operation: 'InspectionPlanActivation.activate', applied: true })).length, 1);
  });

  it('refuses an activation for a material without a plan, or a second material on one order', async () => {
    const none = await failureOf(
      qms.qmsActivateInspectionPlan({ idempotencyKey: 'k1', ...order, material: 'RM-300' }),
      'BusinessRule',
    );
    assert.match(none.message, /no released inspection plan for material RM-300/);
    assert.equal(none.nonRetryable, true);
    await qms.qmsActivateInspectionPlan({ idempotencyKey: 'k2', ...order });
    await failureOf(
      qms.qmsActivateInspectionPlan({ idempotencyKey: 'k3', ...order, material: 'FG-200' }),
      'BusinessRule',
    );
    assert.equal(Object.keys(sim.state().activations).length, 1);
  });

  it('deactivation before the activation is a no-op; after it, deactivates exactly once', async () => {
    const early = await qms.qmsDeactivateInspectionPlan({
      site: '1710',
      orderRef: 'WH/MO/00012',
      reason: 'release saga compensation',
    });
    assert.deepEqual(early, { outcome: 'nothing_active', activationIds: [] });
    assert.equal((await admin.writes({ operation: 'InspectionPlanActivation.deactivate', applied: true })).length, 0);
    const { activation } = await qms.qmsActivateInspectionPlan({ idempotencyKey: 'k', ...order });
    const input = {
      idempotencyKey: 'order:1710:WH/MO/00012:qms:compensate',
      site: '1710',
      orderRef: 'WH/MO/00012',
      reason: 'MES rejected dispatch',
    };
    const first = await qms.qmsDeactivateInspectionPlan(input);
    const second = await qms.qmsDeactivateInspectionPlan(input);
    assert.deepEqual(first, { outcome: 'deactivated', activationIds: [activation.activationId] });
    assert.deepEqual(second, first);
    assert.equal(sim.state().activations[activation.activationId]!.status, 'inactive');
    assert.equal((await admin.writes({ operation: 'InspectionPlanActivation.deactivate', applied: true })).length, 1);
    const unkeyed = await qms.qmsDeactivateInspectionPlan({ ...input, idempotencyKey: undefined });
    assert.equal(unkeyed.outcome, 'nothing_active');
  });

  it('reads an inspection plan by material (null when there is none)', async () => {
    const plan = await qms.qmsGetInspectionPlan({ material: 'FG-200' });
    assert.deepEqual(
      plan?.characteristics.map((c) => [c.characteristic, c.kind, c.required]),
      [['LEAK', 'qualitative', true]],
    );
    assert.equal(await qms.qmsGetInspectionPlan({ material: 'RM-999' }), null);
  });

  it('records an inspection result exactly once and lists results by lot', async () => {
    const input = {
      idempotencyKey: 'lot:FG-100:L-1:PRESSURE:evt-1',
      lotId: 'L-1',
      material: 'FG-100',
      characteristic: 'PRESSURE',
      result: 'pass' as const,
      value: '18.5',
      unit: 'bar',
      inspector: 'qa.lee',
      effectiveAt: '2026-01-05T09:00:00+01:00',
    };
    const a = await qms.qmsRecordInspectionResult(input);
    const b = await qms.qmsRecordInspectionResult(input);
    assert.equal(b.resultId, a.resultId);
    assert.equal(a.withinLimits, true);
    await qms.qmsRecordInspectionResult({ ...input, idempotencyKey: 'other', lotId: 'L-2' });
    const listed = await qms.qmsListInspectionResults({ lotId: 'L-1' });
    assert.deepEqual(
      listed.map((r) => r.resultId),
      [a.resultId],
    );
    assert.equal(sim.state().results.length, 2);
    assert.equal((await admin.writes({ operation: 'TestResult.record', applied: true })).length, 2);
  });

  it('turns a result the plan contradicts into a BusinessRule failure with the QMS reason', async () => {
    const failure = await failureOf(
      qms.qmsRecordInspectionResult({
        idempotencyKey: 'k',
        lotId: 'L-1',
        material: 'FG-100',
        characteristic: 'PRESSURE',
        result: 'pass',
        value: '30',
        inspector: 'qa.lee',
        effectiveAt: '2026-01-05T09:00:00Z',
      }),
      'BusinessRule',
    );
    assert.match(failure.message, /outside 16\.\.25; cannot pass/);
    assert.equal(sim.state().results.length, 0);
  });
});
