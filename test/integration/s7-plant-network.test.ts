import assert from 'node:assert/strict';
import { startPlantStack, type PlantStack } from '../support/stack';
import { releasableOrder } from '../support/erp-fixtures';
import { eventually } from '../support/eventually';

const DOWNTIME_MS = 120_000;

describe('S7: plant network interruption', function () {
  this.timeout(600_000);
  let stack: PlantStack;
  before(async () => {
    stack = await startPlantStack();
  });
  after(async () => stack?.teardown());

  it('S7: the plant worker is down for two minutes while orders are released — dispatch waits and completes on reconnect, no order fails', async () => {
    // The WAN to the plant drops: its worker (which only polls outward) is gone.
    await stack.stopWorkers(['plant']);
    const downSince = Date.now();
    const refs = [`S7A-${Date.now()}`, `S7B-${Date.now()}`, `S7C-${Date.now()}`];
    for (const ref of refs) await stack.orders.release(await releasableOrder(stack.config, ref));

    // Everything but the dispatch goes through; the dispatch waits in Temporal, nothing fails or parks.
    for (const ref of refs) {
      const s = await eventually(
        () => stack.orders.status('1710', ref),
        (x) => x.release.some((r) => r.step === 'qms-plan' && r.status === 'done'),
        60_000,
      );
      assert.equal(s.status, 'releasing');
      assert.equal(s.needsAttention, false);
    }
    await new Promise((r) => setTimeout(r, Math.max(0, DOWNTIME_MS - (Date.now() - downSince))));
    for (const ref of refs) {
      const s = await stack.orders.status('1710', ref);
      assert.equal(s.status, 'releasing', `${ref} still waiting for the plant after two minutes`);
      assert.ok(!s.failure);
    }
    assert.equal(
      (await stack.writeCounts('mes'))['OperationsRequest.dispatch'] ?? 0,
      0,
      'the MES saw nothing while the plant was cut off',
    );

    await stack.startWorkers(['plant']); // the plant reconnects
    for (const ref of refs)
      await eventually(
        () => stack.orders.status('1710', ref),
        (s) => s.status === 'released',
        60_000,
      );
    assert.equal(
      (await stack.writeCounts('mes'))['OperationsRequest.dispatch'],
      refs.length,
      'each order dispatched exactly once',
    );
    const history = await stack.orders.handle('1710', refs[0]!).fetchHistory();
    const started = history.events!.find(
      (e) =>
        e.activityTaskStartedEventAttributes &&
        e.eventTime &&
        Number(e.eventTime.seconds) * 1000 >= downSince + DOWNTIME_MS - 5_000,
    );
    assert.ok(started, 'the dispatch activity started after the reconnect');
  });
});
