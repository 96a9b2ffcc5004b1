import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { statusesOf, type RunKind } from '../../domain/lifecycles';
import { createDevServerEnv } from '../setup/temporal-env';
import { embeddedApi, type EmbeddedApi } from '../support/embedded-api';
import { odooLot } from '../support/lot-systems';
import { runCommand, type Finished } from '../support/spawn';
import { startPlantStack, type PlantStack } from '../support/stack';
import { eventually } from '../support/eventually';

const ROOT = resolve(__dirname, '../..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** Commands of README's shell blocks this test does not run itself, and where they are proven instead. */
const RUN_ELSEWHERE: Array<[RegExp, string]> = [
  [/^npm ci && npm start$/, 'test/integration/npm-start.test.ts runs npm start (here: the integration stack)'],
  [/^npm test$/, 'that is this suite'],
  [/^npm run demo$/, 'test/integration/npm-start.test.ts runs the demo CLI against npm start'],
  [/^npm run build$/, 'test/integration/dist-worker.test.ts builds and runs a worker from dist/'],
  [/^node dist\//, 'test/integration/dist-worker.test.ts'],
  [
    /^npm run (bench|chaos)\b/,
    'bench/: minutes-long runs of their own stack, run by hand (`npm run bench -- --quick` is the smoke)',
  ],
];

const shellBlocks = (markdown: string) => [...markdown.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]!);

const LOAD_KEYS = 'eval "$(node bin/plantflow.js keys --shell)"';

/** README's status searches the tour reaches, and the point after which each finds the tour's run. */
const AT_POINTS_OF_THE_TOUR: Array<{ search: string; after: RegExp; narrow: string }> = [
  // The shift is reported and the order waited for until completed: made, its lot not yet decided by QA.
  { search: `OrderStatus = 'completed'`, after: /--wait completed/, narrow: `OrderRef = 'PO-1001'` },
  { search: `LotStatus = 'restricted'`, after: /--wait completed/, narrow: `LotId = 'FG-1001A'` },
];
/** README's status searches for what the tour does not produce (no parked step, no hold, nothing overdue). */
const NOT_IN_THE_TOUR = [
  'NeedsAttention = true',
  `OrderStatus = 'in_progress'`,
  `LotStatus = 'on_hold'`,
  `NcrStatus != 'closed' AND Overdue = true`,
];

/** The README's operator searches: the inline code of "The operator's view" that is a visibility query. */
function operatorSearches(markdown: string): string[] {
  const section = markdown.slice(markdown.indexOf("## The operator's view"), markdown.indexOf('## HTTP API'));
  return [...section.matchAll(/`([A-Z][A-Za-z]+ !?= [^`]+)`/g)].map((m) => m[1]!);
}

/** README's commands in one bash, in a clean environment of the stack's own variables. */
const run = (script: string, cwd: string, env: Record<string, string>) =>
  runCommand('bash', ['-euo', 'pipefail', '-c', script], {
    cwd,
    env: { PATH: process.env.PATH!, HOME: process.env.HOME!, ...env },
  });

/** Every command README shows runs as written, against a stack like `npm start` (only its port differs). */
describe("README: every shell command runs as written; the operator's searches find what they promise", function () {
  this.timeout(300_000);
  let env: TestWorkflowEnvironment;
  let stack: PlantStack;
  let api: EmbeddedApi;
  let tour: Finished;
  /** Each README status search, counted on the tour's own runs at the point of the tour where it should match. */
  const foundInTour = new Map<string, number>();
  const skipped = new Set<RegExp>();

  before(async () => {
    env = await createDevServerEnv();
    stack = await startPlantStack({ env });
    api = await embeddedApi(stack);
    const blocks = shellBlocks(README).map((block) =>
      block
        .split('\n')
        .filter((line) => {
          const elsewhere = RUN_ELSEWHERE.find(([pattern]) => pattern.test(line.replace(/\s+#.*$/, '').trim()));
          if (elsewhere) skipped.add(elsewhere[0]);
          return !elsewhere;
        })
        .join('\n')
        .replaceAll('localhost:8080', `127.0.0.1:${api.port}`),
    );
    // A fresh clone's working directory: the CLI and the example documents, nothing else.
    const cwd = mkdtempSync(join(tmpdir(), 'pf-readme-'));
    for (const dir of ['bin', 'examples']) symlinkSync(join(ROOT, dir), join(cwd, dir));
    // One block after the other, as a reader types them in one terminal: the keys the first block loads stay set.
    const keys = blocks.find((b) => b.includes(LOAD_KEYS)) ? LOAD_KEYS : '';
    tour = { code: 0, stdout: '', stderr: '', output: '' };
    for (const [i, block] of blocks.entries()) {
      if (!block.trim()) continue;
      const done = await run(`${block.includes(LOAD_KEYS) ? '' : keys}\n${block}`, cwd, api.env);
      tour = { ...done, output: `${tour.output}── README shell block ${i + 1}\n${done.output}` };
      if (done.code !== 0) break;
      for (const { search, after, narrow } of AT_POINTS_OF_THE_TOUR) {
        if (!after.test(block)) continue;
        const query = `${search} AND ${narrow}`;
        const { count } = await eventually(
          () => stack.client.workflow.count(query),
          (c) => c.count > 0,
          20_000,
        ).catch(() => ({ count: 0 }));
        foundInTour.set(search, count);
      }
    }
  });
  after(async () => {
    await api?.close();
    await stack?.teardown();
    await env?.teardown();
  });

  it('runs every command of every shell block, block after block as in one terminal, each succeeding', () => {
    assert.equal(tour.code, 0, `the README tour failed:\n${tour.output.slice(-4000)}`);
    assert.deepEqual(
      RUN_ELSEWHERE.filter(([pattern]) => !skipped.has(pattern)).map(([p]) => String(p)),
      [],
      'every command run elsewhere is still in README (or leaves this list)',
    );
    assert.match(tour.output, /"workflowId":"order:1710:PO-1001"/);
    assert.match(tour.output, /PO-1001 at 1710: completed/, 'the first block waits until the order is completed');
    assert.match(tour.output, /PO-1001 at 1710: closed/, 'from another machine, once its lot is released');
    assert.match(tour.output, /Approved for release — Marc Dubois \(qp\.marc\)/);
    assert.match(tour.output, /NCR NCR-1001 — closed/);
  });

  it('leaves the systems as the tour describes: lot released in Odoo and SAP, the heat given back, the NCR closed', async () => {
    assert.deepEqual(await odooLot(stack, 'FG-100', 'FG-1001A'), { location: 'WH/Stock', quantity: 100, scrapped: 0 });
    const batch = await stack.sap.sapReadBatch({ material: 'FG-100', batch: 'FG-1001A' });
    assert.ok(batch.exists && !batch.restricted, 'SAP batch FG-1001A unrestricted after the NCR gave it back');
    assert.equal((await odooLot(stack, 'RM-300', 'H-1002')).location, 'WH/Stock');
    const order = await stack.orders.status('1710', 'PO-1001');
    assert.deepEqual([order.status, order.lots.map((l) => l.disposition)], ['closed', ['released']]);
    const ncr = await stack.plantflow.ncrs.status('NCR-1001');
    assert.deepEqual([ncr.status, ncr.rootCause?.category], ['closed', 'supplier']);
  });

  it("uses search attribute values the runs write, and each search on the tour's runs finds them", async () => {
    const searches = operatorSearches(README);
    assert.ok(searches.length >= 8, `found the searches: ${searches.join(' | ')}`);
    const kinds: Record<string, RunKind> = { OrderStatus: 'order', LotStatus: 'lot', NcrStatus: 'ncr' };
    for (const query of searches) {
      for (const [, attribute, value] of query.matchAll(/(OrderStatus|LotStatus|NcrStatus) !?= '([^']+)'/g))
        assert.ok(
          statusesOf(kinds[attribute!]!).includes(value!),
          `${query}: "${value}" is not a ${attribute} value; the runs write ${statusesOf(kinds[attribute!]!).join(', ')}`,
        );
      // The server takes it: known attributes, values of their types (a typo fails here).
      await stack.client.workflow.count(query);
      if (/Status|NeedsAttention|Overdue/.test(query)) {
        const atThe = AT_POINTS_OF_THE_TOUR.find((p) => p.search === query);
        assert.ok(
          atThe || NOT_IN_THE_TOUR.includes(query),
          `${query}: say where the tour reaches it, or that it does not`,
        );
        if (atThe)
          assert.equal(
            foundInTour.get(query),
            1,
            `${query} AND ${atThe.narrow}, right after the block that ends ${atThe.after}`,
          );
        continue;
      }
      // A search on the tour's own references finds its runs (visibility follows within moments).
      await eventually(
        () => stack.client.workflow.count(query),
        (c) => c.count > 0,
        20_000,
      );
    }
    // Statuses are searched by the value the API prints: the released lot and the closed order.
    for (const query of [
      `LotStatus = 'released' AND LotId = 'FG-1001A'`,
      `OrderStatus = 'closed' AND OrderRef = 'PO-1001'`,
    ])
      await eventually(
        () => stack.client.workflow.count(query),
        (c) => c.count === 1,
        20_000,
      );
  });
});
