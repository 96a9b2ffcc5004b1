import assert from 'node:assert/strict';
import axios from 'axios';
import {
  createMesActivities,
  type MesActivities,
  type MesDispatchOrderInput,
} from '../../../../activities/mes/activities';
import { createMesSimulator, DEFAULT_MES_TOKEN, type MesSimulator } from '../../../../simulators/mes';
import { SimulatorAdmin } from '../../../../simulators/shared/admin-client';
import { failureOf, quantity } from '../qms/support';

const order: MesDispatchOrderInput = {
  idempotencyKey: 'order:1710:WH/MO/00012:mes-dispatch',
  site: '1710',
  orderRef: 'WH/MO/00012',
  material: 'FG-100',
  quantity: quantity('100'),
  operations: [
    { operation: '0010', workCenter: 'ASSY1', description: 'Assemble housing and impeller' },
    { operation: '0020', workCenter: 'TEST1', description: 'Coat and pressure test' },
  ],
  components: [
    { material: 'RM-300', quantity: quantity('100'), operation: '0010', lotIds: ['H-1001'] },
    { material: 'RM-400', quantity: quantity('25', 'KGM'), operation: '0020' },
  ],
  dueAt: '2026-01-09T16:00:00+01:00',
};

describe('MES activities', () => {
  let sim: MesSimulator;
  let url: string;
  let admin: SimulatorAdmin;
  let mes: MesActivities;
  const applied = async (operation: string) => (await admin.writes({ operation, applied: true })).length;
  const held = () => sim.state().dispatches['1710|WH/MO/00012'];
  before(async () => {
    sim = createMesSimulator();
    url = await sim.server.start(0);
    admin = new SimulatorAdmin(url);
    mes = createMesActivities({ url, token: DEFAULT_MES_TOKEN, timeoutMs: 2_000 });
  });
  beforeEach(() => admin.reset());
  after(async () => sim.server.stop());

  it('dispatches an order exactly once when retried, and adopts it under another key', async () => {
    const a = await mes.mesDispatchOrder(order);
    const b = await mes.mesDispatchOrder(order);
    const c = await mes.mesDispatchOrder({ ...order, idempotencyKey: 'lost-answer' });
    assert.equal(a.outcome, 'dispatched');
    assert.equal(a.status, 'dispatched');
    assert.equal(b.dispatchId, a.dispatchId);
    assert.deepEqual([c.outcome, c.dispatchId], ['already_dispatched', a.dispatchId]);
    assert.equal(Object.keys(sim.state().dispatches).length, 1);
    assert.deepEqual(
      held()!.components.map((x) => [x.material, x.operation, x.lotIds]),
      [
        ['RM-300', '0010', ['H-1001']],
        ['RM-400', '0020', []],
      ],
    );
    assert.equal(await applied('OperationsRequest.dispatch'), 1);
    await failureOf(mes.mesDispatchOrder({ ...order, idempotencyKey: 'k3', quantity: quantity('90') }), 'BusinessRule');
  });

  it('turns a floor refusal into a BusinessRule failure carrying the MES reason (S9)', async () => {
    await axios.put(`${url}/__sim/mes/rejections`, {
      orders: { 'WH/MO/00012': 'work center ASSY1 is down for maintenance' },
    });
    const failure = await failureOf(mes.mesDispatchOrder(order), 'BusinessRule');
    assert.equal(failure.nonRetryable, true);
    assert.match(failure.message, /work center ASSY1 is down for maintenance/);
    assert.equal((failure.details?.[0] as { reason: string }).reason, 'work center ASSY1 is down for maintenance');
    assert.equal(held(), undefined);
    await admin.setFaults({ special: { rejectDispatch: 'plant closed' } });
    assert.match(
      (await failureOf(mes.mesDispatchOrder({ ...order, orderRef: 'WH/MO/2', idempotencyKey: 'k2' }), 'BusinessRule'))
        .message,
      /plant closed/,
    );
  });

  it('recall before the dispatch is a no-op; after it, recalls exactly once', async () => {
    const early = await mes.mesRecallDispatch({ site: '1710', orderRef: 'WH/MO/00012', reason: 'saga compensation' });
    assert.deepEqual(early, { outcome: 'not_dispatched', status: null });
    assert.equal(await applied('OperationsRequest.recall'), 0);
    await mes.mesDispatchOrder(order);
    const input = {
      idempotencyKey: 'order:1710:WH/MO/00012:mes-recall',
      site: '1710',
      orderRef: 'WH/MO/00012',
      reason: 'SAP release failed',
    };
    assert.deepEqual(await mes.mesRecallDispatch(input), { outcome: 'recalled', status: 'recalled' });
    assert.deepEqual(await mes.mesRecallDispatch(input), { outcome: 'recalled', status: 'recalled' }, 'replayed');
    assert.deepEqual(await mes.mesRecallDispatch({ ...input, idempotencyKey: undefined }), {
      outcome: 'already_recalled',
      status: 'recalled',
    });
    assert.equal(held()!.status, 'recalled');
    assert.equal(await applied('OperationsRequest.recall'), 1);
  });

  it('holds stack, each once by holdId; the order resumes when the last hold is lifted', async () => {
    const early = await mes.mesHoldOrder({
      site: '1710',
      orderRef: 'WH/MO/00012',
      holdId: 'NCR-1',
      reason: 'NCR-1 containment',
    });
    assert.equal(early.outcome, 'not_dispatched');
    await mes.mesDispatchOrder(order);
    const hold = { site: '1710', orderRef: 'WH/MO/00012', holdId: 'NCR-1', reason: 'NCR-1 containment' };
    assert.deepEqual(await mes.mesHoldOrder(hold), { outcome: 'held', status: 'held', activeHoldIds: ['NCR-1'] });
    assert.equal((await mes.mesHoldOrder(hold)).outcome, 'already_held');
    await mes.mesHoldOrder({ ...hold, holdId: 'QA-7', reason: 'QA hold', placedBy: 'qa.anna' });
    assert.equal(held()!.status, 'held');
    assert.equal(await applied('OperationsRequest.hold'), 2);

    const resume = { site: '1710', orderRef: 'WH/MO/00012', holdId: 'NCR-1', releasedBy: 'qa.anna' };
    assert.deepEqual(await mes.mesResumeOrder(resume), {
      outcome: 'still_held',
      status: 'held',
      activeHoldIds: ['QA-7'],
    });
    assert.equal((await mes.mesResumeOrder(resume)).outcome, 'not_held');
    assert.deepEqual(await mes.mesResumeOrder({ ...resume, holdId: 'QA-7' }), {
      outcome: 'resumed',
      status: 'dispatched',
      activeHoldIds: [],
    });
    assert.equal(held()!.status, 'dispatched');
    assert.equal(await applied('OperationsRequest.releaseHold'), 2);
    assert.equal(
      (await mes.mesResumeOrder({ site: '1710', orderRef: 'WH/MO/404', holdId: 'X' })).outcome,
      'not_dispatched',
    );
  });

  it('reads a dispatch (null when never dispatched; unknown plant is a BusinessRule failure)', async () => {
    assert.equal(await mes.mesGetDispatch({ site: '1710', orderRef: 'WH/MO/00012' }), null);
    await mes.mesDispatchOrder(order);
    const d = await mes.mesGetDispatch({ site: '1710', orderRef: 'WH/MO/00012' });
    assert.equal(d?.status, 'dispatched');
    assert.equal(d?.dueAt, '2026-01-09T16:00:00+01:00');
    const failure = await failureOf(mes.mesGetDispatch({ site: '9999', orderRef: 'WH/MO/00012' }), 'BusinessRule');
    assert.match(failure.message, /no plant 9999/);
  });

  it('maps 429 → RateLimited, 503 → Transient, a malformed body → InvalidResponse', async () => {
    await admin.setFaults({ rateLimitRate: 1, retryAfterSeconds: 2 });
    assert.equal((await failureOf(mes.mesDispatchOrder(order), 'RateLimited')).nextRetryDelay, 2_000);
    await admin.setFaults({ errorRate: 1, errorStatus: 503 });
    await failureOf(mes.mesRecallDispatch({ site: '1710', orderRef: 'WH/MO/00012', reason: 'x' }), 'Transient');
    assert.equal(await applied('OperationsRequest.dispatch'), 0);
    await admin.setFaults({ special: { malformedResponseRate: 1 } });
    const failure = await failureOf(mes.mesDispatchOrder(order), 'InvalidResponse');
    assert.equal(failure.nonRetryable, true);
    await admin.clearFaults();
    assert.equal(
      (await mes.mesDispatchOrder(order)).outcome,
      'dispatched',
      'the retry replays the first (applied) answer',
    );
    assert.equal(await applied('OperationsRequest.dispatch'), 1);
  });
});
