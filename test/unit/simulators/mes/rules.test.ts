import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { createMesSimulator, DEFAULT_MES_TOKEN, type MesSimulator } from '../../../../simulators/mes';
import { dispatchBody } from './fixtures';

const headers = { authorization: `Bearer ${DEFAULT_MES_TOKEN}` };
const ORDER = '/v1/plants/1710/dispatches/WH%2FMO%2F1';

describe('MES simulator floor rules', () => {
  let sim: MesSimulator;
  let app: FastifyInstance;
  const post = (url: string, payload: unknown) =>
    app.inject({ method: 'POST', url, headers, payload: payload as object });
  const dispatch = (orderRef = 'WH/MO/1', material = 'FG-100') =>
    post('/v1/plants/1710/dispatches', dispatchBody(orderRef, material));
  before(async () => {
    sim = createMesSimulator();
    app = sim.server.app;
    await app.ready();
  });
  beforeEach(() => sim.server.reset());
  after(async () => sim.server.stop());

  it('refuses a second dispatch of an order on the floor (409) and unknown work centers (422)', async () => {
    assert.equal((await dispatch()).statusCode, 201);
    const again = await dispatch();
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'dispatch_exists');
    const body = dispatchBody('WH/MO/2');
    body.operations[1]!.workCenter = 'PAINT9';
    const wc = await post('/v1/plants/1710/dispatches', body);
    assert.equal(wc.json().code, 'unknown_work_center');
    assert.equal((await post('/v1/plants/9999/dispatches', dispatchBody('WH/MO/3'))).json().code, 'site_not_found');
  });

  it('rejects dispatches per order or material (admin list) and all of them (fault special)', async () => {
    await app.inject({
      method: 'PUT',
      url: '/__sim/mes/rejections',
      payload: { orders: { 'WH/MO/1': 'work center ASSY1 down' }, materials: { 'FG-200': 'no seal press' } },
    });
    const byOrder = await dispatch('WH/MO/1');
    assert.equal(byOrder.statusCode, 422);
    assert.deepEqual(byOrder.json(), {
      code: 'dispatch_rejected',
      message: 'work center ASSY1 down',
      details: { site: '1710', orderRef: 'WH/MO/1', reason: 'work center ASSY1 down' },
    });
    assert.equal((await dispatch('WH/MO/2', 'FG-200')).json().message, 'no seal press');
    assert.equal((await dispatch('WH/MO/3')).statusCode, 201);
    sim.server.faults.set({ special: { rejectDispatch: 'plant closed for inventory' } });
    assert.equal((await dispatch('WH/MO/4')).json().message, 'plant closed for inventory');
    assert.deepEqual(Object.keys(sim.state().dispatches), ['1710|WH/MO/3']);
    assert.equal(sim.server.journal.list({ operation: 'OperationsRequest.dispatch', applied: false }).length, 3);
    await app.inject({ method: 'POST', url: '/__sim/reset' });
    assert.deepEqual(sim.state().rejections, { orders: {}, materials: {} });
  });

  it('recalls tolerantly: never dispatched, recalled, recalled again; then allows a re-dispatch', async () => {
    assert.equal((await post(`${ORDER}/recall`, { reason: 'saga compensation' })).json().outcome, 'not_dispatched');
    await dispatch();
    const first = await post(`${ORDER}/recall`, { reason: 'saga compensation' });
    assert.equal(first.json().outcome, 'recalled');
    assert.equal(first.json().dispatch.status, 'recalled');
    assert.equal((await post(`${ORDER}/recall`, { reason: 'again' })).json().outcome, 'already_recalled');
    assert.equal(sim.server.journal.list({ operation: 'OperationsRequest.recall', applied: true }).length, 1);
    const again = await dispatch();
    assert.equal(again.statusCode, 201);
    assert.equal(sim.state().superseded.length, 1);
  });

  it('stacks holds, each idempotent by holdId, and resumes when the last one is released', async () => {
    assert.equal((await post(`${ORDER}/holds`, { holdId: 'H1', reason: 'NCR-1' })).json().code, 'dispatch_not_found');
    await dispatch();
    assert.equal((await post(`${ORDER}/holds`, { holdId: 'H1', reason: 'NCR-1' })).statusCode, 201);
    const dup = await post(`${ORDER}/holds`, { holdId: 'H1', reason: 'NCR-1' });
    assert.equal(dup.statusCode, 200);
    assert.equal(dup.json().outcome, 'already_held');
    await post(`${ORDER}/holds`, { holdId: 'H2', reason: 'QA hold', placedBy: 'qa.anna' });
    assert.deepEqual(sim.state().dispatches['1710|WH/MO/1']!.activeHoldIds, ['H1', 'H2']);
    assert.equal((await post(`${ORDER}/holds/H1/release`, {})).json().outcome, 'still_held');
    assert.equal((await post(`${ORDER}/holds/H1/release`, {})).json().outcome, 'not_held');
    assert.equal((await post(`${ORDER}/holds/NOPE/release`, {})).json().outcome, 'not_held');
    const resumed = await post(`${ORDER}/holds/H2/release`, { releasedBy: 'qa.anna' });
    assert.equal(resumed.json().outcome, 'resumed');
    assert.equal(resumed.json().dispatch.status, 'dispatched');
    assert.equal((await post(`${ORDER}/holds`, { holdId: 'H1', reason: 'reuse' })).json().code, 'hold_released');
    assert.equal(sim.server.journal.list({ operation: 'OperationsRequest.hold', applied: true }).length, 2);
    assert.equal(sim.server.journal.list({ operation: 'OperationsRequest.releaseHold', applied: true }).length, 2);
  });

  it('generates the canonical events of a dispatched order through the admin route', async () => {
    assert.equal(
      (await app.inject({ method: 'POST', url: '/__sim/mes/plants/1710/dispatches/WH%2FMO%2F1/events', payload: {} }))
        .statusCode,
      404,
    );
    await dispatch();
    const res = await app.inject({
      method: 'POST',
      url: '/__sim/mes/plants/1710/dispatches/WH%2FMO%2F1/events',
      payload: { startAt: '2026-01-05T06:00:00Z', producedLotId: 'FG100-0001' },
    });
    const { events } = res.json();
    assert.equal(events.length, 9);
    assert.equal(events.at(-1).type, 'MaterialProduced');
    assert.equal(events.at(-1).correlation.lotId, 'FG100-0001');
    assert.equal(sim.server.journal.list().length, 1, 'generating events writes nothing');
  });
});
