import assert from 'node:assert/strict';
import { createQmsActivities, type QmsActivities } from '../../../../activities/qms/activities';
import { createQmsSimulator, DEFAULT_QMS_TOKEN, type QmsSimulator } from '../../../../simulators/qms';
import { SimulatorAdmin } from '../../../../simulators/shared/admin-client';
import { failureOf, quantity } from './support';

describe('QMS activities: transport and protocol failures', () => {
  let sim: QmsSimulator;
  let url: string;
  let admin: SimulatorAdmin;
  let qms: QmsActivities;
  const activate = (key = 'k') =>
    qms.qmsActivateInspectionPlan({
      idempotencyKey: key,
      site: '1710',
      orderRef: 'WH/MO/1',
      material: 'FG-100',
      quantity: quantity('10'),
    });
  before(async () => {
    sim = createQmsSimulator();
    url = await sim.server.start(0);
    admin = new SimulatorAdmin(url);
    qms = createQmsActivities({ url, token: DEFAULT_QMS_TOKEN, timeoutMs: 2_000 });
  });
  beforeEach(() => admin.reset());
  after(async () => sim.server.stop());

  it("429 with Retry-After → RateLimited, retried after the server's delay", async () => {
    await admin.setFaults({ rateLimitRate: 1, retryAfterSeconds: 7 });
    const failure = await failureOf(activate(), 'RateLimited');
    assert.equal(failure.nextRetryDelay, 7_000);
    assert.equal(failure.nonRetryable, false);
    assert.deepEqual(sim.state().activations, {});
  });

  it('503 → Transient (retryable), and the retry after the outage lands exactly once', async () => {
    await admin.setFaults({ errorRate: 1, errorStatus: 503, writesOnly: true });
    const failure = await failureOf(activate(), 'Transient');
    assert.equal(failure.nonRetryable, false);
    await admin.clearFaults();
    await activate();
    assert.equal(Object.keys(sim.state().activations).length, 1);
  });

  it('a body outside the contract → InvalidResponse, non-retryable', async () => {
    await admin.setFaults({ special: { malformedResponseRate: 1 } });
    const failure = await failureOf(qms.qmsGetInspectionPlan({ material: 'FG-100' }), 'InvalidResponse');
    assert.equal(failure.nonRetryable, true);
    assert.match(failure.message, /qms returned an unexpected inspection plan of FG-100/);
  });

  it('a wrong token → Auth, non-retryable', async () => {
    const stranger = createQmsActivities({ url, token: 'not-the-token', timeoutMs: 2_000 });
    const failure = await failureOf(stranger.qmsListSignedRecords({ subject: 'lot:FG-100:L-1' }), 'Auth');
    assert.equal(failure.nonRetryable, true);
  });

  it('a hung QMS → Transient after the explicit timeout', async () => {
    await admin.setFaults({ timeoutRate: 1, timeoutMs: 400 });
    const impatient = createQmsActivities({ url, token: DEFAULT_QMS_TOKEN, timeoutMs: 150 });
    await failureOf(impatient.qmsGetInspectionPlan({ material: 'FG-100' }), 'Transient');
  });

  it('an unreachable QMS → Transient', async () => {
    const nowhere = createQmsActivities({ url: 'http://127.0.0.1:1', token: DEFAULT_QMS_TOKEN, timeoutMs: 500 });
    await failureOf(nowhere.qmsGetInspectionPlan({ material: 'FG-100' }), 'Transient');
  });

  it('invalid input (negative quantity) → BusinessRule from the 400, nothing written', async () => {
    const failure = await failureOf(
      qms.qmsActivateInspectionPlan({
        idempotencyKey: 'k',
        site: '1710',
        orderRef: 'WH/MO/1',
        material: 'FG-100',
        quantity: quantity('-1'),
      }),
      'BusinessRule',
    );
    assert.match(failure.message, /qms refused \(400\)/);
    assert.deepEqual(sim.state().activations, {});
  });
});
