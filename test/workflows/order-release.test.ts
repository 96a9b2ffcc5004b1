import assert from 'node:assert/strict';
import { temporal } from '@temporalio/proto';
import { orderWorkflowId } from '../../domain/ids';
import { Context } from '@temporalio/activity';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { OrderClient } from '../../client/orders';
import { timeSkippingEnv } from '../setup/temporal-env';
import { businessRule } from './support/fakes';
import { demoOrderInput } from '../support/orders';
import {
  defaultOrderSystems,
  eventually,
  ORDER_DEFAULTS,
  orderClient,
  withOrderWorkers,
} from './support/order-harness';
import { NeedsAttentionAttr, OrderStatusAttr } from '../../workflows/search-attributes';

let n = 0;
const uniqueRef = () => `PO-R${Date.now() % 100000}-${++n}`;

const { EventType } = temporal.api.enums.v1;
const WFT_COMPLETED = EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED;
const workflowTaskEvents = [
  EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
  WFT_COMPLETED,
];

/** An order naming an MO that Odoo does not hold (until the test resets the fake). */
async function missingMo() {
  const env = await timeSkippingEnv();
  const systems = defaultOrderSystems().when('odooReadManufacturingOrder', () => {
    throw businessRule('Odoo has no manufacturing order MO-404', 'odoo');
  });
  return { env, systems, orders: orderClient(env), ref: uniqueRef() };
}

/** Releases the order and waits until its master data check parks. */
async function parkedOnMissingMo(orders: OrderClient, ref: string) {
  const accepted = await orders.release(demoOrderInput({ orderRef: ref }));
  await eventually(
    () => orders.status('1710', ref),
    (s) => s.needsAttention,
  );
  return accepted;
}

describe('production order: release saga (time-skipping, mocked systems)', function () {
  this.timeout(120_000);

  it('releases in order Odoo → SAP → QMS → MES and reports released', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultOrderSystems();
    const orders = orderClient(env);
    const ref = uniqueRef();
    await withOrderWorkers(env, systems, async () => {
      const accepted = await orders.release(demoOrderInput({ orderRef: ref }));
      assert.equal(accepted.workflowId, `order:1710:${ref}`);
      const status = await eventually(
        () => orders.status('1710', ref),
        (s) => s.status === 'released',
      );
      assert.deepEqual(
        status.release.map((s) => `${s.step}:${s.status}`),
        ['odoo-confirm:done', 'sap-release:done', 'qms-plan:done', 'mes-dispatch:done'],
      );
      const desc = await orders.handle('1710', ref).describe();
      assert.equal(desc.typedSearchAttributes.get(OrderStatusAttr), 'released');
      assert.deepEqual(
        systems.names().filter((n) => !n.includes('Read')),
        ['odooConfirmManufacturingOrder', 'sapReleaseProductionOrder', 'qmsActivateInspectionPlan', 'mesDispatchOrder'],
      );
    });
  });

  it('compensates in reverse when the MES rejects the dispatch, and ends release_failed with its reason', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultOrderSystems().when('mesDispatchOrder', () => {
      throw businessRule('MES rejected the dispatch: work center ASSY1 is down for maintenance', 'mes');
    });
    const orders = orderClient(env);
    const ref = uniqueRef();
    const outcome = await withOrderWorkers(env, systems, async () => {
      await orders.release(demoOrderInput({ orderRef: ref }));
      return orders.handle('1710', ref).result();
    });
    assert.equal(outcome.status, 'release_failed');
    assert.match(outcome.reason ?? '', /ASSY1 is down for maintenance/);
    assert.deepEqual(
      systems.names().filter((n) => /Cancel|Complete|Deactivate|Recall/.test(n)),
      ['qmsDeactivateInspectionPlan', 'sapTechnicallyCompleteOrder', 'odooCancelManufacturingOrder'],
    );
    assert.equal(systems.called('mesRecallDispatch').length, 0, 'a dispatch that failed is not recalled');
  });

  it('a cancel request after release but before execution compensates every step', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultOrderSystems();
    const orders = orderClient(env);
    const ref = uniqueRef();
    const outcome = await withOrderWorkers(env, systems, async () => {
      await orders.release(demoOrderInput({ orderRef: ref }));
      await eventually(
        () => orders.status('1710', ref),
        (s) => s.status === 'released',
      );
      await orders.cancel('1710', ref, { by: 'plan.eva', reason: 'customer withdrew the order' });
      return orders.handle('1710', ref).result();
    });
    assert.equal(outcome.status, 'cancelled');
    assert.deepEqual(
      systems.names().filter((n) => /Cancel|Complete|Deactivate|Recall/.test(n)),
      [
        'mesRecallDispatch',
        'qmsDeactivateInspectionPlan',
        'sapTechnicallyCompleteOrder',
        'odooCancelManufacturingOrder',
      ],
    );
  });

  it('a Temporal cancellation during the saga runs the compensations it owes', async () => {
    const env = await timeSkippingEnv();
    let releaseCalls = 0;
    const systems = defaultOrderSystems().when('qmsActivateInspectionPlan', async () => {
      releaseCalls++;
      // The QMS hangs; heartbeats let the cancellation reach the activity.
      const ctx = Context.current();
      for (;;) {
        ctx.heartbeat();
        await ctx.sleep(200);
      }
    });
    const orders = orderClient(env);
    const ref = uniqueRef();
    const outcome = await withOrderWorkers(env, systems, async () => {
      await orders.release(demoOrderInput({ orderRef: ref }));
      await eventually(
        async () => releaseCalls,
        (c) => c > 0,
      );
      await orders.handle('1710', ref).cancel();
      return orders.handle('1710', ref).result();
    });
    assert.equal(outcome.status, 'cancelled');
    assert.deepEqual(
      systems.names().filter((n) => /Cancel|Complete|Deactivate|Recall/.test(n)),
      ['sapTechnicallyCompleteOrder', 'odooCancelManufacturingOrder'],
    );
  });

  it('parks on a master-data mismatch; an operator retry after the fix releases it', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultOrderSystems().when('sapReadProductionOrder', async (i, attempt) => ({
      ...(await ORDER_DEFAULTS.sapReadProductionOrder!(i, attempt)),
      totalQuantity: { value: '90', uom: 'EA' },
    }));
    const orders = orderClient(env);
    const ref = uniqueRef();
    await withOrderWorkers(env, systems, async () => {
      await orders.release(demoOrderInput({ orderRef: ref }));
      const parked = await eventually(
        () => orders.status('1710', ref),
        (s) => s.needsAttention,
      );
      assert.equal(parked.parked[0]!.step, 'release/master-data');
      assert.match(parked.parked[0]!.failure.message, /SAP plans 90 EA, the order 100 EA/);
      assert.equal((await orders.handle('1710', ref).describe()).typedSearchAttributes.get(NeedsAttentionAttr), true);
      assert.equal(systems.called('odooConfirmManufacturingOrder').length, 0, 'nothing released while parked');

      systems.reset('sapReadProductionOrder'); // the planner fixed the SAP quantity
      await orders.resolveParkedStep('1710', ref, {
        step: 'release/master-data',
        action: 'retry',
        reason: 'SAP quantity corrected',
        by: 'op.jo',
      });
      const released = await eventually(
        () => orders.status('1710', ref),
        (s) => s.status === 'released',
      );
      assert.equal(released.needsAttention, false);
      assert.equal(released.resolvedParkings[0]!.decision!.action, 'retry');
      assert.equal((await orders.handle('1710', ref).describe()).typedSearchAttributes.get(NeedsAttentionAttr), false);
    });
  });

  it('parks MasterDataMissing when SAP has no such order; the planner amends it and the order releases against it', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultOrderSystems().when('sapReadProductionOrder', async (i, attempt) => {
      if (i.order !== '1000999') throw businessRule(`SAP: production order ${i.order} not found`);
      return ORDER_DEFAULTS.sapReadProductionOrder!(i, attempt);
    });
    const orders = orderClient(env);
    const ref = uniqueRef();
    await withOrderWorkers(env, systems, async () => {
      await orders.release(demoOrderInput({ orderRef: ref, erp: { odooMo: 'MO-1', sapOrder: '1000001' } }));
      const parked = await eventually(
        () => orders.status('1710', ref),
        (s) => s.needsAttention,
      );
      assert.equal(parked.status, 'validating');
      assert.equal(parked.parked[0]!.step, 'release/master-data');
      assert.equal(parked.parked[0]!.failure.type, 'MasterDataMissing');
      assert.match(parked.parked[0]!.failure.message, /1000001 not found: amend/);
      assert.equal((await orders.handle('1710', ref).describe()).typedSearchAttributes.get(NeedsAttentionAttr), true);

      await assert.rejects(
        orders.amend('1710', ref, { erp: {}, by: 'pl.ann', reason: 'typo' }),
        /name the Odoo MO, the SAP order or both/,
      );
      const amended = await orders.amend('1710', ref, {
        erp: { sapOrder: '1000999' },
        by: 'pl.ann',
        reason: 'the SAP order number had a typo',
      });
      assert.equal(amended.erp.sapOrder, '1000999');
      const released = await eventually(
        () => orders.status('1710', ref),
        (s) => s.status === 'released',
      );
      assert.equal(released.needsAttention, false);
      assert.equal(released.order!.erp.sapOrder, '1000999');
      assert.deepEqual(
        systems.called('sapReleaseProductionOrder').map((c) => c.input.order),
        ['1000999'],
        'released once, against the amended order',
      );
      const timeline = await orders.timeline('1710', ref);
      assert.ok(timeline.some((t) => t.type === 'OrderAmended' && /1000001 → .*1000999 by pl.ann/.test(t.summary)));
      await assert.rejects(
        orders.amend('1710', ref, { erp: { sapOrder: '1000998' }, by: 'pl.ann', reason: 'late' }),
        (err: unknown) =>
          err instanceof WorkflowUpdateFailedError &&
          /AmendRefused/.test(String((err.cause as ApplicationFailure).type)),
      );
    });
  });

  it('an order whose release was aborted is released again under the same orderRef, in a new run linked to the old', async () => {
    const { env, systems, orders, ref } = await missingMo();
    await withOrderWorkers(env, systems, async () => {
      const first = await parkedOnMissingMo(orders, ref);
      await orders.resolveParkedStep('1710', ref, {
        step: 'release/master-data',
        action: 'abort',
        reason: 'wrong MO',
        by: 'pl.ann',
      });
      assert.equal((await orders.handle('1710', ref).result()).status, 'release_failed');

      systems.reset('odooReadManufacturingOrder');
      const second = await orders.release(demoOrderInput({ orderRef: ref }));
      assert.notEqual(second.runId, first.runId);
      await eventually(
        () => orders.status('1710', ref),
        (s) => s.status === 'released',
      );
      const memo = (await orders.handle('1710', ref).describe()).memo as { releasedAgain?: Record<string, string> };
      assert.deepEqual(memo.releasedAgain, {
        workflowId: `order:1710:${ref}`,
        runId: first.runId,
        end: 'release_failed',
      });
    });
  });

  it('reports a terminated run as terminated with its reason, and lets the order be released again', async () => {
    const { env, systems, orders, ref } = await missingMo();
    await withOrderWorkers(env, systems, async () => {
      await parkedOnMissingMo(orders, ref);
      await orders.handle('1710', ref).terminate('stuck release, ended by the integration engineer');
      const status = await orders.status('1710', ref);
      assert.equal(status.status, 'terminated');
      assert.equal(status.needsAttention, false);
      assert.match(status.runEnd!.failure, /stuck release, ended by the integration engineer/);

      systems.reset('odooReadManufacturingOrder');
      await orders.release(demoOrderInput({ orderRef: ref }));
      await eventually(
        () => orders.status('1710', ref),
        (s) => s.status === 'released',
      );
    });
  });

  it('refuses a second release of the same order, naming the run', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultOrderSystems();
    const orders = orderClient(env);
    const ref = uniqueRef();
    await withOrderWorkers(env, systems, async () => {
      const first = await orders.release(demoOrderInput({ orderRef: ref }));
      await assert.rejects(orders.release(demoOrderInput({ orderRef: ref })), (err: unknown) => {
        assert.ok(err instanceof WorkflowUpdateFailedError);
        assert.ok(err.cause instanceof ApplicationFailure);
        assert.equal(err.cause.type, 'AlreadyReleased');
        assert.match(err.cause.message, new RegExp(first.runId));
        return true;
      });
      // Let the release finish before the test ends its run (a cancel racing the rejected update's
      // workflow task can stall the Java test server's run).
      await eventually(
        () => orders.status('1710', ref),
        (s) => s.status === 'released',
      );
    });
  });

  it('a hold placed before dispatch keeps the order from the plant until it is lifted', async () => {
    const env = await timeSkippingEnv();
    let releaseOnce: (() => void) | undefined;
    const gate = new Promise<void>((r) => (releaseOnce = r));
    const systems = defaultOrderSystems().when('qmsActivateInspectionPlan', async (i, attempt) => {
      await gate;
      return ORDER_DEFAULTS.qmsActivateInspectionPlan!(i, attempt);
    });
    const orders = orderClient(env);
    const ref = uniqueRef();
    await withOrderWorkers(env, systems, async () => {
      await orders.release(demoOrderInput({ orderRef: ref }));
      await eventually(
        () => orders.status('1710', ref),
        (s) => s.release.some((r) => r.step === 'sap-release'),
      );
      await orders.placeHold('1710', ref, {
        holdId: 'H1',
        reason: 'supplier recall check',
        by: 'qa.anna',
        source: 'person',
      });
      releaseOnce!();
      await eventually(
        () => orders.status('1710', ref),
        (s) => s.release.some((r) => r.step === 'qms-plan'),
      );
      // The run has taken the QMS step's answer and is idle, waiting on the hold: no dispatch was scheduled.
      const handle = env.client.workflow.getHandle(orderWorkflowId('1710', ref));
      const idle = await eventually(
        async () => ({ d: await handle.describe(), h: await handle.fetchHistory() }),
        ({ d, h }) =>
          (d.raw.pendingActivities ?? []).length === 0 &&
          h.events!.findLast((e) => workflowTaskEvents.includes(e.eventType!))?.eventType === WFT_COMPLETED,
      );
      const scheduled = idle.h.events!.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name);
      assert.ok(scheduled.includes('qmsActivateInspectionPlan') && !scheduled.includes('mesDispatchOrder'));
      assert.equal(systems.called('mesDispatchOrder').length, 0, 'no dispatch while on hold');
      await orders.liftHold('1710', ref, { holdId: 'H1', by: 'qa.anna', reason: 'recall does not concern our lots' });
      await eventually(
        () => orders.status('1710', ref),
        (s) => s.status === 'released',
      );
      assert.equal(systems.called('mesDispatchOrder').length, 1);
      assert.equal(systems.called('mesHoldOrder').length, 0, 'the plant never saw the hold: it had no order yet');
    });
  });
});
