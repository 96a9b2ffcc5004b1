import assert from 'node:assert/strict';
import {
  findDrifts,
  repairOf,
  type OrderFacts,
  type RecordedConfirmation,
  type SiteReadings,
} from '../../../domain/reconciliation';

const AT = '2026-12-04T10:00:00.000Z';
const EA = (value: string) => ({ value, uom: 'EA' });
const confirmation = (step: string, operation: string, y: string): RecordedConfirmation => ({
  step,
  key: `order:1710:PO-1/${step}`,
  operation,
  yield: EA(y),
  scrap: EA('0'),
  rework: EA('0'),
  final: false,
  postingDate: '2026-12-04',
});
const order = (over: Partial<OrderFacts> = {}): OrderFacts => ({
  workflowId: 'order:1710:PO-1',
  orderRef: 'PO-1',
  status: 'completed',
  sapOrder: '1000001',
  odooMo: 'WH/MO/00001',
  confirmations: [confirmation('e1/sap-confirmation', '0010', '30'), confirmation('e2/sap-confirmation', '0010', '10')],
  produced: EA('40'),
  postingsInFlight: false,
  ...over,
});
const posted = (step: string) => ({
  key: `order:1710:PO-1/${step}`,
  state: 'posted' as const,
  reversals: 0,
  reapplyKey: 'k',
});
const agreeing = (over: Partial<SiteReadings> = {}): SiteReadings => ({
  confirmations: [posted('e1/sap-confirmation'), posted('e2/sap-confirmation')],
  productions: [{ name: 'WH/MO/00001', state: 'done', produced: EA('40') }],
  batches: [],
  odooLots: [],
  sapYields: [{ order: '1000001', operation: '0010', yield: EA('40'), confirmations: 2 }],
  ...over,
});
const codes = (read: SiteReadings, o = order()) =>
  findDrifts('1710', [o], [], read, AT).map((d) => d.report.reason.code);

describe('Reconciliation of produced quantities (domain/reconciliation-produced)', () => {
  it('finds nothing when the order, the Odoo MO chain and SAP agree', () => {
    assert.deepEqual(codes(agreeing()), []);
  });

  it('SAP confirmed yield above what plantflow confirmed (a confirmation by hand) is drift to accept or ignore', () => {
    const read = agreeing({ sapYields: [{ order: '1000001', operation: '0010', yield: EA('45'), confirmations: 3 }] });
    const [drift, ...more] = findDrifts('1710', [order()], [], read, AT);
    assert.equal(more.length, 0);
    assert.equal(drift!.report.reason.code, 'ConfirmedYieldDiffers');
    assert.equal(drift!.report.key, 'produced-quantity:sap:order:1710:PO-1:0010:45EA');
    assert.deepEqual(drift!.report.actions, ['accept', 'ignore']);
    assert.equal(drift!.provablyOurs, false);
    assert.equal(repairOf(drift!.report.expected), undefined, 'which system is right needs a person');
    assert.deepEqual((drift!.report.actual as { yield: unknown }).yield, EA('45'));
    assert.match(drift!.report.summary, /45 EA confirmed yield, plantflow confirmed 40 EA/);
  });

  it('an operation SAP has confirmations for that plantflow never confirmed is drift', () => {
    const read = agreeing({
      sapYields: [
        { order: '1000001', operation: '0010', yield: EA('40'), confirmations: 2 },
        { order: '1000001', operation: '0020', yield: EA('5'), confirmations: 1 },
      ],
    });
    const keys = findDrifts('1710', [order()], [], read, AT).map((d) => d.report.key);
    assert.deepEqual(keys, ['produced-quantity:sap:order:1710:PO-1:0020:5EA']);
  });

  it('a confirmation of plantflow cancelled in SAP is reported once, by its key with reapply, not as a quantity', () => {
    const read = agreeing({
      confirmations: [
        posted('e1/sap-confirmation'),
        { key: 'order:1710:PO-1/e2/sap-confirmation', state: 'reversed', reversals: 1, reapplyKey: 'r' },
      ],
      sapYields: [{ order: '1000001', operation: '0010', yield: EA('30'), confirmations: 1 }],
    });
    assert.deepEqual(codes(read), ['ConfirmationCancelled']);
  });

  it('the same quantity seen again keeps its key; another change by hand is a new drift', () => {
    const at = (y: string) =>
      findDrifts(
        '1710',
        [order()],
        [],
        agreeing({ sapYields: [{ order: '1000001', operation: '0010', yield: EA(y), confirmations: 3 }] }),
        AT,
      )[0]!.report.key;
    assert.equal(at('45'), at('45'));
    assert.notEqual(at('45'), at('50'));
  });

  it('the Odoo MO chain done with another quantity than the order produced is drift to accept or ignore', () => {
    const read = agreeing({ productions: [{ name: 'WH/MO/00001', state: 'done', produced: EA('38') }] });
    const [drift, ...more] = findDrifts('1710', [order()], [], read, AT);
    assert.equal(more.length, 0);
    assert.equal(drift!.report.reason.code, 'ProducedQuantityDiffers');
    assert.equal(drift!.report.key, 'produced-quantity:odoo:order:1710:PO-1:WH/MO/00001:38EA');
    assert.equal(drift!.report.subject.system, 'odoo');
    assert.deepEqual(drift!.report.actions, ['accept', 'ignore']);
    assert.deepEqual(drift!.report.expected, { value: { produced: EA('40') } });
  });

  it('an Odoo quantity in another unit than the order is drift, never compared as a number', () => {
    const read = agreeing({
      productions: [{ name: 'WH/MO/00001', state: 'done', produced: { value: '40', uom: 'KGM' } }],
    });
    assert.deepEqual(codes(read), ['ProducedQuantityDiffers']);
  });

  it('postings queued or parked are in flight: no quantity is compared', () => {
    const read = agreeing({
      productions: [{ name: 'WH/MO/00001', state: 'done', produced: EA('38') }],
      sapYields: [{ order: '1000001', operation: '0010', yield: EA('45'), confirmations: 3 }],
    });
    assert.deepEqual(codes(read, order({ postingsInFlight: true })), []);
  });

  it('an open MO chain (no done quantity read) and facts without quantities compare nothing', () => {
    const open = agreeing({ productions: [{ name: 'WH/MO/00001', state: 'progress' }] });
    assert.deepEqual(codes(open, order({ status: 'in_progress' })), []);
    const old = agreeing({ productions: [{ name: 'WH/MO/00001', state: 'done', produced: EA('38') }] });
    assert.deepEqual(codes(old, order({ produced: undefined })), []);
  });

  it('runs that predate the comparison (no SAP yields read) compare no quantity', () => {
    const read = agreeing({ productions: [{ name: 'WH/MO/00001', state: 'done', produced: EA('38') }] });
    delete read.sapYields;
    assert.deepEqual(codes(read), []);
  });

  it('orders being released or completed are in flight, not drift', () => {
    const read = agreeing({ sapYields: [{ order: '1000001', operation: '0010', yield: EA('45'), confirmations: 3 }] });
    assert.deepEqual(codes(read, order({ status: 'completing' })), []);
  });
});
