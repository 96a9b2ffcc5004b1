import assert from 'node:assert/strict';
import {
  confirmationReads,
  findDrifts,
  repairOf,
  type LotFacts,
  type OdooLotReading,
  type OrderFacts,
  type RecordedConfirmation,
  type SiteReadings,
} from '../../../domain/reconciliation';

const AT = '2026-12-04T10:00:00.000Z';
const EA = (value: string) => ({ value, uom: 'EA' });
const confirmation = (step: string): RecordedConfirmation => ({
  step,
  key: `order:1710:PO-1/${step}`,
  operation: '0010',
  yield: EA('40'),
  scrap: EA('0'),
  rework: EA('0'),
  final: false,
  postingDate: '2026-12-04',
});
const order = (over: Partial<OrderFacts> = {}): OrderFacts => ({
  workflowId: 'order:1710:PO-1',
  orderRef: 'PO-1',
  status: 'in_progress',
  sapOrder: '1000001',
  odooMo: 'WH/MO/00001',
  confirmations: [confirmation('e1/sap-confirmation')],
  ...over,
});
const lot = (over: Partial<LotFacts> = {}): LotFacts => ({
  workflowId: 'lot:FG-100:L1',
  material: 'FG-100',
  lotId: 'L1',
  status: 'restricted',
  settled: true,
  odooQuarantined: true,
  ...over,
});
const odooLot = (over: Partial<OdooLotReading> = {}): OdooLotReading => ({
  material: 'FG-100',
  lot: 'L1',
  place: 'quarantine',
  location: 'WH/Quarantine',
  lastMoveLine: 7,
  ...over,
});
const inStep = (over: Partial<SiteReadings> = {}): SiteReadings => ({
  confirmations: [{ key: 'order:1710:PO-1/e1/sap-confirmation', state: 'posted', reversals: 0, reapplyKey: 'k' }],
  productions: [{ name: 'WH/MO/00001', state: 'progress' }],
  batches: [{ material: 'FG-100', batch: 'L1', found: true, restricted: true, lastChangedAt: AT }],
  odooLots: [odooLot()],
  ...over,
});

describe('Reconciliation rules (domain/reconciliation)', () => {
  it('finds nothing when the systems hold what plantflow recorded', () => {
    assert.deepEqual(findDrifts('1710', [order()], [lot()], inStep(), AT), []);
  });

  it('a confirmation cancelled in SAP is drift with a repair under the next re-application key', () => {
    const read = inStep({
      confirmations: [
        {
          key: 'order:1710:PO-1/e1/sap-confirmation',
          state: 'reversed',
          reversals: 1,
          reapplyKey: 'order:1710:PO-1/e1/sap-confirmation/reapply/1',
        },
      ],
    });
    const [drift, ...more] = findDrifts('1710', [order()], [], read, AT);
    assert.equal(more.length, 0);
    assert.equal(drift!.report.key, 'sap-confirmation:order:1710:PO-1/e1/sap-confirmation:reversed-1');
    assert.equal(drift!.report.reason.code, 'ConfirmationCancelled');
    assert.equal(drift!.provablyOurs, false, 'someone cancelled it: an operator decides');
    assert.deepEqual(drift!.report.actions, ['reapply', 'accept', 'ignore']);
    assert.deepEqual(repairOf(drift!.report.expected), {
      kind: 'postConfirmation',
      order: '1000001',
      operation: '0010',
      yield: EA('40'),
      scrap: EA('0'),
      rework: EA('0'),
      final: false,
      postingDate: '2026-12-04',
      idempotencyKey: 'order:1710:PO-1/e1/sap-confirmation/reapply/1',
    });
  });

  it('a confirmation SAP lacks altogether is drift plantflow provably caused', () => {
    const read = inStep({
      confirmations: [{ key: 'order:1710:PO-1/e1/sap-confirmation', state: 'missing', reversals: 0, reapplyKey: 'x' }],
    });
    const [drift] = findDrifts('1710', [order()], [], read, AT);
    assert.equal(drift!.report.reason.code, 'ConfirmationMissing');
    assert.equal(drift!.provablyOurs, true);
  });

  it('an Odoo MO cancelled under a running order is drift that can only be accepted or ignored', () => {
    const read = inStep({ productions: [{ name: 'WH/MO/00001', state: 'cancel' }] });
    const [drift] = findDrifts('1710', [order()], [], read, AT);
    assert.equal(drift!.report.reason.code, 'OdooOrderStatus');
    assert.deepEqual(drift!.report.actions, ['accept', 'ignore']);
    assert.equal(repairOf(drift!.report.expected), undefined);
    // The first MO of a chain is done while the order runs on: not drift.
    const chain = inStep({ productions: [{ name: 'WH/MO/00001', state: 'done' }] });
    assert.deepEqual(findDrifts('1710', [order()], [], chain, AT), []);
  });

  it('orders being released or completed and lots being dispositioned are in flight, not drift', () => {
    const read = inStep({
      productions: [{ name: 'WH/MO/00001', state: 'cancel' }],
      batches: [{ material: 'FG-100', batch: 'L1', found: true, restricted: false, lastChangedAt: AT }],
    });
    assert.deepEqual(
      findDrifts('1710', [order({ status: 'completing' })], [lot({ status: 'releasing' })], read, AT),
      [],
    );
    assert.deepEqual(findDrifts('1710', [], [lot({ settled: false })], read, AT), []);
  });

  it('an unrestricted batch of a restricted lot is drift keyed by its change time; a released lot expects it unrestricted', () => {
    const read = inStep({
      batches: [{ material: 'FG-100', batch: 'L1', found: true, restricted: false, lastChangedAt: AT }],
    });
    const [drift] = findDrifts('1710', [], [lot()], read, AT);
    assert.equal(drift!.report.key, `sap-batch-restriction:FG-100:L1:${AT}`);
    assert.deepEqual(repairOf(drift!.report.expected), {
      kind: 'restrictBatch',
      material: 'FG-100',
      batch: 'L1',
      restricted: true,
    });
    const releasedRead = { ...read, odooLots: [odooLot({ place: 'stock' })] };
    assert.deepEqual(findDrifts('1710', [], [lot({ status: 'released' })], releasedRead, AT), []);
  });

  it('a restricted lot whose Odoo stock left Quarantine is drift, repaired by moving it back', () => {
    const read = inStep({ odooLots: [odooLot({ place: 'stock', location: 'WH/Stock', lastMoveLine: 9 })] });
    const [drift, ...more] = findDrifts('1710', [], [lot()], read, AT);
    assert.equal(more.length, 0);
    assert.equal(drift!.report.key, 'odoo-lot-location:FG-100:L1:9');
    assert.equal(drift!.report.reason.code, 'OdooLotLocation');
    assert.deepEqual(drift!.report.subject, { material: 'FG-100', lotId: 'L1', system: 'odoo' });
    assert.deepEqual(drift!.report.actions, ['reapply', 'accept', 'ignore']);
    assert.equal(drift!.provablyOurs, false);
    assert.deepEqual(repairOf(drift!.report.expected), {
      kind: 'moveOdooLot',
      material: 'FG-100',
      lot: 'L1',
      to: 'quarantine',
    });
    // Moved again by hand after a repair: a new move line, a new drift.
    const again = findDrifts(
      '1710',
      [],
      [lot()],
      inStep({ odooLots: [odooLot({ place: 'elsewhere', lastMoveLine: 12 })] }),
      AT,
    );
    assert.equal(again[0]!.report.key, 'odoo-lot-location:FG-100:L1:12');
  });

  it('a released lot left in Quarantine is drift; released stock elsewhere, no stock or a skipped quarantine is not', () => {
    const released = lot({ status: 'released' });
    const batches = [{ material: 'FG-100', batch: 'L1', found: true, restricted: false, lastChangedAt: AT }];
    const [drift] = findDrifts('1710', [], [released], inStep({ batches }), AT);
    assert.equal(drift!.report.reason.code, 'OdooLotLocation');
    assert.deepEqual(repairOf(drift!.report.expected), {
      kind: 'moveOdooLot',
      material: 'FG-100',
      lot: 'L1',
      to: 'stock',
    });
    for (const place of ['stock', 'elsewhere', 'none'] as const)
      assert.deepEqual(findDrifts('1710', [], [released], inStep({ batches, odooLots: [odooLot({ place })] }), AT), []);
    const inStock = inStep({ odooLots: [odooLot({ place: 'stock' })] });
    assert.deepEqual(findDrifts('1710', [], [lot({ odooQuarantined: false })], inStock, AT), [], 'quarantine skipped');
    assert.deepEqual(findDrifts('1710', [], [lot({ settled: false })], inStock, AT), [], 'disposition in flight');
    assert.deepEqual(findDrifts('1710', [], [lot({ status: 'rejected' })], inStock, AT), [], 'scrap flow');
    assert.deepEqual(findDrifts('1710', [], [lot()], inStep({ odooLots: [odooLot({ place: 'missing' })] }), AT), []);
  });

  it('a restricted lot split over several Odoo locations is drift a person gathers (no reapply)', () => {
    const read = inStep({ odooLots: [odooLot({ place: 'split', location: null })] });
    const [drift] = findDrifts('1710', [], [lot()], read, AT);
    assert.deepEqual(drift!.report.actions, ['accept', 'ignore']);
    assert.equal(repairOf(drift!.report.expected), undefined);
  });

  it('a goods movement whose material document was cancelled in SAP is drift, re-posted under the next key', () => {
    const movement = {
      step: 'e3/sap-goods-issue',
      key: 'order:1710:PO-1/e3/sap-goods-issue',
      movementType: '261' as const,
      material: 'RM-300',
      lotId: 'H-1001',
      quantity: EA('50'),
      postingDate: '2026-12-04',
    };
    const withMovement = order({ goodsMovements: [movement] });
    const reading = (state: 'posted' | 'reversed' | 'missing', reversals: number) => ({
      key: movement.key,
      state,
      reversals,
      reapplyKey: reversals === 0 ? movement.key : `${movement.key}/reapply/${reversals}`,
    });
    assert.deepEqual(
      findDrifts('1710', [withMovement], [], inStep({ materialDocuments: [reading('posted', 1)] }), AT),
      [],
    );
    const [cancelled] = findDrifts(
      '1710',
      [withMovement],
      [],
      inStep({ materialDocuments: [reading('reversed', 1)] }),
      AT,
    );
    assert.equal(cancelled!.report.reason.code, 'MaterialDocumentCancelled');
    assert.equal(cancelled!.report.key, `sap-material-document:${movement.key}:reversed-1`);
    assert.equal(cancelled!.provablyOurs, false);
    assert.deepEqual(repairOf(cancelled!.report.expected), {
      kind: 'postGoodsMovement',
      movementType: '261',
      material: 'RM-300',
      plant: '1710',
      batch: 'H-1001',
      quantity: EA('50'),
      order: '1000001',
      postingDate: '2026-12-04',
      idempotencyKey: `${movement.key}/reapply/1`,
    });
    const [missing] = findDrifts(
      '1710',
      [withMovement],
      [],
      inStep({ materialDocuments: [reading('missing', 0)] }),
      AT,
    );
    assert.equal(missing!.report.reason.code, 'MaterialDocumentMissing');
    assert.equal(missing!.provablyOurs, true);
    const releasing = order({ status: 'releasing', goodsMovements: [movement] });
    assert.deepEqual(
      findDrifts('1710', [releasing], [], inStep({ materialDocuments: [reading('missing', 0)] }), AT),
      [],
    );
  });

  it('batches reads so a 5,000-order look-back stays within 40 orders and 400 confirmations per call', () => {
    const items = Array.from({ length: 5000 }, (_, o) =>
      Array.from({ length: 3 }, (_, c) => ({ order: String(1_000_000 + o), key: `k${o}/${c}` })),
    ).flat();
    const reads = confirmationReads(items, 40, 400);
    assert.equal(reads.length, 125);
    for (const read of reads) {
      assert.ok(new Set(read.map((i) => i.order)).size <= 40);
      assert.ok(read.length <= 400);
    }
    assert.equal(reads.flat().length, items.length);
  });
});
