import assert from 'node:assert/strict';
import {
  applyDecision,
  carriedExceptions,
  countExceptions,
  decisionRefusal,
  recordReport,
  selectExceptions,
} from '../../../domain/exception-record';
import type { BusinessException, ExceptionReport } from '../../../domain/exceptions';

const report = (over: Partial<ExceptionReport> = {}): ExceptionReport => ({
  kind: 'EventForClosedOrder',
  key: 'order:1710:PO-1/evt-1',
  site: '1710',
  subject: { orderRef: 'PO-1', eventId: 'evt-1', system: 'mes' },
  summary: 'MES event evt-1 for order PO-1, which has closed',
  reason: { code: 'OrderClosed', message: 'order PO-1 is closed' },
  at: '2026-12-04T06:00:00.000Z',
  ...over,
});
const decision = {
  exceptionId: 'EventForClosedOrder:order:1710:PO-1/evt-1',
  by: 'qa.lead',
  reason: 'late resend, nothing to do',
};

describe('business exception record rules', () => {
  it('opens an exception on its first report, with the default actions and the situation as its id', () => {
    const kept = recordReport(undefined, report());
    assert.equal(kept.exceptionId, 'EventForClosedOrder:order:1710:PO-1/evt-1');
    assert.equal(kept.status, 'open');
    assert.equal(kept.occurrences, 1);
    assert.deepEqual(kept.actions, ['acknowledge', 'resolve']);
    assert.equal(kept.firstSeenAt, kept.lastSeenAt);
  });

  it('counts the same situation seen again as one exception, keeping the newest details and the first sighting', () => {
    const first = recordReport(undefined, report());
    const again = recordReport(first, report({ at: '2026-12-04T07:00:00.000Z', summary: 'resent' }));
    assert.equal(again.occurrences, 2);
    assert.equal(again.firstSeenAt, '2026-12-04T06:00:00.000Z');
    assert.equal(again.lastSeenAt, '2026-12-04T07:00:00.000Z');
    assert.equal(again.summary, 'resent');
    // A report that arrives late (older than the newest) counts, but does not roll the details back.
    const late = recordReport(again, report({ at: '2026-12-04T05:00:00.000Z', summary: 'older' }));
    assert.equal(late.occurrences, 3);
    assert.equal(late.summary, 'resent');
    assert.equal(late.firstSeenAt, '2026-12-04T05:00:00.000Z');
  });

  it('reopens a resolved exception whose situation is seen again, dropping the old resolution', () => {
    const resolved = applyDecision(
      recordReport(undefined, report()),
      { ...decision, action: 'resolve' },
      '2026-12-04T06:30:00.000Z',
    );
    assert.equal(resolved.status, 'resolved');
    const reopened = recordReport(resolved, report({ at: '2026-12-04T08:00:00.000Z' }));
    assert.equal(reopened.status, 'open');
    assert.equal(reopened.resolution, undefined);
  });

  it('refuses a decision on an unknown exception, a resolved one, or with an action the kind does not offer', () => {
    const kept = recordReport(undefined, report());
    assert.match(decisionRefusal(undefined, { ...decision, action: 'resolve' })!, /no exception/);
    assert.match(
      decisionRefusal(kept, { ...decision, action: 'reapply' })!,
      /offers acknowledge, resolve, not reapply/,
    );
    assert.equal(decisionRefusal(kept, { ...decision, action: 'acknowledge' }), undefined);
    const drift = recordReport(undefined, report({ kind: 'Drift', actions: ['reapply', 'accept', 'ignore'] }));
    assert.equal(decisionRefusal(drift, { ...decision, exceptionId: drift.exceptionId, action: 'reapply' }), undefined);
    const done = applyDecision(kept, { ...decision, action: 'acknowledge' }, '2026-12-04T06:10:00.000Z');
    assert.match(
      decisionRefusal(done, { ...decision, action: 'resolve' })!,
      /already resolved \(acknowledge by qa\.lead\)/,
    );
  });

  it('lists newest first, filtered by status, kind and subject, and counts open and total per kind', () => {
    const a = recordReport(undefined, report());
    const b = recordReport(
      undefined,
      report({ key: 'k2', at: '2026-12-04T09:00:00.000Z', subject: { orderRef: 'PO-2' } }),
    );
    const c = applyDecision(
      recordReport(undefined, report({ kind: 'SigningFailure', key: 's1', subject: { signerId: 'qp1' } })),
      { ...decision, exceptionId: 'SigningFailure:s1', action: 'acknowledge' },
      '2026-12-04T10:00:00.000Z',
    );
    const all = [a, b, c];
    assert.deepEqual(
      selectExceptions(all).map((e) => e.exceptionId),
      [b.exceptionId, a.exceptionId, c.exceptionId],
    );
    assert.deepEqual(selectExceptions(all, { status: 'open', subject: { orderRef: 'PO-1' } }), [a]);
    assert.deepEqual(selectExceptions(all, { kind: 'SigningFailure' }), [c]);
    assert.deepEqual(selectExceptions(all, { limit: 1 }), [b]);
    assert.deepEqual(countExceptions(all), {
      EventForClosedOrder: { open: 2, total: 2 },
      SigningFailure: { open: 0, total: 1 },
    });
  });

  it('carries every open exception and only the newest resolved ones into the next run', () => {
    const open = recordReport(undefined, report());
    const resolvedAt = (i: number): BusinessException =>
      applyDecision(
        recordReport(undefined, report({ key: `r${i}` })),
        { ...decision, exceptionId: `EventForClosedOrder:r${i}`, action: 'resolve' },
        `2026-12-04T1${i}:00:00.000Z`,
      );
    const carried = carriedExceptions([resolvedAt(1), open, resolvedAt(3), resolvedAt(2)], 2);
    assert.deepEqual(
      carried.map((e) => e.exceptionId),
      [open.exceptionId, 'EventForClosedOrder:r3', 'EventForClosedOrder:r2'],
    );
  });
});
