import assert from 'node:assert/strict';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';
import type { Context } from '@temporalio/activity';
import { createWorkerMetrics } from '../../../runtime/business-metrics';
import { activityMetrics } from '../../../workers/activity-metrics';
import { businessRuleFailure } from '../../../activities/shared/failures';

type Execute = Next<ActivityInboundCallsInterceptor, 'execute'>;

async function run(activityType: string, arg: unknown, next: Execute) {
  const metrics = createWorkerMetrics();
  const interceptors = activityMetrics(metrics, 'sap')({ info: { activityType } } as unknown as Context);
  const input = { args: [arg], headers: {} } as unknown as ActivityExecuteInput;
  await interceptors.inbound!.execute!(input, next).catch(() => undefined);
  const counted = (await metrics.postings.get()).values.map((v) => [v.labels.activity, v.labels.outcome, v.value]);
  const latencies = (await metrics.eventToPosting.get()).values.find(
    (v) => v.metricName?.endsWith('_count') && v.labels.from === 'recorded',
  );
  return { counted, latencyCount: latencies?.value ?? 0 };
}

const eventAt = { recordedAt: new Date().toISOString(), effectiveAt: new Date().toISOString() };
const issue = (key: string) => ({ kind: 'goodsMovement', goodsMovement: { idempotencyKey: key, eventAt } });
const confirmation = (key: string) => ({ kind: 'confirmation', confirmation: { idempotencyKey: key, eventAt } });

describe('activity metrics: postings counted one by one, also inside a batch', () => {
  it('counts each posting of a batch under its own verb, as new or already posted, with its event-to-posting latency', async () => {
    const { counted, latencyCount } = await run(
      'sapPostBatch',
      { postings: [issue('k1'), confirmation('k2'), issue('k3')] },
      async () => ({ results: [{ alreadyPosted: false }, { alreadyPosted: true }, { alreadyPosted: false }] }),
    );
    assert.deepEqual(counted.sort(), [
      ['sapPostConfirmation', 'already_posted', 1],
      ['sapPostGoodsMovement', 'posted', 2],
    ]);
    assert.equal(latencyCount, 3);
  });

  it("counts Odoo's already_posted answer as a posting found again", async () => {
    const { counted } = await run('odooRecordConsumption', { idempotencyKey: 'k1', moName: 'WH/MO/1' }, async () => ({
      status: 'already_posted',
    }));
    assert.deepEqual(counted, [['odooRecordConsumption', 'already_posted', 1]]);
  });

  it('a refused batch is counted as retrying (its postings go again one by one); a refused posting as refused', async () => {
    const refuse = async () => {
      throw businessRuleFailure('deficit of batch H-1', { system: 'sap' });
    };
    const batch = await run('sapPostBatch', { postings: [issue('k1'), issue('k2')] }, refuse);
    assert.deepEqual(batch.counted, [['sapPostGoodsMovement', 'retrying', 2]]);
    const single = await run('sapPostGoodsMovement', { idempotencyKey: 'k1' }, refuse);
    assert.deepEqual(single.counted, [['sapPostGoodsMovement', 'refused', 1]]);
  });
});
