import assert from 'node:assert/strict';
import { useSapSimulator } from './harness';

describe('SAP activities: batch stock', () => {
  const h = useSapSimulator();

  it('sapReadBatchStock reads what a batch holds per stock type, and follows a 344 to blocked stock', async () => {
    const before = await h.sap.sapReadBatchStock({ material: 'RM-300', plant: '1710', batch: 'H-1001' });
    assert.equal(before.byStorageLocation.length, 1);
    const [loc] = before.byStorageLocation;
    assert.deepEqual(loc!.stock, {
      unrestricted: { value: '500', uom: 'EA' },
      qualityInspection: { value: '0', uom: 'EA' },
      blocked: { value: '0', uom: 'EA' },
    });
    await h.sap.sapPostGoodsMovement({
      movementType: '344',
      material: 'RM-300',
      plant: '1710',
      batch: 'H-1001',
      storageLocation: loc!.storageLocation,
      quantity: { value: '120', uom: 'EA' },
      idempotencyKey: 'stock-test-344',
    });
    const after = await h.sap.sapReadBatchStock({ material: 'RM-300', plant: '1710', batch: 'H-1001' });
    assert.deepEqual(after.byStorageLocation[0]!.stock, {
      unrestricted: { value: '380', uom: 'EA' },
      qualityInspection: { value: '0', uom: 'EA' },
      blocked: { value: '120', uom: 'EA' },
    });
  });

  it('a batch without stock reads as holding nothing (not an error)', async () => {
    const none = await h.sap.sapReadBatchStock({ material: 'RM-300', plant: '1710', batch: 'NO-SUCH' });
    assert.deepEqual(none.byStorageLocation, []);
  });
});
