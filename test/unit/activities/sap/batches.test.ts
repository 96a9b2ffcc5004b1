import assert from 'node:assert/strict';
import { FaultInjector } from '../../../../simulators/shared/faults';
import { applied, failureOf, useSapSimulator } from './harness';

describe('SAP activities: batches', () => {
  const h = useSapSimulator();
  const batchOf = (material: string, batch: string) => h.sim.model.batch(material, batch);

  it('sapEnsureBatch creates a missing batch restricted; a retry changes nothing', async () => {
    const first = await h.sap.sapEnsureBatch({
      material: 'FG-100',
      batch: 'FG-2024-01',
      plant: '1710',
      restricted: true,
    });
    assert.deepEqual([first.created, first.changed], [true, false]);
    const again = await h.sap.sapEnsureBatch({
      material: 'FG-100',
      batch: 'FG-2024-01',
      plant: '1710',
      restricted: true,
    });
    assert.deepEqual([again.created, again.changed], [false, false]);
    assert.equal((await applied(h, 'Batch.create')).length, 1);
    assert.equal((await h.admin.writes({ operation: 'Batch.patch' })).length, 0);
    assert.equal(batchOf('FG-100', 'FG-2024-01')?.MatlBatchIsInRstrcdUseStock, true);
  });

  it('sapEnsureBatch on an existing batch PATCHes the restriction with If-Match only when it differs', async () => {
    const r = await h.sap.sapEnsureBatch({ material: 'RM-300', batch: 'H-1001', plant: '1710', restricted: true });
    assert.deepEqual([r.created, r.changed], [false, true]);
    assert.equal(batchOf('RM-300', 'H-1001')?.MatlBatchIsInRstrcdUseStock, true);
    const patches = await h.admin.writes({ operation: 'Batch.patch' });
    assert.deepEqual(
      patches.map((p) => [p.status, p.refs.restricted]),
      [[204, 'true']],
    );
  });

  it('sapSetBatchRestricted releases and re-restricts; sapReadBatch reads it back', async () => {
    await h.sap.sapSetBatchRestricted({ material: 'RM-310', batch: 'I-2001', restricted: true });
    assert.equal(
      (await h.sap.sapSetBatchRestricted({ material: 'RM-310', batch: 'I-2001', restricted: true })).changed,
      false,
    );
    await h.sap.sapSetBatchRestricted({ material: 'RM-310', batch: 'I-2001', restricted: false });
    const read = await h.sap.sapReadBatch({ material: 'RM-310', batch: 'I-2001' });
    assert.deepEqual(read, {
      exists: true,
      material: 'RM-310',
      batch: 'I-2001',
      restricted: false,
      markedForDeletion: false,
      shelfLifeExpirationDate: null,
      manufactureDate: null,
    });
    assert.deepEqual(await h.sap.sapReadBatch({ material: 'RM-310', batch: 'NOPE' }), {
      exists: false,
      material: 'RM-310',
      batch: 'NOPE',
    });
    assert.equal((await applied(h, 'Batch.patch')).length, 2);
  });

  it('a 412 is answered by re-reading and retrying once', async () => {
    // Find a seed whose first ETag roll conflicts and whose second does not (the PRNG is deterministic).
    let seed = 1;
    for (; ; seed += 1) {
      const f = new FaultInjector();
      f.set({ seed });
      if (f.roll() < 0.5 && f.roll() >= 0.5) break;
    }
    await h.admin.setFaults({ seed, special: { etagConflictRate: 0.5 } });
    const r = await h.sap.sapSetBatchRestricted({ material: 'RM-300', batch: 'H-1002', restricted: true });
    assert.equal(r.changed, true);
    const patches = await h.admin.writes({ operation: 'Batch.patch' });
    assert.deepEqual(
      patches.map((p) => [p.status, p.applied]),
      [
        [412, false],
        [204, true],
      ],
    );
  });

  it('keeps refusing on the ETag (412 twice) → Transient; unknown batch → BusinessRule', async () => {
    await h.admin.setFaults({ special: { etagConflictRate: 1 } });
    const failure = await failureOf(
      h.sap.sapSetBatchRestricted({ material: 'RM-300', batch: 'H-1002', restricted: true }),
      'Transient',
    );
    assert.equal(failure.nonRetryable, false);
    assert.equal((await h.admin.writes({ operation: 'Batch.patch' })).length, 2);
    await h.admin.clearFaults();
    await failureOf(
      h.sap.sapSetBatchRestricted({ material: 'RM-300', batch: 'NOPE', restricted: true }),
      'BusinessRule',
    );
  });

  it('refuses batch numbers SAP cannot store', async () => {
    await failureOf(
      h.sap.sapEnsureBatch({ material: 'FG-100', batch: 'lower-case', plant: '1710', restricted: true }),
      'BusinessRule',
    );
    await failureOf(
      h.sap.sapEnsureBatch({ material: 'FG-100', batch: 'ELEVENCHARS', plant: '1710', restricted: true }),
      'BusinessRule',
    );
  });
});
