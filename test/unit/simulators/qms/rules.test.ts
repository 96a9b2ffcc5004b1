import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createQmsSimulator, DEFAULT_QMS_TOKEN, type QmsSimulator } from '../../../../simulators/qms';

const headers = { authorization: `Bearer ${DEFAULT_QMS_TOKEN}` };
const ncr = {
  ncrId: 'NCR-1',
  source: 'inspection',
  severity: 'major',
  material: 'FG-100',
  lotIds: ['L-1'],
  quantity: { value: '50', uom: 'EA' },
  description: 'Pressure test failed',
  raisedBy: 'qa.anna',
};
const hash = 'sha256:7f83b1657ff1fc53b92dc18148a1d65dfc2d4b1fa3d677284addd200126d9069';
const signature = {
  userId: 'qp.marc',
  printedName: 'Marc Dubois',
  meaning: 'Approved for release',
  reason: 'All tests passed',
  signedAt: '2026-01-05T10:00:00Z',
  recordHash: hash,
};

describe('QMS simulator business rules', () => {
  let sim: QmsSimulator;
  let app: FastifyInstance;
  const post = (url: string, payload: unknown) =>
    app.inject({ method: 'POST', url, headers, payload: payload as object });
  const patch = (url: string, payload: unknown) =>
    app.inject({ method: 'PATCH', url, headers, payload: payload as object });
  before(async () => {
    sim = createQmsSimulator();
    app = sim.server.app;
    await app.ready();
  });
  beforeEach(() => sim.server.reset());
  after(async () => sim.server.stop());

  it('checks results against the plan: characteristic, unit, and a pass inside the limits', async () => {
    const base = { lotId: 'L-1', material: 'FG-100', inspector: 'qa.anna', effectiveAt: '2026-01-05T09:00:00+01:00' };
    assert.equal(
      (await post('/v1/inspection-results', { ...base, characteristic: 'COLOUR', result: 'pass' })).json().code,
      'unknown_characteristic',
    );
    assert.equal(
      (
        await post('/v1/inspection-results', {
          ...base,
          characteristic: 'PRESSURE',
          result: 'pass',
          value: '20',
          unit: 'psi',
        })
      ).json().code,
      'unit_mismatch',
    );
    assert.equal(
      (
        await post('/v1/inspection-results', { ...base, characteristic: 'PRESSURE', result: 'pass', value: '12' })
      ).json().code,
      'result_contradicts_limits',
    );
    const fail = await post('/v1/inspection-results', {
      ...base,
      characteristic: 'PRESSURE',
      result: 'fail',
      value: '12',
      unit: 'bar',
    });
    assert.equal(fail.statusCode, 201);
    assert.equal(fail.json().withinLimits, false);
    assert.equal(sim.state().results.length, 1);
    assert.equal(sim.server.journal.list({ operation: 'TestResult.record', applied: false }).length, 3);
  });

  it('walks an NCR open → contained → dispositioned → closed and enforces each gate', async () => {
    assert.equal((await post('/v1/nonconformances', ncr)).statusCode, 201);
    assert.equal((await post('/v1/nonconformances', ncr)).json().code, 'ncr_exists');
    const contained = await patch('/v1/nonconformances/NCR-1', {
      status: 'contained',
      updatedBy: 'qa.anna',
      refs: { sapQualityNotification: '200000123' },
      containmentActions: [
        {
          actionId: 'hold-L-1',
          description: 'lot L-1 held',
          lotId: 'L-1',
          system: 'plantflow',
          performedAt: '2026-01-05T09:10:00Z',
        },
      ],
    });
    assert.equal(contained.json().status, 'contained');
    assert.equal(
      (await patch('/v1/nonconformances/NCR-1', { status: 'dispositioned', updatedBy: 'qa.anna' })).json().code,
      'not_fully_dispositioned',
    );
    const line = {
      lineId: 'D1',
      decision: 'use_as_is',
      quantity: { value: '30', uom: 'EA' },
      decidedBy: 'qa.anna',
      lotId: 'L-1',
    };
    assert.equal((await post('/v1/nonconformances/NCR-1/dispositions', line)).statusCode, 201);
    assert.equal(
      (await post('/v1/nonconformances/NCR-1/dispositions', line)).statusCode,
      200,
      'same line again is a no-op',
    );
    assert.equal(
      (await post('/v1/nonconformances/NCR-1/dispositions', { ...line, decision: 'scrap' })).json().code,
      'disposition_line_exists',
    );
    const over = await post('/v1/nonconformances/NCR-1/dispositions', {
      ...line,
      lineId: 'D2',
      decision: 'scrap',
      quantity: { value: '21', uom: 'EA' },
    });
    assert.equal(over.json().code, 'over_dispositioned');
    const rest = await post('/v1/nonconformances/NCR-1/dispositions', {
      ...line,
      lineId: 'D2',
      decision: 'scrap',
      quantity: { value: '20', uom: 'EA' },
    });
    assert.equal(rest.json().status, 'dispositioned', 'fully dispositioned moves the status');
    assert.equal(
      (await patch('/v1/nonconformances/NCR-1', { status: 'contained', updatedBy: 'qa.anna' })).json().code,
      'invalid_transition',
    );
    assert.equal(
      (await post('/v1/nonconformances/NCR-1/close', { closedBy: 'qa.anna' })).json().code,
      'root_cause_missing',
    );
    await patch('/v1/nonconformances/NCR-1', {
      rootCause: { category: 'machine', description: 'test rig seal worn' },
      updatedBy: 'qa.anna',
    });
    const closed = await post('/v1/nonconformances/NCR-1/close', { closedBy: 'qa.anna' });
    assert.equal(closed.json().status, 'closed');
    const held = sim.state().nonconformances['NCR-1']!;
    assert.deepEqual(
      held.history.map((h) => h.to),
      ['open', 'contained', 'dispositioned', 'closed'],
    );
    assert.equal(held.dispositionedQuantity.value, '50');
    assert.equal(held.refs.sapQualityNotification, '200000123');
    assert.equal(
      (await post('/v1/nonconformances/NCR-1/close', { closedBy: 'qa.anna' })).statusCode,
      200,
      'closing twice is a no-op',
    );
    assert.equal(sim.server.journal.list({ operation: 'Nonconformance.close', applied: true }).length, 1);
  });

  it('counts NCRs by material in a time window', async () => {
    await post('/v1/nonconformances', { ...ncr, effectiveAt: '2026-01-01T00:00:00Z' });
    await post('/v1/nonconformances', { ...ncr, ncrId: 'NCR-2', effectiveAt: '2026-02-01T00:00:00Z' });
    await post('/v1/nonconformances', {
      ...ncr,
      ncrId: 'NCR-3',
      material: 'FG-200',
      effectiveAt: '2026-02-01T00:00:00Z',
    });
    const res = await app.inject({
      method: 'GET',
      url: '/v1/nonconformances?material=FG-100&openedFrom=2026-01-15T00:00:00Z&openedTo=2026-03-01T00:00:00Z',
      headers,
    });
    assert.equal(res.json().count, 1);
    assert.equal(res.json().items[0].ncrId, 'NCR-2');
  });

  it('keeps signed records append-only, bound to their hash, chained per subject', async () => {
    const record = {
      recordId: 'SR-1',
      recordType: 'lot',
      subject: 'lot:FG-100:L-1',
      decision: 'release',
      lotId: 'L-1',
      fromDisposition: 'Restricted',
      toDisposition: 'UnRestricted',
      recordHash: hash,
      signatures: [signature],
      effectiveAt: '2026-01-05T10:00:00Z',
    };
    const unbound = await post('/v1/signed-records', {
      ...record,
      signatures: [{ ...signature, recordHash: `${hash}00` }],
    });
    assert.equal(unbound.json().code, 'signature_not_bound');
    assert.equal(
      (await post('/v1/signed-records', { ...record, signatures: [signature, signature] })).json().code,
      'duplicate_signer',
    );
    assert.equal(
      (await post('/v1/signed-records', { ...record, decision: 'scrap' })).json().code,
      'decision_not_allowed',
    );
    assert.equal((await post('/v1/signed-records', record)).statusCode, 201);
    assert.equal((await post('/v1/signed-records', record)).json().code, 'record_exists');
    const second = await post('/v1/signed-records', {
      ...record,
      recordId: 'SR-2',
      recordHash: `${hash}ff`,
      signatures: [{ ...signature, recordHash: `${hash}ff` }],
    });
    assert.equal(second.json().sequence, 2);
    assert.equal(second.json().previousRecordHash, hash);
    const put = await app.inject({ method: 'PUT', url: '/v1/signed-records/SR-1', headers, payload: record });
    assert.equal(put.statusCode, 404, 'no route changes a signed record');
  });

  it('keeps state and idempotency keys in the state file across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qms-sim-'));
    try {
      const stateFile = join(dir, 'qms.json');
      const first = createQmsSimulator({ stateFile });
      const h = { ...headers, 'idempotency-key': 'persist-1' };
      const a = await first.server.app.inject({ method: 'POST', url: '/v1/nonconformances', headers: h, payload: ncr });
      first.flush();
      await first.server.stop();
      const second = createQmsSimulator({ stateFile });
      assert.ok(second.state().nonconformances['NCR-1']);
      const b = await second.server.app.inject({
        method: 'POST',
        url: '/v1/nonconformances',
        headers: h,
        payload: ncr,
      });
      assert.equal(b.headers['idempotent-replayed'], 'true');
      assert.equal(b.body, a.body);
      second.flush();
      await second.server.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
