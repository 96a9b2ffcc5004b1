import assert from 'node:assert/strict';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { lotWorkflowId } from '../../domain/ids';
import {
  liftLotHoldSignal,
  lotNcrStatusSignal,
  lotStockReceivedSignal,
  placeLotHoldSignal,
} from '../../workflows/messages/lot';
import { OverdueAttr } from '../../workflows/search-attributes';
import { timeSkippingEnv } from '../setup/temporal-env';
import { businessRule } from './support/fakes';
import {
  defaultLotSystems,
  lotClient,
  produce,
  result,
  signer,
  trackLot,
  uniqueLotId,
  withLotWorkers,
  sign,
} from './support/lot-harness';
import { eventually } from './support/order-harness';

function refusal(err: unknown): string {
  assert.ok(err instanceof WorkflowUpdateFailedError, `expected an update failure, got ${String(err)}`);
  assert.ok(err.cause instanceof ApplicationFailure);
  return `${err.cause.type}: ${err.cause.message}`;
}
const rejectsWith = (p: Promise<unknown>, pattern: RegExp) =>
  assert.rejects(p, (e) => (assert.match(refusal(e), pattern), true));
const release = { decision: 'release', meaning: 'approved_for_release' } as const;

describe('lot: inspections, NCRs, holds and the release deadline (time-skipping, mocked systems)', function () {
  this.timeout(120_000);

  it('a failed inspection holds the lot and opens one NCR; only the NCR lifts its hold, and a release waits until it is closed', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultLotSystems();
    const lots = lotClient(env);
    const lotId = uniqueLotId();
    const ncrId = `NCR-FG-100-${lotId}-PRESSURE`;
    await withLotWorkers(env, systems, async () => {
      await produce(env, lotId);
      const failed = result('PRESSURE', 'fail');
      await lots.recordInspection({ material: 'FG-100', lotId, ...failed });
      await lots.recordInspection({ material: 'FG-100', lotId, ...failed }); // resent: ignored
      await lots.recordInspection({ material: 'FG-100', lotId, ...result('VISUAL', 'pass') });
      await lots.recordInspection({ material: 'FG-100', lotId, ...result('LEAK', 'pass') }); // not in the plan: refused
      const held = await eventually(
        () => lots.status('FG-100', lotId),
        (s) => s.status === 'on_hold' && s.ncrs[0]?.status === 'open',
      );
      assert.deepEqual(
        held.holds.map((h) => [h.holdId, h.source, h.ncrId]),
        [[ncrId, 'ncr', ncrId]],
      );
      assert.equal(held.results.length, 2);
      assert.match(held.refusedResults[0]!.reason, /LEAK is not in plan IP-FG-100/);
      const handle = lots.handle('FG-100', lotId);
      await handle.signal(lotStockReceivedSignal, { orderRef: `PO-${lotId}`, receivedAt: new Date().toISOString() });

      const marc = await signer(env, 'qp.marc');
      await rejectsWith(
        sign(lots, 'FG-100', lotId, { ...release, override: true, reason: 'no impact' }, marc),
        new RegExp(`^ReleaseBlocked: the lot is on hold: ${ncrId} \\(ncr ${ncrId}: failed inspection PRESSURE`),
      );
      await rejectsWith(
        lots.liftHold('FG-100', lotId, { holdId: ncrId, by: 'qa.anna', reason: 'looks fine' }),
        new RegExp(`^HoldRefused: hold ${ncrId} belongs to nonconformance ${ncrId}; only the NCR lifts it`),
      );

      // The NCR's containment names its own hold id: it joins the lot's hold; lifting by it lifts both.
      await handle.signal(placeLotHoldSignal, {
        holdId: `CONTAIN-${lotId}`,
        reason: 'containment',
        by: 'ncr',
        source: 'ncr',
        ncrId,
      });
      await handle.signal(liftLotHoldSignal, {
        holdId: `CONTAIN-${lotId}`,
        by: 'qa.anna',
        reason: 'dispositioned use-as-is',
        ncrId,
      });
      await lots.recordInspection({ material: 'FG-100', lotId, ...result('PRESSURE', 'pass') });
      const lifted = await eventually(
        () => lots.status('FG-100', lotId),
        (s) => s.status === 'restricted' && s.requiredNotPassed.length === 0,
      );
      assert.deepEqual(lifted.openNcrs, [ncrId], 'lifting the hold does not close the NCR');
      await rejectsWith(
        sign(lots, 'FG-100', lotId, release, marc),
        new RegExp(`^ReleaseBlocked: cannot release: open nonconformance ${ncrId}`),
      );

      await handle.signal(lotNcrStatusSignal, { ncrId, status: 'closed', at: new Date().toISOString(), by: 'qa.anna' });
      await eventually(
        () => lots.status('FG-100', lotId),
        (s) => s.openNcrs.length === 0,
      );
      const signed = await sign(lots, 'FG-100', lotId, release, marc);
      assert.deepEqual(signed.record.openNcrs, []);
      await eventually(
        () => lots.status('FG-100', lotId),
        (s) => s.status === 'released',
      );
    });
    const opened = systems.called('plantflowOpenNcr');
    assert.equal(opened.length, 1);
    const { start } = opened[0]!.input;
    assert.deepEqual(
      { ncrId: start.ncrId, source: start.source, lots: start.lots, inspection: start.inspection },
      {
        ncrId,
        source: 'inspection',
        lots: [{ material: 'FG-100', lotId, quantity: { value: '100', uom: 'EA' } }],
        inspection: { characteristic: 'PRESSURE', value: '12', unit: 'bar', result: 'fail' },
      },
    );
    assert.deepEqual(
      systems
        .called('qmsRecordInspectionResult')
        .map((c) => `${String(c.input.characteristic)}:${String(c.input.result)}`),
      ['PRESSURE:fail', 'VISUAL:pass', 'PRESSURE:pass'],
    );
    assert.deepEqual(
      systems.called('odooRecordQualityCheck').map((c) => c.input.result),
      ['fail', 'pass', 'pass'],
    );
  });

  it('people hold and lift (qa/qp); a held lot cannot be released until every hold is lifted', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultLotSystems();
    const lots = lotClient(env);
    const lotId = uniqueLotId();
    await withLotWorkers(env, systems, async () => {
      await produce(env, lotId);
      for (const c of ['PRESSURE', 'VISUAL'])
        await lots.recordInspection({ material: 'FG-100', lotId, ...result(c, 'pass') });
      await eventually(
        () => lots.status('FG-100', lotId),
        (s) => s.status === 'restricted' && s.requiredNotPassed.length === 0,
      );
      assert.deepEqual(
        await lots.placeHold('FG-100', lotId, {
          holdId: 'H-1',
          reason: 'customer complaint on sister lot',
          by: 'qa.anna',
        }),
        { holds: 1, status: 'on_hold' },
      );
      await lots.placeHold('FG-100', lotId, { holdId: 'H-2', reason: 'label review', by: 'qp.marc' });
      const marc = await signer(env, 'qp.marc');
      await rejectsWith(
        sign(lots, 'FG-100', lotId, release, marc),
        /^ReleaseBlocked: the lot is on hold: H-1 \(person: customer complaint on sister lot\); H-2/,
      );
      await rejectsWith(
        lots.liftHold('FG-100', lotId, { holdId: 'H-9', by: 'qa.anna', reason: 'x' }),
        /^UnknownHold: no active hold H-9 \(active: H-1, H-2\)/,
      );
      await rejectsWith(
        lots.liftHold('FG-100', lotId, { holdId: 'H-1', by: 'qa.anna', reason: ' ' }),
        /^InvalidHold: lifting a hold needs a reason/,
      );
      await lots.liftHold('FG-100', lotId, { holdId: 'H-1', by: 'qa.anna', reason: 'complaint not confirmed' });
      await rejectsWith(sign(lots, 'FG-100', lotId, release, marc), /on hold: H-2/);
      assert.deepEqual(
        await lots.liftHold('FG-100', lotId, { holdId: 'H-2', by: 'qp.marc', reason: 'labels checked' }),
        { holds: 0, status: 'restricted' },
      );
      await lots
        .handle('FG-100', lotId)
        .signal(lotStockReceivedSignal, { orderRef: `PO-${lotId}`, receivedAt: new Date().toISOString() });
      systems.when('odooReleaseLotFromQuarantine', () => {
        throw businessRule('Odoo: quant is reserved', 'odoo');
      });
      await sign(lots, 'FG-100', lotId, release, marc);
      const parked = await eventually(
        () => lots.status('FG-100', lotId),
        (s) => s.needsAttention,
      );
      assert.equal(parked.status, 'releasing');
      await rejectsWith(
        lots.placeHold('FG-100', lotId, { holdId: 'H-3', reason: 'late doubt', by: 'qa.anna' }),
        /^LotDecided: the lot is releasing; a decided lot is contained through a nonconformance/,
      );
      systems.reset('odooReleaseLotFromQuarantine');
      await lots.resolveParkedStep('FG-100', lotId, {
        step: parked.parked[0]!.step,
        action: 'retry',
        reason: 'reservation removed',
        by: 'op.lee',
      });
      await eventually(
        () => lots.status('FG-100', lotId),
        (s) => s.status === 'released',
      );
    });
  });

  it('a signed hold decision holds the lot, tells the order (not final), chains the next record to it', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultLotSystems();
    const lots = lotClient(env);
    const lotId = uniqueLotId();
    await withLotWorkers(env, systems, async () => {
      await produce(env, lotId);
      await eventually(
        () => lots.status('FG-100', lotId),
        (s) => s.status === 'restricted',
      );
      const hold = await sign(
        lots,
        'FG-100',
        lotId,
        { decision: 'hold', meaning: 'placed_on_hold', reason: 'await retest of PRESSURE rig calibration' },
        await signer(env, 'qa.anna'),
      );
      assert.equal(hold.record.toDisposition, 'Restricted');
      const held = await eventually(
        () => lots.status('FG-100', lotId),
        (s) => s.orderNotifications.length === 1,
      );
      assert.equal(held.status, 'on_hold');
      assert.deepEqual(
        held.orderNotifications.map((n) => [n.disposition, n.final]),
        [['on_hold', false]],
      );
      const reject = {
        decision: 'reject',
        meaning: 'rejected',
        reason: 'rig out of calibration; lot untestable',
      } as const;
      await lots
        .handle('FG-100', lotId)
        .signal(lotStockReceivedSignal, { orderRef: `PO-${lotId}`, receivedAt: new Date().toISOString() });
      const rejected = await sign(lots, 'FG-100', lotId, reject, await signer(env, 'qp.marc'));
      assert.equal(rejected.record.sequence, 2);
      assert.equal(rejected.record.previousRecordHash, hold.signature.recordHash, 'records chain by hash');
      assert.deepEqual(rejected.record.holds, [hold.recordId]);
      await eventually(
        () => lots.status('FG-100', lotId),
        (s) => s.status === 'rejected',
      );
    });
    assert.deepEqual(
      systems.called('qmsRecordSignedDisposition').map((c) => c.input.decision),
      ['hold', 'reject'],
    );
  });

  it('escalates once when the release deadline passes (days of skipped time): Overdue=true and a notification', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultLotSystems();
    const lots = lotClient(env);
    const [late, early] = [uniqueLotId('S'), uniqueLotId('S')];
    await withLotWorkers(env, systems, async () => {
      trackLot('FG-100', late);
      trackLot('FG-100', early);
      await lots.receive({
        material: 'FG-100',
        lotId: late,
        site: '1710',
        quantity: { value: '40', uom: 'EA' },
        receivedBy: 'plan.eva',
        supplier: 'Pumpco',
        releaseWithin: '2 days',
      });
      await lots.receive({
        material: 'FG-100',
        lotId: early,
        site: '1710',
        quantity: { value: '40', uom: 'EA' },
        receivedBy: 'plan.eva',
        releaseWithin: '2 days',
      });
      await eventually(
        () => lots.status('FG-100', early),
        (s) => s.status === 'restricted' && s.registration.quarantine === 'done',
      );
      await sign(
        lots,
        'FG-100',
        early,
        { decision: 'reject', meaning: 'rejected', reason: 'wrong supplier certificate' },
        await signer(env, 'qa.anna'),
      );
      await eventually(
        () => lots.status('FG-100', early),
        (s) => s.status === 'rejected',
      );
      await eventually(
        () => lots.status('FG-100', late),
        (s) => s.status === 'restricted',
      );
      assert.equal((await lots.status('FG-100', late)).sla.overdue, false);

      await env.sleep('3 days');
      const overdue = await eventually(
        () => lots.status('FG-100', late),
        (s) => s.sla.overdue,
      );
      assert.ok(overdue.sla.escalatedAt);
      assert.equal((await lots.handle('FG-100', late).describe()).typedSearchAttributes.get(OverdueAttr), true);
      await env.sleep('3 days');
    });
    const mine = (id: string) =>
      systems.called('plantflowNotify').filter((c) => c.input.workflowId === lotWorkflowId('FG-100', id));
    assert.equal(mine(late).length, 1, 'escalates once');
    assert.equal(mine(late)[0]!.input.kind, 'escalation');
    assert.match(String(mine(late)[0]!.input.subject), new RegExp(`Lot ${late} of FG-100 is overdue for release`));
    assert.equal(mine(early).length, 0, 'a lot decided in time never escalates');
  });
});
