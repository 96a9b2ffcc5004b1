import assert from 'node:assert/strict';
import { FailureType } from '../../../../domain/failures';
import type { SapBatchedPosting } from '../../../../activities/sap/activities';
import { applied, ea, failureOf, seedOrder, stockOf, useSapSimulator } from './harness';

describe('SAP activities: several postings of one order in one call', () => {
  const h = useSapSimulator();

  const issue = (order: string, batch: string, value: string, key: string): SapBatchedPosting => ({
    kind: 'goodsMovement',
    goodsMovement: {
      movementType: '261',
      material: 'RM-300',
      plant: '1710',
      batch,
      quantity: ea(value),
      order,
      idempotencyKey: key,
    },
  });
  const confirm = (order: string, key: string): SapBatchedPosting => ({
    kind: 'confirmation',
    confirmation: { order, operation: '0010', yield: ea('4'), final: false, idempotencyKey: key },
  });

  it('posts confirmations and goods issues in order, each once; the same batch again posts nothing', async () => {
    const order = seedOrder(h);
    const postings = [issue(order, 'H-1001', '5', 'k/1'), confirm(order, 'k/2'), issue(order, 'H-1001', '7', 'k/3')];
    const first = await h.sap.sapPostBatch({ postings });
    assert.deepEqual(
      first.results.map((r) => r.alreadyPosted),
      [false, false, false],
    );
    const again = await h.sap.sapPostBatch({ postings });
    assert.deepEqual(
      again.results.map((r) => r.alreadyPosted),
      [true, true, true],
    );
    assert.equal((await applied(h, 'A_MaterialDocumentHeader.create')).length, 2);
    assert.equal((await applied(h, 'ProdnOrdConf2.create')).length, 1);
    assert.equal(stockOf(h, 'RM-300', 'H-1001')?.unrestricted, '488', 'issued 5 and 7 once');
  });

  it('a posting SAP refuses stops the batch there: the ones before it are posted, the ones after are not', async () => {
    const order = seedOrder(h);
    const postings = [
      issue(order, 'H-1001', '5', 'k/1'),
      issue(order, 'H-1001', '100000', 'k/2'),
      issue(order, 'H-1001', '7', 'k/3'),
    ];
    const failure = await failureOf(h.sap.sapPostBatch({ postings }), FailureType.BusinessRule);
    assert.match(failure.message, /deficit|stock|quantity/i);
    assert.equal((await applied(h, 'A_MaterialDocumentHeader.create')).length, 1);
    assert.equal(stockOf(h, 'RM-300', 'H-1001')?.unrestricted, '495');
  });

  it('refuses an empty or oversized batch, and an invalid posting inside, before anything reaches SAP', async () => {
    const order = seedOrder(h);
    await failureOf(h.sap.sapPostBatch({ postings: [] }), FailureType.BusinessRule);
    const many = Array.from({ length: 51 }, (_, i) => issue(order, 'H-1001', '1', `k/${i}`));
    await failureOf(h.sap.sapPostBatch({ postings: many }), FailureType.BusinessRule);
    const bad = await failureOf(
      h.sap.sapPostBatch({ postings: [issue(order, 'h-lower', '1', 'k/x')] }),
      FailureType.BusinessRule,
    );
    assert.match(bad.message, /upper-case/);
    assert.equal((await applied(h, 'A_MaterialDocumentHeader.create')).length, 0);
  });
});
