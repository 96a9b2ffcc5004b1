import assert from 'node:assert/strict';
import {
  createQmsActivities,
  type QmsActivities,
  type QmsOpenNonconformanceInput,
} from '../../../../activities/qms/activities';
import { createQmsSimulator, DEFAULT_QMS_TOKEN, type QmsSimulator } from '../../../../simulators/qms';
import { SimulatorAdmin } from '../../../../simulators/shared/admin-client';
import { failureOf, quantity } from './support';

const openInput: QmsOpenNonconformanceInput = {
  idempotencyKey: 'ncr:NCR-1:open',
  ncrId: 'NCR-1',
  source: 'inspection',
  severity: 'major',
  material: 'FG-100',
  lotIds: ['L-1'],
  quantity: quantity('50'),
  description: 'PRESSURE failed at 12 bar',
  raisedBy: 'qa.anna',
  site: '1710',
  orderRef: 'WH/MO/00012',
  refs: { odooQualityAlert: 'QA/00007' },
};

describe('QMS activities: nonconformances', () => {
  let sim: QmsSimulator;
  let admin: SimulatorAdmin;
  let qms: QmsActivities;
  const applied = async (operation: string) => (await admin.writes({ operation, applied: true })).length;
  before(async () => {
    sim = createQmsSimulator();
    const url = await sim.server.start(0);
    admin = new SimulatorAdmin(url);
    qms = createQmsActivities({ url, token: DEFAULT_QMS_TOKEN, timeoutMs: 2_000 });
  });
  beforeEach(() => admin.reset());
  after(async () => sim.server.stop());

  it('opens an NCR exactly once (retry) and adopts it by ncrId under another key', async () => {
    const a = await qms.qmsOpenNonconformance(openInput);
    const b = await qms.qmsOpenNonconformance(openInput);
    const c = await qms.qmsOpenNonconformance({ ...openInput, idempotencyKey: 'someone-else' });
    assert.equal(a.outcome, 'opened');
    assert.equal(b.outcome, 'opened', 'a replay returns the first answer');
    assert.equal(c.outcome, 'already_open');
    assert.equal(c.ncr.refs.odooQualityAlert, 'QA/00007');
    assert.equal(Object.keys(sim.state().nonconformances).length, 1);
    assert.equal(await applied('Nonconformance.open'), 1);
  });

  it('refuses an ncrId already used for other lots (BusinessRule)', async () => {
    await qms.qmsOpenNonconformance(openInput);
    await failureOf(qms.qmsOpenNonconformance({ ...openInput, idempotencyKey: 'k2', lotIds: ['L-9'] }), 'BusinessRule');
  });

  it('updates status, refs, containment and root cause; a retried update applies once', async () => {
    await qms.qmsOpenNonconformance(openInput);
    const update = {
      idempotencyKey: 'ncr:NCR-1:contain',
      ncrId: 'NCR-1',
      updatedBy: 'qa.anna',
      status: 'contained' as const,
      refs: { sapQualityNotification: '200000123' },
      containmentActions: [
        {
          actionId: 'hold:L-1',
          description: 'lot L-1 held',
          lotId: 'L-1',
          system: 'plantflow' as const,
          performedAt: '2026-01-05T09:05:00Z',
        },
      ],
    };
    const a = await qms.qmsUpdateNonconformance(update);
    await qms.qmsUpdateNonconformance(update);
    await qms.qmsUpdateNonconformance({ ...update, idempotencyKey: undefined });
    assert.equal(a.status, 'contained');
    const held = sim.state().nonconformances['NCR-1']!;
    assert.deepEqual(held.refs, { odooQualityAlert: 'QA/00007', sapQualityNotification: '200000123' });
    assert.equal(held.containmentActions.length, 1);
    assert.equal(await applied('Nonconformance.update'), 1);
    const unknown = await failureOf(
      qms.qmsUpdateNonconformance({ ncrId: 'NCR-9', updatedBy: 'qa.anna' }),
      'BusinessRule',
    );
    assert.match(unknown.message, /no nonconformance NCR-9/);
  });

  it('adds split disposition lines exactly once each and closes with a root cause', async () => {
    await qms.qmsOpenNonconformance(openInput);
    const line = {
      idempotencyKey: 'ncr:NCR-1:D1',
      ncrId: 'NCR-1',
      lineId: 'D1',
      decision: 'use_as_is' as const,
      quantity: quantity('30'),
      lotId: 'L-1',
      decidedBy: 'qa.anna',
      signedRecordId: 'SR-1',
    };
    await qms.qmsAddNonconformanceDisposition(line);
    await qms.qmsAddNonconformanceDisposition(line);
    await qms.qmsAddNonconformanceDisposition({ ...line, idempotencyKey: 'fresh' });
    const over = await failureOf(
      qms.qmsAddNonconformanceDisposition({
        ...line,
        idempotencyKey: 'D2-over',
        lineId: 'D2',
        decision: 'scrap',
        quantity: quantity('25'),
      }),
      'BusinessRule',
    );
    assert.match(over.message, /would exceed/);
    const after = await qms.qmsAddNonconformanceDisposition({
      ...line,
      idempotencyKey: 'D2',
      lineId: 'D2',
      decision: 'scrap',
      quantity: quantity('20'),
    });
    assert.equal(after.status, 'dispositioned');
    assert.equal(await applied('Nonconformance.addDisposition'), 2);

    const early = await failureOf(qms.qmsCloseNonconformance({ ncrId: 'NCR-1', closedBy: 'qa.anna' }), 'BusinessRule');
    assert.match(early.message, /no root cause/);
    const close = {
      idempotencyKey: 'ncr:NCR-1:close',
      ncrId: 'NCR-1',
      closedBy: 'qa.anna',
      rootCause: { category: 'machine' as const, description: 'worn seal on test rig' },
    };
    const closed = await qms.qmsCloseNonconformance(close);
    await qms.qmsCloseNonconformance(close);
    await qms.qmsCloseNonconformance({ ...close, idempotencyKey: undefined });
    assert.equal(closed.status, 'closed');
    assert.equal(sim.state().nonconformances['NCR-1']!.rootCause?.category, 'machine');
    assert.deepEqual(
      sim.state().nonconformances['NCR-1']!.dispositions.map((d) => [d.lineId, d.decision, d.quantity.value]),
      [
        ['D1', 'use_as_is', '30'],
        ['D2', 'scrap', '20'],
      ],
    );
    assert.equal(await applied('Nonconformance.close'), 1);
  });

  it('counts NCRs of a material in a time window', async () => {
    await qms.qmsOpenNonconformance({ ...openInput, effectiveAt: '2026-01-02T00:00:00Z' });
    await qms.qmsOpenNonconformance({
      ...openInput,
      idempotencyKey: 'n2',
      ncrId: 'NCR-2',
      effectiveAt: '2026-01-20T00:00:00Z',
    });
    const counted = await qms.qmsCountNonconformances({
      material: 'FG-100',
      openedFrom: '2026-01-01T00:00:00Z',
      openedTo: '2026-01-10T00:00:00Z',
    });
    assert.deepEqual(counted, { count: 1, ncrIds: ['NCR-1'] });
  });
});
