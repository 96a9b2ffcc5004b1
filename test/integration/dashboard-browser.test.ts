import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { startPlantStack, type PlantStack } from '../support/stack';
import { releasableOrder } from '../support/erp-fixtures';
import { mes } from '../support/orders';
import { orderAt } from '../support/produce';
import { eventually } from '../support/eventually';
import { TEST_KEYS } from '../support/api';

/** Debian's Chromium (.ci/run installs it), or the one PLANTFLOW_CHROMIUM names. */
const CHROMIUM = process.env.PLANTFLOW_CHROMIUM ?? '/usr/bin/chromium';

interface DashboardData {
  health: {
    at: string;
    counts: Array<{ id: string; value: number; link: string; query: string }>;
    edges: Array<{ site: string; edgeId: string }>;
  };
  series: { accepted: number[] };
}

describe('Plant health page in a real browser (Chromium, headless)', function () {
  this.timeout(240_000);
  let stack: PlantStack;
  let browser: Browser | undefined;
  let url: string;

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: apt-get install -y chromium (.ci/run does)`);
    stack = await startPlantStack();
    const api = await stack.api();
    url = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`;
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
  });
  after(async () => {
    await browser?.close();
    await stack?.teardown();
  });

  it('loads, shows the counts the API serves, draws the charts, and links each count to its Web UI query', async () => {
    // Something to show: one order released and started over the API, a drift in the record, an edge.
    const ref = `DASH-${Date.now()}`;
    await stack.orders.release(await releasableOrder(stack.config, ref));
    await orderAt(stack, ref, 'released');
    const api = await stack.api();
    const started = await api.inject({
      method: 'POST',
      url: '/mes/events',
      headers: { authorization: `Bearer ${TEST_KEYS.mes}` },
      // Recorded just now, so the latency chart shows seconds, not the age of the test clock's events.
      payload: { ...mes.started('0010', { orderRef: ref }), recordedAt: new Date().toISOString() },
    });
    assert.equal(started.json().outcome, 'accepted', started.body);
    await stack.plantflow.exceptions.report({
      kind: 'Drift',
      key: `dashboard-test:${ref}`,
      site: '1710',
      subject: { orderRef: ref, system: 'sap' },
      summary: 'a drift for the page to show',
      reason: { code: 'ConfirmationMissing', message: 'made by the test' },
      at: new Date().toISOString(),
      actions: ['reapply', 'accept', 'ignore'],
    });
    const edgeReport = await api.inject({
      method: 'PUT',
      url: '/edges/1710/line-1',
      headers: { authorization: `Bearer ${TEST_KEYS.edge}` },
      payload: {
        edgeId: 'line-1',
        site: '1710',
        reportedAt: new Date().toISOString(),
        backlog: { events: 3, bytes: 900, maxEvents: 1000, maxBytes: 1_000_000, alarm: false },
        forwarded: { accepted: 10, duplicate: 0, refused: 0 },
        refusals: 0,
      },
    });
    assert.equal(edgeReport.statusCode, 200, edgeReport.body);
    const viewer = { authorization: `Bearer ${TEST_KEYS.viewer}` };
    // Visibility is eventually consistent: wait until the API's (cached) counts show the order and the drift,
    // and its edge list the edge's report (read from the edge's record, which answers a moment later).
    await eventually(
      async () => (await api.inject({ method: 'GET', url: '/dashboard/data', headers: viewer })).json<DashboardData>(),
      (d) =>
        d.health.counts.some((c) => c.id === 'orders-in_progress' && c.value === 1) &&
        d.health.counts.some((c) => c.id === 'drift-1710-ConfirmationMissing' && c.value === 1) &&
        d.health.edges.some((e) => e.site === '1710' && e.edgeId === 'line-1'),
      60_000,
      1_000,
    );

    const page = await browser!.newPage();
    await page.setViewport({ width: 1280, height: 800 });
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(String(err)));
    await page.goto(`${url}/dashboard`, { waitUntil: 'load' });
    // The page asks for a key with a reading role, once per tab.
    await page.waitForSelector('#key-form', { visible: true });
    await page.type('#key', TEST_KEYS.viewer);
    await page.click('#key-form button');
    await page.waitForSelector('body[data-loaded]');

    // Read in the page (strings: this file is compiled without the DOM's types).
    const shown = (await page.evaluate(`[...document.querySelectorAll('a.count')].map((a) => ({
      id: a.dataset.countId, value: Number(a.querySelector('.value').textContent), href: a.href }))`)) as Array<{
      id: string;
      value: number;
      href: string;
    }>;
    // Nothing changes in the plant meanwhile: the page shows what the API serves.
    const served = (await api.inject({ method: 'GET', url: '/dashboard/data', headers: viewer })).json<DashboardData>();
    assert.deepEqual(shown.map((c) => [c.id, c.value]).sort(), served.health.counts.map((c) => [c.id, c.value]).sort());
    assert.equal(shown.find((c) => c.id === 'orders-in_progress')?.value, 1);

    const chart = (await page.evaluate(`(() => {
      const c = Chart.getChart('chart-throughput');
      return { accepted: c ? c.data.datasets[0].data.reduce((a, b) => a + b, 0) : -1,
        width: document.getElementById('chart-throughput').width };
    })()`)) as { accepted: number; width: number };
    assert.ok(chart.width > 0, 'the throughput chart is drawn');
    assert.equal(chart.accepted, 1, 'the one event accepted through the API');

    const edgeRow = await page.evaluate(`document.querySelector('tr[data-edge="1710/line-1"]').textContent`);
    assert.match(String(edgeRow), /line-1.*ok/);
    assert.deepEqual(errors, []);

    if (process.env.RECORD_SCREENSHOT) {
      await page.screenshot({
        fullPage: true,
        path: join(__dirname, '..', '..', 'docs', 'dashboard.png') as `${string}.png`,
      });
    }

    // A count opens the Web UI on exactly its query.
    const inProgress = served.health.counts.find((c) => c.id === 'orders-in_progress')!;
    await page.click('a.count[data-count-id="orders-in_progress"]');
    const opened = await browser!.waitForTarget((t) => t.url().startsWith(stack.config.webUi.url), { timeout: 10_000 });
    const target = new URL(opened.url());
    assert.equal(
      `${target.origin}${target.pathname}`,
      `${stack.config.webUi.url}/namespaces/${stack.namespace}/workflows`,
    );
    assert.equal(target.searchParams.get('query'), inProgress.query);
    assert.equal(
      inProgress.query,
      "WorkflowType = 'productionOrder' AND ExecutionStatus = 'Running' AND OrderStatus = 'in_progress'",
    );
  });
});
