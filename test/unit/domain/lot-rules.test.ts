import assert from 'node:assert/strict';
import {
  dispositionRecordId,
  inspectionNcrId,
  LOT_STATUS_MAPPING,
  LOT_STATUSES,
  lotSubject,
  receivedLotSchema,
} from '../../../domain/lot';
import { dispositionRefusal, type DispositionContext } from '../../../domain/lot-disposition';
import {
  applyProducedNotice,
  emptyGenealogy,
  parentKeys,
  parentsOf,
  producedQuantity,
} from '../../../domain/lot-genealogy';
import {
  inspectionProblem,
  latestResult,
  requiredNotPassed,
  summariseInspections,
  type LotPlan,
  type RecordedInspection,
} from '../../../domain/lot-inspection';

const q = (value: string, uom = 'EA') => ({ value, uom });
const now = Date.parse('2026-11-23T10:00:00Z');
const signer = (userId: string, roles: string[], at = now) => ({
  userId,
  printedName: userId,
  roles,
  reauth: { method: 'password' as const, at: new Date(at).toISOString() },
});
const ctx = (over: Partial<DispositionContext> = {}): DispositionContext => ({
  status: 'restricted',
  holds: [],
  requiredNotPassed: [],
  openNcrs: [],
  executors: ['op.sam'],
  nowMs: now,
  ...over,
});
const plan: LotPlan = {
  planId: 'IP-FG-100',
  version: 1,
  characteristics: [
    { characteristic: 'PRESSURE', description: '', required: true, lowerLimit: '16', upperLimit: '25', unit: 'bar' },
    { characteristic: 'VISUAL', description: '', required: true, lowerLimit: null, upperLimit: null, unit: null },
    { characteristic: 'NOISE', description: '', required: false, lowerLimit: null, upperLimit: '70', unit: 'dB' },
  ],
};
const res = (
  characteristic: string,
  result: 'pass' | 'fail',
  effectiveAt: string,
  value?: string,
): RecordedInspection => ({
  eventId: `${characteristic}-${effectiveAt}`,
  characteristic,
  result,
  value,
  inspector: 'lab.kim',
  effectiveAt,
  receivedAt: effectiveAt,
});

describe('domain: lot rules', () => {
  it('maps every status to an ISA-95 disposition, an Odoo location and a SAP batch/stock status', () => {
    for (const s of LOT_STATUSES) assert.ok(LOT_STATUS_MAPPING[s], s);
    assert.deepEqual(LOT_STATUS_MAPPING.released, {
      isa95: 'UnRestricted',
      odooLocation: 'WH/Stock',
      sapBatchRestricted: false,
      sapStock: 'unrestricted',
    });
    assert.deepEqual(LOT_STATUS_MAPPING.rejected, {
      isa95: 'Closed',
      odooLocation: 'Scrap',
      sapBatchRestricted: true,
      sapStock: 'scrap',
    });
    assert.equal(LOT_STATUS_MAPPING.on_hold.isa95, 'Restricted');
  });

  it('derives record, subject and NCR ids deterministically, bounded for the QMS', () => {
    assert.equal(dispositionRecordId('FG-100', 'L-1', 2), 'LOT-FG-100-L-1-D2');
    assert.equal(lotSubject('FG-100', 'L-1'), 'lot:FG-100:L-1');
    assert.equal(inspectionNcrId('FG-100', 'L-1', 'PRESSURE', 1), 'NCR-FG-100-L-1-PRESSURE');
    assert.equal(inspectionNcrId('FG-100', 'L-1', 'PRESSURE', 2), 'NCR-FG-100-L-1-PRESSURE-2');
    const long = inspectionNcrId('M'.repeat(60), 'L-1', 'PRESSURE', 1);
    assert.ok(long.length <= 64 && /^NCR-[0-9a-f]{16}$/.test(long), long);
    assert.ok(lotSubject('M'.repeat(64), 'L'.repeat(10)).length <= 80);
  });

  it('refuses received lots with bad input: negative quantity, unknown unit, non-SAP lot id', () => {
    const base = { material: 'RM-300', lotId: 'H-2001', site: '1710', quantity: q('10'), receivedBy: 'plan.eva' };
    assert.ok(receivedLotSchema.safeParse(base).success);
    assert.ok(!receivedLotSchema.safeParse({ ...base, quantity: q('-5') }).success);
    assert.ok(!receivedLotSchema.safeParse({ ...base, quantity: q('5', 'BOX') }).success);
    assert.ok(!receivedLotSchema.safeParse({ ...base, lotId: 'lower-case-and-long' }).success);
    assert.ok(!receivedLotSchema.safeParse({ ...base, releaseWithin: 'soon' }).success);
  });

  it('decides characteristics by the latest result; checks plan, unit and limits', () => {
    const results = [
      res('PRESSURE', 'fail', '2026-11-23T08:00:00Z', '12'),
      res('PRESSURE', 'pass', '2026-11-23T09:00:00Z', '20'),
    ];
    assert.deepEqual(
      summariseInspections(plan, results).map((l) => `${l.characteristic}:${l.state}`),
      ['PRESSURE:passed', 'VISUAL:missing', 'NOISE:missing'],
    );
    assert.deepEqual(requiredNotPassed(plan, results), ['VISUAL (missing)']);
    assert.deepEqual(
      requiredNotPassed(plan, [...results, res('PRESSURE', 'fail', '2026-11-23T07:00:00Z')]),
      ['VISUAL (missing)'],
      'an older failure arriving late does not win',
    );
    assert.deepEqual(requiredNotPassed(null, []), []);
    const base = { eventId: 'e-00000001', inspector: 'lab.kim', effectiveAt: '2026-11-23T08:00:00Z' };
    assert.match(
      inspectionProblem(plan, { ...base, characteristic: 'LEAK', result: 'pass' })!,
      /not in plan IP-FG-100/,
    );
    assert.match(
      inspectionProblem(plan, { ...base, characteristic: 'PRESSURE', result: 'pass', value: '20', unit: 'psi' })!,
      /measured in bar, not psi/,
    );
    assert.match(
      inspectionProblem(plan, { ...base, characteristic: 'PRESSURE', result: 'pass', value: '30' })!,
      /outside 16\.\.25/,
    );
    assert.equal(
      inspectionProblem(plan, { ...base, characteristic: 'PRESSURE', result: 'fail', value: '30' }),
      undefined,
    );
  });

  it('merges genealogy: produced quantity once per source event, cumulative parents by their maximum', () => {
    const order = { orderRef: 'PO-1', orderWorkflowId: 'order:1710:PO-1' };
    let g = emptyGenealogy();
    g = applyProducedNotice(g, {
      sourceEventId: 'a',
      quantity: q('60'),
      parents: [{ material: 'RM-300', lotId: 'H-1001', quantity: q('60') }],
      producedBy: order,
      executors: ['op.sam'],
      producedAt: 't1',
    }).state;
    const again = applyProducedNotice(g, {
      sourceEventId: 'a',
      quantity: q('60'),
      parents: [],
      producedBy: order,
      executors: [],
      producedAt: 't1',
    });
    assert.equal(again.counted, false);
    g = applyProducedNotice(g, {
      sourceEventId: 'b',
      quantity: q('40'),
      parents: [
        { material: 'RM-300', lotId: 'H-1001', quantity: q('100') },
        { material: 'RM-310', lotId: 'I-2001', quantity: q('100') },
      ],
      producedBy: order,
      executors: ['op.ria'],
      producedAt: 't2',
    }).state;
    assert.deepEqual(producedQuantity(g), q('100'));
    assert.deepEqual(
      parentsOf(g).map((p) => `${p.lotId}=${p.quantity.value}`),
      ['H-1001=100', 'I-2001=100'],
    );
    assert.deepEqual(parentKeys(g), ['RM-300:H-1001', 'RM-310:I-2001']);
    assert.deepEqual(g.executors, ['op.sam', 'op.ria']);
  });

  it('validator: the release rules in the order a person fixes them', () => {
    const marc = signer('qp.marc', ['qp', 'qa']);
    const review = { recordHash: 'a'.repeat(64), exceptions: ['hold:H-1'], acknowledgements: [] };
    const acknowledged = {
      ...review,
      acknowledgements: [{ exceptionId: 'hold:H-1', comment: 'lifted, label checked' }],
    };
    const release = { decision: 'release', meaning: 'approved_for_release', signer: marc, review: acknowledged };
    assert.equal(dispositionRefusal(ctx(), release), undefined);
    assert.equal(
      dispositionRefusal(ctx(), { ...release, review: undefined })?.type,
      'ReviewRequired',
      'a release without a review of the lot record is refused, whoever calls',
    );
    assert.equal(dispositionRefusal(ctx(), { ...release, review })?.type, 'ReviewIncomplete');
    assert.equal(
      dispositionRefusal(ctx(), { decision: 'release', meaning: 'approved_for_release' })?.type,
      'InvalidDisposition',
      'no signer: no signature',
    );
    assert.equal(dispositionRefusal(ctx({ status: 'registering' }), release)?.type, 'LotNotReady');
    assert.equal(
      dispositionRefusal(ctx({ decided: { decision: 'reject', by: 'qa.anna', at: 't' } }), release)?.type,
      'DispositionConflict',
    );
    assert.equal(
      dispositionRefusal(ctx(), { ...release, signer: signer('qa.anna', ['qa']) })?.type,
      'SignatureRefused',
    );
    assert.equal(
      dispositionRefusal(ctx(), { ...release, signer: signer('qp.marc', ['qp'], now - 6 * 60_000) })?.type,
      'SignatureRefused',
    );
    assert.equal(dispositionRefusal(ctx({ executors: ['qp.marc'] }), release)?.type, 'SignatureRefused');
    assert.equal(
      dispositionRefusal(ctx({ executors: ['qa.anna'] }), {
        decision: 'hold',
        meaning: 'placed_on_hold',
        reason: 'x',
        signer: signer('qa.anna', ['qa']),
      }),
      undefined,
      'holding is not subject to separation of duties',
    );
    assert.equal(
      dispositionRefusal(ctx({ holds: [{ holdId: 'H', source: 'person', reason: 'r' }] }), {
        ...release,
        override: true,
        reason: 'j',
      })?.type,
      'ReleaseBlocked',
      'no override past a hold',
    );
    assert.equal(dispositionRefusal(ctx({ openNcrs: ['NCR-1'] }), release)?.type, 'ReleaseBlocked');
    assert.equal(
      dispositionRefusal(ctx({ openNcrs: ['NCR-1'], requiredNotPassed: ['VISUAL (missing)'] }), {
        ...release,
        override: true,
        reason: 'risk assessed in DV-9',
      }),
      undefined,
    );
    assert.equal(
      dispositionRefusal(ctx({ requiredNotPassed: ['VISUAL (failed)'] }), {
        decision: 'reject',
        meaning: 'rejected',
        reason: 'failed',
        signer: signer('qa.anna', ['qa']),
      }),
      undefined,
      'a reject needs no passed inspections',
    );
  });

  it('the latest inspection result is the latest instant, whatever the offsets; then recordedAt, then arrival', () => {
    const result = (id: string, effectiveAt: string, recordedAt?: string) => ({
      id,
      characteristic: 'PRESSURE',
      effectiveAt,
      ...(recordedAt ? { recordedAt } : {}),
    });
    // 07:00+01:00 is 06:00Z: earlier than 06:30Z, although it sorts after it as text.
    const mixed = [result('retest', '2026-11-23T06:30:00Z'), result('first', '2026-11-23T07:00:00+01:00')];
    assert.equal(latestResult(mixed, 'PRESSURE')?.id, 'retest');
    const sameInstant = [
      result('later-recorded', '2026-11-23T06:00:00Z', '2026-11-23T06:05:00Z'),
      result('earlier-recorded', '2026-11-23T07:00:00+01:00', '2026-11-23T06:01:00Z'),
    ];
    assert.equal(latestResult(sameInstant, 'PRESSURE')?.id, 'later-recorded');
    const arrival = [result('a', '2026-11-23T06:00:00Z'), result('b', '2026-11-23T06:00:00Z')];
    assert.equal(latestResult(arrival, 'PRESSURE')?.id, 'b');
    assert.equal(latestResult(arrival, 'VISUAL'), undefined);
  });
});
