import assert from 'node:assert/strict';
import {
  createQmsActivities,
  type QmsActivities,
  type QmsRecordSignedDispositionInput,
} from '../../../../activities/qms/activities';
import { createQmsSimulator, DEFAULT_QMS_TOKEN, type QmsSimulator } from '../../../../simulators/qms';
import { SimulatorAdmin } from '../../../../simulators/shared/admin-client';
import { failureOf, quantity } from './support';

const HASH = 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
const lotRecord: QmsRecordSignedDispositionInput = {
  idempotencyKey: 'lot:FG-100:L-1:disposition:1',
  recordId: 'SR-L-1-1',
  recordType: 'lot',
  subject: 'lot:FG-100:L-1',
  decision: 'release',
  material: 'FG-100',
  lotId: 'L-1',
  quantity: quantity('100'),
  fromDisposition: 'Restricted',
  toDisposition: 'UnRestricted',
  recordHash: HASH,
  signatures: [
    {
      userId: 'qp.marc',
      printedName: 'Marc Dubois',
      meaning: 'Approved for release',
      reason: 'batch record reviewed',
      signedAt: '2026-01-06T08:00:00Z',
      recordHash: HASH,
    },
  ],
  effectiveAt: '2026-01-06T08:00:00Z',
};

describe('QMS activities: CAPA and signed disposition records', () => {
  let sim: QmsSimulator;
  let admin: SimulatorAdmin;
  let qms: QmsActivities;
  before(async () => {
    sim = createQmsSimulator();
    const url = await sim.server.start(0);
    admin = new SimulatorAdmin(url);
    qms = createQmsActivities({ url, token: DEFAULT_QMS_TOKEN, timeoutMs: 2_000 });
  });
  beforeEach(async () => {
    await admin.reset();
    for (const ncrId of ['NCR-1', 'NCR-2']) {
      await qms.qmsOpenNonconformance({
        idempotencyKey: `open:${ncrId}`,
        ncrId,
        source: 'inspection',
        severity: 'critical',
        material: 'FG-100',
        lotIds: ['L-1'],
        quantity: quantity('10'),
        description: 'leak',
        raisedBy: 'qa.anna',
      });
    }
  });
  after(async () => sim.server.stop());

  it('opens a CAPA once, links it to its NCRs, and links newcomers when it already exists', async () => {
    const input = {
      idempotencyKey: 'capa:CAPA-1',
      capaId: 'CAPA-1',
      title: 'Seal leaks on FG-100',
      material: 'FG-100',
      ncrIds: ['NCR-1'],
      trigger: 'severity' as const,
      owner: 'qa.lee',
    };
    const a = await qms.qmsOpenCapa(input);
    const b = await qms.qmsOpenCapa(input);
    assert.equal(a.outcome, 'opened');
    assert.equal(b.capa.capaId, 'CAPA-1');
    assert.equal((await admin.writes({ operation: 'Capa.open', applied: true })).length, 1);
    const linked = await qms.qmsOpenCapa({
      ...input,
      idempotencyKey: 'capa:CAPA-1:recurrence',
      ncrIds: ['NCR-1', 'NCR-2'],
      trigger: 'recurrence',
    });
    assert.equal(linked.outcome, 'linked');
    assert.deepEqual(sim.state().capas['CAPA-1']!.ncrIds, ['NCR-1', 'NCR-2']);
    assert.deepEqual(sim.state().nonconformances['NCR-2']!.capaIds, ['CAPA-1']);
    const again = await qms.qmsOpenCapa({ ...input, idempotencyKey: 'third', ncrIds: ['NCR-2'] });
    assert.equal(again.outcome, 'already_open');
    await failureOf(
      qms.qmsOpenCapa({ ...input, idempotencyKey: 'k4', ncrIds: ['NCR-404'], capaId: 'CAPA-2' }),
      'BusinessRule',
    );
  });

  it('records a signed disposition exactly once and lists records by subject', async () => {
    const a = await qms.qmsRecordSignedDisposition(lotRecord);
    const b = await qms.qmsRecordSignedDisposition(lotRecord);
    const c = await qms.qmsRecordSignedDisposition({ ...lotRecord, idempotencyKey: 'lost-answer-retry' });
    assert.equal(a.outcome, 'recorded');
    assert.equal(b.record.recordId, a.record.recordId);
    assert.equal(c.outcome, 'already_recorded');
    assert.equal(sim.state().signedRecords.length, 1);
    assert.equal((await admin.writes({ operation: 'SignedRecord.append', applied: true })).length, 1);
    const listed = await qms.qmsListSignedRecords({ subject: 'lot:FG-100:L-1' });
    assert.deepEqual(
      listed.map((r) => [r.recordId, r.signatures[0]!.printedName, r.signatures[0]!.meaning]),
      [['SR-L-1-1', 'Marc Dubois', 'Approved for release']],
    );
    assert.deepEqual(await qms.qmsListSignedRecords({ subject: 'lot:FG-100:L-2' }), []);
  });

  it('never lets a second, different record take an existing record id', async () => {
    await qms.qmsRecordSignedDisposition(lotRecord);
    const other = `${HASH}aa`;
    const failure = await failureOf(
      qms.qmsRecordSignedDisposition({
        ...lotRecord,
        idempotencyKey: 'k2',
        decision: 'reject',
        recordHash: other,
        signatures: [{ ...lotRecord.signatures[0]!, recordHash: other }],
      }),
      'BusinessRule',
    );
    assert.match(failure.message, /different record hash/);
    const unbound = await failureOf(
      qms.qmsRecordSignedDisposition({
        ...lotRecord,
        idempotencyKey: 'k3',
        recordId: 'SR-2',
        signatures: [{ ...lotRecord.signatures[0]!, recordHash: other }],
      }),
      'BusinessRule',
    );
    assert.match(unbound.message, /bound to the hash/);
    assert.equal(sim.state().signedRecords.length, 1);
  });

  it('records an NCR disposition signed by two people', async () => {
    const signatures = ['qa.anna', 'qp.marc'].map((userId) => ({
      ...lotRecord.signatures[0]!,
      userId,
      printedName: userId,
    }));
    const { record } = await qms.qmsRecordSignedDisposition({
      ...lotRecord,
      idempotencyKey: 'ncr:NCR-1:D1:sign',
      recordId: 'SR-NCR-1-D1',
      recordType: 'ncr',
      subject: 'ncr:NCR-1',
      decision: 'use_as_is',
      ncrId: 'NCR-1',
      fromDisposition: undefined,
      toDisposition: undefined,
      signatures,
    });
    assert.equal(record.signatures.length, 2);
    assert.equal(record.sequence, 1);
  });
});
