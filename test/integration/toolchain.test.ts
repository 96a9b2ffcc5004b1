import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { createDevServerEnv, devServerEnv, testDataConverter } from '../setup/temporal-env';
import { createProbeActivities } from '../fixtures/activities';
import { awaitGoAhead, proceedSignal, toolchainProbe } from '../fixtures/workflows';
import { recordHistoryIfAsked } from '../support/histories';
import { OrderRefAttr, PLANTFLOW_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';

const workflowsPath = require.resolve('../fixtures/workflows');

describe('toolchain on the Temporal CLI dev server', function () {
  this.timeout(180_000);

  it('runs a workflow end to end and registers plantflow search attributes', async () => {
    const env = await devServerEnv();
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'toolchain-dev',
      workflowsPath,
      activities: createProbeActivities(),
      dataConverter: testDataConverter,
    });
    const handle = await worker.runUntil(async () => {
      const h = await env.client.workflow.start(toolchainProbe, {
        taskQueue: 'toolchain-dev',
        workflowId: 'probe-dev-1',
        args: ['1710'],
        typedSearchAttributes: [{ key: OrderRefAttr, value: 'PROBE-1' }],
      });
      assert.equal(await h.result(), 'echo: plant 1710 reachable');
      return h;
    });
    await recordHistoryIfAsked('fixture-toolchainProbe', handle);

    const listed = await env.connection.operatorService.listSearchAttributes({ namespace: 'default' });
    const registered = Object.keys(listed.customAttributes ?? {});
    for (const attr of PLANTFLOW_SEARCH_ATTRIBUTES)
      assert.ok(registered.includes(attr.name), `${attr.name} registered`);

    // Every payload the server stores (input, activity input and result, workflow result) is encrypted.
    const history = await handle.fetchHistory();
    const encodings = payloadsOf(history).map((p) => Buffer.from(p.metadata?.encoding ?? []).toString());
    assert.ok(encodings.length >= 4, `payloads found: ${encodings.length}`);
    assert.deepEqual(new Set(encodings), new Set(['binary/encrypted']));
  });

  it('keeps a waiting run across a server and worker restart on the same SQLite file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plantflow-restart-'));
    const db = join(dir, 'temporal.db');
    try {
      let env = await createDevServerEnv(db);
      let worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue: 'toolchain-restart',
        workflowsPath,
        activities: createProbeActivities(),
        dataConverter: testDataConverter,
      });
      await worker.runUntil(async () => {
        await env.client.workflow.start(awaitGoAhead, { taskQueue: 'toolchain-restart', workflowId: 'restart-1' });
        // Wait until the first workflow task ran, so the run is genuinely in flight when we stop.
        await waitFor(
          async () => (await env.client.workflow.getHandle('restart-1').fetchHistory()).events!.length >= 3,
        );
      });
      await env.teardown();

      env = await createDevServerEnv(db);
      try {
        worker = await Worker.create({
          connection: env.nativeConnection,
          taskQueue: 'toolchain-restart',
          workflowsPath,
          activities: createProbeActivities(),
          dataConverter: testDataConverter,
        });
        const result = await worker.runUntil(async () => {
          const handle = env.client.workflow.getHandle('restart-1');
          await handle.signal(proceedSignal, 'after restart');
          return handle.result();
        });
        assert.equal(result, 'proceeded: after restart');
      } finally {
        await env.teardown();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('condition not met in time');
}

type StoredPayload = { metadata?: Record<string, Uint8Array | null> | null; data?: Uint8Array | null };

/** Every payload in a history (objects with payload metadata and data), but search attributes: the server indexes those. */
function payloadsOf(value: unknown, found: StoredPayload[] = []): StoredPayload[] {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return found;
  const v = value as Record<string, unknown>;
  if ('metadata' in v && 'data' in v && v.metadata && typeof v.metadata === 'object' && 'encoding' in v.metadata)
    found.push(v as StoredPayload);
  else for (const [key, child] of Object.entries(v)) if (key !== 'searchAttributes') payloadsOf(child, found);
  return found;
}
