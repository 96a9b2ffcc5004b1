import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createQmsActivities } from '../../activities/qms/activities';
import { runDemo } from '../../demo/run';
import { loadConfig } from '../../runtime/config';
import type { QmsState } from '../../simulators/qms/state';
import type { StockRecord } from '../../simulators/sap/state/types';
import { createDevServerEnv } from '../setup/temporal-env';
import { embeddedApi, type EmbeddedApi } from '../support/embedded-api';
import { odooLot } from '../support/lot-systems';
import { startPlantStack, type PlantStack } from '../support/stack';
import { eventually } from '../support/eventually';

/** `npm run demo` against the integration stack: the day finishes, and the simulated systems hold what it did. */
describe('the demo: a plant day against the running stack (dev server, real workers, simulators)', function () {
  this.timeout(300_000);
  let env: TestWorkflowEnvironment;
  let stack: PlantStack;
  let api: EmbeddedApi;
  before(async () => {
    env = await createDevServerEnv();
    stack = await startPlantStack({ env });
    api = await embeddedApi(stack);
  });
  after(async () => {
    await api?.close();
    await stack?.teardown();
    await env?.teardown();
  });

  const play = async (scenario?: 'ncr') => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const result = await runDemo(loadConfig(api.env), { apiUrl: api.url, out, scenario, timeoutMs: 120_000 });
    return { result, text };
  };
  const sapStock = async (material: string, batch: string) => {
    const state = await stack.sims.sap.state<{ stock: StockRecord[] }>();
    const rows = state.stock.filter((s) => s.Material === material && s.Batch === batch);
    const sum = (k: 'unrestricted' | 'qualityInspection' | 'blocked') => rows.reduce((a, r) => a + Number(r[k]), 0);
    return { unrestricted: sum('unrestricted'), qualityInspection: sum('qualityInspection'), blocked: sum('blocked') };
  };

  it('plays the whole day: orders in both ERPs, the shift, the signed release, the porous heat contained and scrapped', async () => {
    const { result, text } = await play();
    const { lots } = result;
    assert.doesNotMatch(text, /✘/);
    for (const id of result.workflowIds) assert.ok(text.includes(encodeURIComponent(id)), `a Web UI link to ${id}`);
    assert.deepEqual(result.workflowIds, [
      `order:1710:${result.orderRef}`,
      `lot:FG-100:${lots.pumpsA}`,
      `lot:FG-100:${lots.pumpsB}`,
      `ncr:${result.ncrId}`,
    ]);

    // SAP: the order made 98 and scrapped 2, and is closed; supplier lots hold what is left of them.
    const po = await stack.sap.sapReadProductionOrder({ order: result.erp.sapOrder });
    assert.equal(po.confirmedYield.value, '98');
    assert.ok(po.systemStatuses.includes('TECO'), `SAP statuses ${po.systemStatuses.join(' ')}`);
    assert.deepEqual(await sapStock('RM-300', lots.housingsGood), {
      unrestricted: 140,
      qualityInspection: 0,
      blocked: 0,
    });
    assert.deepEqual(await sapStock('RM-300', lots.housingsPorous), {
      unrestricted: 0,
      qualityInspection: 0,
      blocked: 0,
    });
    assert.deepEqual(await sapStock('RM-310', lots.impellers), { unrestricted: 100, qualityInspection: 0, blocked: 0 });
    assert.deepEqual(await sapStock('RM-400', lots.resin), { unrestricted: 25.5, qualityInspection: 0, blocked: 0 });
    // The pumps: released, blocked by the NCR, given back at its closure.
    assert.deepEqual(await sapStock('FG-100', lots.pumpsA), { unrestricted: 60, qualityInspection: 0, blocked: 0 });
    assert.deepEqual(await sapStock('FG-100', lots.pumpsB), { unrestricted: 38, qualityInspection: 0, blocked: 0 });
    for (const lotId of [lots.pumpsA, lots.pumpsB]) {
      const batch = await stack.sap.sapReadBatch({ material: 'FG-100', batch: lotId });
      assert.ok(batch.exists && !batch.restricted, `SAP batch ${lotId} usable again`);
    }

    // Odoo: one finished lot per MO, so the second lot went on a backorder; both MOs done, the porous heat's rest
    // is scrapped, the pumps are back in stock.
    const { chain } = await stack.odoo.odooOpenProduction({ moName: result.erp.odooMo });
    assert.deepEqual(
      chain.map((mo) => [mo.moName, mo.state, mo.lot]),
      [
        [`${result.erp.odooMo}-001`, 'done', lots.pumpsA],
        [`${result.erp.odooMo}-002`, 'done', lots.pumpsB],
      ],
    );
    assert.deepEqual(await odooLot(stack, 'RM-300', lots.housingsPorous), {
      location: null,
      quantity: 0,
      scrapped: 160,
    });
    // The 2 EA scrapped at assembly reach Odoo at completion, booked against the first lot produced.
    for (const [lotId, quantity, scrapped] of [
      [lots.pumpsA, 60, 2],
      [lots.pumpsB, 38, 0],
    ] as const)
      assert.deepEqual(await odooLot(stack, 'FG-100', lotId), { location: 'WH/Stock', quantity, scrapped });

    // QMS: one signed release per lot, the NCR closed with its root cause and a CAPA.
    const qms = createQmsActivities(stack.config.qms);
    for (const lotId of [lots.pumpsA, lots.pumpsB]) {
      const records = await qms.qmsListSignedRecords({ subject: `lot:FG-100:${lotId}` });
      assert.deepEqual(
        records.map((r) => [r.decision, r.signatures[0]!.printedName]),
        [['release', 'Marc Dubois']],
      );
    }
    const state = (await stack.sims.qms.state<{ state: QmsState }>()).state;
    const ncr = state.nonconformances[result.ncrId!];
    assert.deepEqual([ncr?.status, ncr?.severity, ncr?.lotIds], ['closed', 'major', [lots.housingsPorous]]);
    assert.deepEqual(
      Object.values(state.capas)
        .filter((c) => c.ncrIds.includes(result.ncrId!))
        .map((c) => [c.capaId, c.trigger]),
      [[`CAPA-${result.ncrId}`, 'severity']],
      'a major NCR opens a CAPA',
    );
  });

  it('--scenario ncr: lots still in their runs are held by the NCR and stay restricted for QA after it closes', async () => {
    const { result, text } = await play('ncr');
    assert.doesNotMatch(text, /Quality: inspections/, 'the release part is not played');
    for (const lotId of [result.lots.pumpsA, result.lots.pumpsB]) {
      // The closed NCR tells the lots it held; they count it open until they hear it.
      const lot = await eventually(
        () => stack.plantflow.lots.status('FG-100', lotId),
        (l) => l.openNcrs.length === 0,
        30_000,
      );
      assert.equal(lot.status, 'restricted', `${lotId} waits for QA again`);
      assert.deepEqual(
        lot.ncrs.map((n) => [n.ncrId, n.status]),
        [[result.ncrId, 'closed']],
      );
      assert.deepEqual(await sapStock('FG-100', lotId), {
        unrestricted: 0,
        qualityInspection: lotId === result.lots.pumpsA ? 60 : 38,
        blocked: 0,
      });
    }
    const order = await stack.orders.status('1710', result.orderRef);
    assert.equal(order.status, 'completed', 'the order waits for its lots to be decided');
  });
});
