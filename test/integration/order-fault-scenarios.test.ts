import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { startPlantStack, type PlantStack } from '../support/stack';
import { releasableOrder } from '../support/erp-fixtures';
import { mes } from '../support/orders';
import { TEST_CODEC } from '../support/codec';
import { eventually } from '../support/eventually';
import { recordHistoryIfAsked } from '../support/histories';

describe('order fault scenarios on the dev server (S8, S9, S10, S11)', function () {
  this.timeout(600_000);
  let stack: PlantStack;
  before(async () => {
    stack = await startPlantStack();
  });
  after(async () => stack?.teardown());
  beforeEach(async () => {
    for (const sim of Object.values(stack.sims)) await sim.reset();
  });

  it('S9: the MES rejects the dispatch — SAP release and Odoo MO compensated, release_failed with the MES reason', async () => {
    const ref = `S9-${Date.now()}`;
    const order = await releasableOrder(stack.config, ref);
    await stack.sims.mes.setFaults({ special: { rejectDispatch: 'work center ASSY1 is locked out for maintenance' } });
    await stack.orders.release(order);
    const outcome = await stack.orders.handle('1710', ref).result();
    assert.equal(outcome.status, 'release_failed');
    await recordHistoryIfAsked('order-s9-release-failed', stack.orders.handle('1710', ref));
    assert.match(outcome.reason ?? '', /ASSY1 is locked out for maintenance/);

    const mo = await stack.odoo.odooReadManufacturingOrder({ moName: order.erp.odooMo });
    assert.equal(mo.state, 'cancel', 'Odoo MO cancelled');
    const po = await stack.sap.sapReadProductionOrder({ order: order.erp.sapOrder });
    assert.ok(po.systemStatuses.includes('TECO'), `SAP order closed for execution (${po.systemStatuses.join(' ')})`);
    assert.equal((await stack.writeCounts('qms'))['InspectionPlanActivation.deactivate'], 1, 'QMS plan deactivated');
    assert.equal((await stack.writeCounts('mes'))['OperationsRequest.dispatch'] ?? 0, 0, 'nothing dispatched');
  });

  it('S10: SAP refuses a confirmation (posting period closed) — parked with NeedsAttention, an operator retry completes it', async () => {
    const ref = `S10-${Date.now()}`;
    const order = await releasableOrder(stack.config, ref);
    await stack.orders.release(order);
    await eventually(
      () => stack.orders.status('1710', ref),
      (s) => s.status === 'released',
      60_000,
    );
    await stack.sims.sap.setFaults({ special: { postingPeriodClosed: true } });
    await stack.orders.reportMesEvent(mes.completed('0010', '40', { orderRef: ref }));
    const parked = await eventually(
      () => stack.orders.status('1710', ref),
      (s) => s.needsAttention,
      60_000,
    );
    assert.equal(parked.parked[0]!.failure.type, 'BusinessRule');
    assert.match(parked.parked[0]!.failure.message, /period/i);
    // Operators find parked runs by the search attribute.
    const found = await eventually(
      async () => {
        const ids: string[] = [];
        for await (const wf of stack.client.workflow.list({
          query: `NeedsAttention = true AND OrderRef = '${ref}'`,
        }))
          ids.push(wf.workflowId);
        return ids;
      },
      (ids) => ids.length === 1,
      30_000,
    );
    assert.deepEqual(found, [`order:1710:${ref}`]);
    assert.equal((await stack.writeCounts('sap'))['ProdnOrdConf2.create'] ?? 0, 0);

    await stack.sims.sap.clearFaults(); // finance opened the period
    await stack.orders.resolveParkedStep('1710', ref, {
      step: parked.parked[0]!.step,
      action: 'retry',
      reason: 'period 11/2026 opened',
      by: 'op.jo',
    });
    const after = await eventually(
      () => stack.orders.status('1710', ref),
      (s) => !s.needsAttention && s.postings.pending === 0 && s.postings.parked === 0,
      60_000,
    );
    assert.equal(after.resolvedParkings[0]!.decision!.reason, 'period 11/2026 opened');
    assert.equal((await stack.writeCounts('sap'))['ProdnOrdConf2.create'], 1, 'posted once after the retry');
    await recordHistoryIfAsked('order-s10-parked-then-retried', stack.orders.handle('1710', ref));

    // The parked interval is in the history: the refused attempt, then the operator's decision, then the posting.
    const history = await stack.orders.handle('1710', ref).fetchHistory();
    const kinds = history.events!.map((e) => e.eventType);
    const { temporal } = await import('@temporalio/proto');
    const T = temporal.api.enums.v1.EventType;
    const failed = kinds.indexOf(T.EVENT_TYPE_ACTIVITY_TASK_FAILED);
    const decided = kinds.findIndex((k, i) => i > failed && k === T.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
    const completed = kinds.findIndex((k, i) => i > decided && k === T.EVENT_TYPE_ACTIVITY_TASK_COMPLETED);
    assert.ok(
      failed > 0 && decided > failed && completed > decided,
      'failure → operator update → completed posting, in that order',
    );
  });

  it('S8: SAP answers 503 for a minute, then fails 30% of calls — every posting lands exactly once', async () => {
    const ref = `S8-${Date.now()}`;
    const order = await releasableOrder(stack.config, ref);
    await stack.orders.release(order);
    await eventually(
      () => stack.orders.status('1710', ref),
      (s) => s.status === 'released',
      60_000,
    );
    const now = Date.now();
    await stack.sims.sap.setFaults({
      outages: [{ from: now, to: now + 60_000, status: 503 }],
      errorRate: 0.15,
      errorStatus: 503,
      lostResponseRate: 0.15,
      seed: 8,
    });
    const events = [
      mes.started('0010', { orderRef: ref }),
      mes.consumed('RM-300', 'H-1001', '50', 'EA', { orderRef: ref }),
      mes.consumed('RM-310', 'I-2001', '50', 'EA', { orderRef: ref }),
      mes.completed('0010', '50', { orderRef: ref }),
      mes.consumed('RM-300', 'H-1002', '50', 'EA', { orderRef: ref }),
      mes.consumed('RM-310', 'I-2002', '50', 'EA', { orderRef: ref }),
      mes.completed('0010', '50', { orderRef: ref, final: true }),
    ];
    for (const e of events) await stack.orders.reportMesEvent(e);
    await eventually(
      () => stack.orders.status('1710', ref),
      (s) => s.postings.pending === 0 && s.postings.posted.sap === 6,
      240_000,
    );
    await stack.sims.sap.clearFaults();
    const sap = await stack.writeCounts('sap');
    assert.equal(sap['ProdnOrdConf2.create'], 2, 'two confirmations, no duplicates');
    assert.equal(sap['A_MaterialDocumentHeader.create'], 4, 'four goods issues, no duplicates');
    const po = await stack.sap.sapReadProductionOrder({ order: order.erp.sapOrder });
    assert.equal(po.operations.find((o) => o.operation === '0010')!.confirmedYield.value, '100');
    const rm300 = po.components.find((c) => c.material === 'RM-300')!;
    assert.equal(Number(rm300.withdrawn.value), 100);
    // The outage really happened: SAP postings needed many attempts (the history keeps the last attempt number).
    const history = await stack.orders.handle('1710', ref).fetchHistory();
    const attempts = history.events!.map((e) => e.activityTaskStartedEventAttributes?.attempt ?? 0);
    assert.ok(Math.max(...attempts) > 5, `retries during the outage (max attempt ${Math.max(...attempts)})`);
  });

  it('S11: the worker process is killed between two saga steps — the run resumes on restart, nothing posted twice', async () => {
    const ref = `S11-${Date.now()}`;
    const order = await releasableOrder(stack.config, ref);
    await stack.stopWorkers(['workflows', 'odoo', 'sap', 'qms', 'plant']);
    const child = await startWorkerProcess(stack);
    try {
      // SAP is slow: the saga sits in the release step when the process dies.
      await stack.sims.sap.setFaults({
        latencyMs: 4_000,
        pathPrefixes: ['/sap/opu/odata/sap/API_PRODUCTION_ORDER_2_SRV/ReleaseOrder'],
      });
      await stack.orders.release(order);
      await eventually(
        () => stack.orders.status('1710', ref),
        (s) => s.release.some((r) => r.step === 'odoo-confirm' && r.status === 'done'),
        60_000,
      );
      await new Promise((r) => setTimeout(r, 500));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await stack.sims.sap.clearFaults();
    await stack.startWorkers(['workflows', 'odoo', 'sap', 'qms', 'plant']);
    await eventually(
      () => stack.orders.status('1710', ref),
      (s) => s.status === 'released',
      120_000,
    );
    const odoo = await stack.writeCounts('odoo');
    const sap = await stack.writeCounts('sap');
    assert.equal(odoo['mrp.production.action_confirm'], 1);
    assert.equal(sap['ReleaseOrder'], 1, 'released once although the first attempt died with its worker');
    assert.equal((await stack.writeCounts('qms'))['InspectionPlanActivation.activate'], 1);
    assert.equal((await stack.writeCounts('mes'))['OperationsRequest.dispatch'], 1);
  });
});

/** The production worker entry point (workers/main.ts) in its own process, configured like production. */
async function startWorkerProcess(stack: PlantStack): Promise<ChildProcess> {
  const c = stack.config;
  const env = {
    ...process.env,
    TEMPORAL_ADDRESS: stack.env.address,
    TEMPORAL_NAMESPACE: stack.namespace,
    PLANTFLOW_LOG_LEVEL: 'info',
    PLANTFLOW_ODOO_URL: c.odoo.url,
    PLANTFLOW_ODOO_VERSION: c.odoo.version,
    PLANTFLOW_ODOO_API_KEY: c.odoo.apiKey,
    PLANTFLOW_SAP_URL: c.sap.url,
    PLANTFLOW_SAP_PASSWORD: c.sap.password,
    PLANTFLOW_QMS_URL: c.qms.url,
    PLANTFLOW_QMS_TOKEN: c.qms.token,
    PLANTFLOW_MES_URL: c.mes.url,
    PLANTFLOW_MES_TOKEN: c.mes.token,
    PLANTFLOW_CODEC_KEYS: `${TEST_CODEC.activeKeyId}:${TEST_CODEC.keys[TEST_CODEC.activeKeyId]}`,
  };
  const root = resolve(__dirname, '../..');
  const child = spawn(process.execPath, ['-r', 'ts-node/register', 'workers/main.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error('worker process did not start polling in time')), 90_000);
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('workers polling')) {
        clearTimeout(timer);
        ready();
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => fail(new Error(`worker process exited (${code}): ${out.slice(-2000)}`)));
  });
  return child;
}
