import assert from 'node:assert/strict';
import { Worker } from '@temporalio/worker';
import { testDataConverter, timeSkippingEnv } from '../setup/temporal-env';
import { createProbeActivities } from '../fixtures/activities';
import { awaitGoAhead, proceedSignal, toolchainProbe } from '../fixtures/workflows';

describe('toolchain on the time-skipping test server', function () {
  this.timeout(120_000);

  it('runs a workflow with an activity through the encrypted data converter', async () => {
    const env = await timeSkippingEnv();
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'toolchain-ts',
      workflowsPath: require.resolve('../fixtures/workflows'),
      activities: createProbeActivities(),
      dataConverter: testDataConverter,
    });
    const result = await worker.runUntil(
      env.client.workflow.execute(toolchainProbe, {
        taskQueue: 'toolchain-ts',
        workflowId: 'probe-ts-1',
        args: ['1710'],
      }),
    );
    assert.equal(result, 'echo: plant 1710 reachable');
  });

  it('skips time while a workflow waits for a signal', async () => {
    const env = await timeSkippingEnv();
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'toolchain-ts-2',
      workflowsPath: require.resolve('../fixtures/workflows'),
      activities: createProbeActivities(),
      dataConverter: testDataConverter,
    });
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(awaitGoAhead, {
        taskQueue: 'toolchain-ts-2',
        workflowId: 'go-ahead-ts-1',
      });
      const before = await env.currentTimeMs();
      await env.sleep('3 days');
      assert.ok((await env.currentTimeMs()) - before >= 3 * 24 * 3600 * 1000, 'test server clock moved three days');
      await handle.signal(proceedSignal, 'shift B');
      assert.equal(await handle.result(), 'proceeded: shift B');
    });
  });
});
