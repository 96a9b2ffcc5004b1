import assert from 'node:assert/strict';
import type { ActivityCall } from '../../../client/lot-record/history';
import { documentsOf, erpPostings } from '../../../client/lot-record/postings';
import { reviewByException, withinSpecification } from '../../../client/lot-record/review';
import type { LotRecord, RecordInspection } from '../../../client/lot-record/types';
import { reviewRefusal } from '../../../domain/lot-review';

const at = '2026-11-23T10:00:00.000Z';
const trace = (key: string) => ({
  direction: 'backward' as const,
  depth: 50,
  root: { material: 'FG-100', lotId: key, key: `FG-100:${key}`, tracked: true, links: [] },
  lots: [],
});

function record(overrides: Partial<Omit<LotRecord, 'review'>> = {}): Omit<LotRecord, 'review'> {
  return {
    lot: {
      material: 'FG-100',
      lotId: 'L-1',
      key: 'FG-100:L-1',
      site: '1710',
      workflowId: 'lot:FG-100:L-1',
      status: 'restricted',
      disposition: 'Restricted',
      origin: 'produced',
      quantity: { value: '50', uom: 'EA' },
      releaseDeadline: '2026-11-30T10:00:00.000Z',
      overdue: false,
      fingerprint: '0'.repeat(64),
    },
    orders: [],
    mesEvents: [],
    postings: [],
    inspections: [],
    refusedResults: [],
    holds: [],
    ncrs: [],
    signatures: [],
    parked: [],
    exceptions: [],
    drift: [],
    genealogy: { backward: trace('L-1'), forward: { ...trace('L-1'), direction: 'forward' } },
    timeline: [],
    ...overrides,
  };
}

const inspection = (over: Partial<RecordInspection>): RecordInspection => ({
  characteristic: 'PRESSURE',
  required: true,
  specification: { lowerLimit: '16', upperLimit: '25', unit: 'bar' },
  result: 'pass',
  value: '20',
  unit: 'bar',
  inspector: 'lab.kim',
  effectiveAt: at,
  receivedAt: at,
  eventId: 'r-1',
  withinSpecification: true,
  superseded: false,
  ...over,
});

describe('lot record: review by exception', () => {
  it('a clean record has nothing to review, and every section is marked reviewed by the system', () => {
    const review = reviewByException(record({ inspections: [inspection({})] }));
    assert.deepEqual(review.exceptions, []);
    assert.ok(review.reviewedBySystem.includes('inspections against specification'));
    assert.ok(review.reviewedBySystem.includes('holds'));
  });

  it('lists out-of-specification and late results, refused events, NCRs, parked steps and skips, overrides, holds, drift and exceptions — each once, by time', () => {
    const exception = {
      site: '1710',
      subject: { lotId: 'L-1' },
      reason: { code: 'x', message: 'x' },
      firstSeenAt: at,
      lastSeenAt: at,
      occurrences: 1,
      status: 'open' as const,
      actions: ['acknowledge' as const],
    };
    const review = reviewByException(
      record({
        inspections: [
          inspection({ result: 'fail', value: '12', withinSpecification: false, eventId: 'r-1' }),
          inspection({ eventId: 'r-2', receivedAt: '2026-11-25T10:00:01.000Z' }),
        ],
        mesEvents: [
          {
            orderRef: 'PO-1',
            effectiveAt: at,
            recordedAt: at,
            type: 'OperationCompleted',
            summary: 'too much',
            eventId: 'e-1',
            outcome: 'rejected',
          },
          {
            orderRef: 'PO-1',
            effectiveAt: at,
            recordedAt: at,
            type: 'MaterialProduced',
            summary: 'ok',
            eventId: 'e-2',
            outcome: 'accepted',
          },
        ],
        ncrs: [
          {
            ncrId: 'NCR-1',
            workflowId: 'ncr:NCR-1',
            origin: 'inspection',
            status: 'closed',
            dispositions: [],
            openedAt: at,
          },
        ],
        parked: [
          {
            source: 'lot:FG-100:L-1',
            step: 'sap-batch',
            summary: 'Set batch unrestricted',
            reason: 'BusinessRule: locked',
            parkedAt: at,
            decision: { action: 'skip', by: 'op.sam', reason: 'done by hand', at },
          },
        ],
        signatures: [
          {
            userId: 'qp.marc',
            printedName: 'Marc Dubois',
            meaning: 'approved_for_release',
            meaningText: 'Approved for release',
            reason: 'NCR-1 used as is',
            signedAt: at,
            recordHash: 'f'.repeat(64),
            reauth: { method: 'password', at },
            context: 'lot disposition LOT-1-D1',
            recordId: 'LOT-1-D1',
            override: true,
          },
        ],
        holds: [{ holdId: 'H-1', source: 'person', reason: 'label', placedBy: 'qa.anna', placedAt: at }],
        drift: [{ ...exception, exceptionId: 'Drift:d-1', kind: 'Drift', summary: 'batch unrestricted in SAP' }],
        exceptions: [{ ...exception, exceptionId: 'LateLotRequest:l-1', kind: 'LateLotRequest', summary: 'late hold' }],
      }),
    );
    const byCategory = review.exceptions.map((e) => `${e.category} ${e.exceptionId}`).sort();
    assert.deepEqual(byCategory, [
      'business_exception exception:LateLotRequest:l-1',
      'deviation ncr:NCR-1',
      'drift exception:Drift:d-1',
      'hold hold:H-1',
      'late_result late:r-2',
      'manual_decision manual:lot:FG-100:L-1:sap-batch:' + at,
      'manual_decision override:LOT-1-D1',
      'out_of_specification oos:r-1',
      'parked_step parked:lot:FG-100:L-1:sap-batch:' + at,
      'refused_event refused:PO-1:e-1',
    ]);
    assert.equal(review.counts.hold, 1);
    assert.ok(!review.reviewedBySystem.includes('holds'));
    assert.ok(review.reviewedBySystem.includes('postings'));
  });

  it('judges a value against the specification limits, inclusive; a failed result is out of specification', () => {
    const spec = { lowerLimit: '16', upperLimit: '25' };
    assert.equal(withinSpecification({ result: 'pass', value: '16' }, spec), true);
    assert.equal(withinSpecification({ result: 'pass', value: '25.0' }, spec), true);
    assert.equal(
      withinSpecification({ result: 'pass', value: '25.01' }, spec),
      false,
      'a pass outside the limits is still out',
    );
    assert.equal(withinSpecification({ result: 'pass', value: '3' }, { lowerLimit: null, upperLimit: '5' }), true);
    assert.equal(withinSpecification({ result: 'fail' }, undefined), false);
    assert.equal(withinSpecification({ result: 'pass' }, spec), true);
  });

  it('a release needs every listed exception acknowledged with a comment, and nothing the record does not list', () => {
    assert.equal(reviewRefusal([], []), undefined);
    assert.match(
      reviewRefusal(['hold:H-1', 'ncr:N'], [{ exceptionId: 'ncr:N', comment: 'ok' }])!,
      /not acknowledged: hold:H-1$/,
    );
    assert.match(
      reviewRefusal(['hold:H-1'], [{ exceptionId: 'hold:H-1', comment: '   ' }])!,
      /not acknowledged: hold:H-1/,
    );
    assert.match(
      reviewRefusal(
        ['hold:H-1'],
        [
          { exceptionId: 'hold:H-1', comment: 'ok' },
          { exceptionId: 'hold:H-9', comment: 'typo' },
        ],
      )!,
      /does not list: hold:H-9/,
    );
  });
});

describe('lot record: postings and the documents the ERPs returned', () => {
  const call = (activity: string, input: unknown, result: unknown): ActivityCall => ({
    workflowId: 'order:1710:PO-1',
    activity,
    summary: activity,
    input,
    outcome: 'completed',
    result,
    scheduledAt: at,
    endedAt: at,
  });

  it('keeps ERP writes for this lot, its parents and the order; leaves reads, other systems and other lots out', () => {
    const postings = erpPostings(
      [
        call(
          'sapPostConfirmation',
          { order: '1000000' },
          { confirmationGroup: '200', confirmationCount: '1', alreadyPosted: false, messages: [] },
        ),
        call('sapPostGoodsMovement', { batch: 'L-1' }, { materialDocument: '4900000002', year: '2026' }),
        call('sapPostGoodsMovement', { batch: 'H-1001' }, { materialDocument: '4900000000', year: '2026' }),
        call('odooRecordProduction', { lot: 'L-2' }, { moveLineId: 7 }),
        call('sapReadBatch', { batch: 'L-1' }, { restricted: true }),
        call('sapFindInspectionLot', { batch: 'L-1' }, { lots: [] }),
        call('qmsRecordSignedDisposition', { lotId: 'L-1' }, { outcome: 'recorded' }),
      ],
      'L-1',
      new Set(['H-1001']),
    );
    assert.deepEqual(
      postings.map((p) => `${p.system} ${p.activity} ${JSON.stringify(p.documents)}`),
      [
        'sap sapPostConfirmation {"confirmationGroup":"200","confirmationCount":"1"}',
        'sap sapPostGoodsMovement {"materialDocument":"4900000002","year":"2026"}',
        'sap sapPostGoodsMovement {"materialDocument":"4900000000","year":"2026"}',
      ],
    );
  });

  it('reads documents as text: numbers, names, lists of names and quantities; not flags or messages', () => {
    assert.deepEqual(
      documentsOf({
        moveLineId: 4,
        moName: 'WH/MO/00001',
        lotsProducing: ['L-1', 'L-2'],
        qty: { value: '5', uom: 'EA' },
        changed: true,
        messages: [{ a: 1 }],
      }),
      { moveLineId: '4', moName: 'WH/MO/00001', lotsProducing: 'L-1, L-2', qty: '5 EA' },
    );
    assert.deepEqual(documentsOf(undefined), {});
  });
});
