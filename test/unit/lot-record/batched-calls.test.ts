import assert from 'node:assert/strict';
import { onePerPosting } from '../../../client/lot-record/batched-calls';

const call = (activity: string, input: unknown, result?: unknown) => ({
  workflowId: 'order:1710:PO-1',
  activity,
  input,
  result,
  outcome: 'completed' as const,
  scheduledAt: '2026-12-05T08:00:00.000Z',
});

describe('lot record: a batch call read back as one call per posting', () => {
  it('splits an SAP batch into its confirmations and goods movements, each with its own answer', () => {
    const calls = onePerPosting(
      call(
        'sapPostBatch',
        {
          postings: [
            { kind: 'confirmation', confirmation: { order: '1000001', operation: '0010', idempotencyKey: 'k1' } },
            { kind: 'goodsMovement', goodsMovement: { movementType: '261', batch: 'H-1', idempotencyKey: 'k2' } },
          ],
        },
        {
          results: [
            { confirmationGroup: '7', confirmationCount: '1' },
            { materialDocument: '49', year: '2026' },
          ],
        },
      ),
    );
    assert.deepEqual(
      calls.map((c) => [c.activity, (c.input as { idempotencyKey: string }).idempotencyKey, c.result]),
      [
        ['sapPostConfirmation', 'k1', { confirmationGroup: '7', confirmationCount: '1' }],
        ['sapPostGoodsMovement', 'k2', { materialDocument: '49', year: '2026' }],
      ],
    );
    assert.ok(calls.every((c) => c.workflowId === 'order:1710:PO-1' && c.outcome === 'completed'));
  });

  it('splits Odoo consumptions; a batch still running has no answers yet; other calls pass unchanged', () => {
    const pending = onePerPosting({
      ...call('odooRecordConsumptions', { consumptions: [{ lot: 'H-1' }, { lot: 'H-2' }] }),
      outcome: 'pending' as const,
    });
    assert.deepEqual(
      pending.map((c) => [c.activity, (c.input as { lot: string }).lot, c.result, c.outcome]),
      [
        ['odooRecordConsumption', 'H-1', undefined, 'pending'],
        ['odooRecordConsumption', 'H-2', undefined, 'pending'],
      ],
    );
    const single = call('sapPostConfirmation', { idempotencyKey: 'k9' }, { confirmationGroup: '8' });
    assert.deepEqual(onePerPosting(single), [single]);
  });
});
