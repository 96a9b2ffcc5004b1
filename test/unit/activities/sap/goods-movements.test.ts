import assert from 'node:assert/strict';
import { createSapActivities } from '../../../../activities/sap/activities';
import { headerTextKey } from '../../../../activities/sap/idempotency';
import { applied, ea, failureOf, kg, seedOrder, stockOf, useSapSimulator } from './harness';

describe('SAP activities: goods movements', () => {
  const h = useSapSimulator();

  it('posts a 261 against the order with the right GM code; a retry finds it by header text', async () => {
    const order = seedOrder(h);
    const input = {
      movementType: '261' as const,
      material: 'RM-400',
      plant: '1710',
      batch: 'R-4001',
      quantity: kg('2.5'),
      order,
      idempotencyKey: 'order:1/consume/evt-9',
    };
    const first = await h.sap.sapPostGoodsMovement(input);
    assert.equal(first.alreadyPosted, false);
    const again = await h.sap.sapPostGoodsMovement(input);
    assert.deepEqual(again, { ...first, alreadyPosted: true });
    assert.equal((await applied(h, 'A_MaterialDocumentHeader.create')).length, 1);
    const [doc] = h.sim.model.state.materialDocuments;
    assert.deepEqual(
      [
        doc!.GoodsMovementCode,
        doc!.MaterialDocumentHeaderText,
        doc!.items[0]!.StorageLocation,
        doc!.items[0]!.QuantityInEntryUnit,
        doc!.items[0]!.EntryUnit,
      ],
      ['03', headerTextKey('order:1/consume/evt-9'), '171B', '2.5', 'KG'],
    );
    assert.ok(doc!.MaterialDocumentHeaderText.length <= 25);
    assert.equal(stockOf(h, 'RM-400', 'R-4001')?.unrestricted, '197.5');
    assert.equal(h.sim.model.order(order)!.components[2]!.WithdrawnQuantity, '2.5');
  });

  it('scrapping (551/555) is charged to the plant’s configured cost center; without one SAP refuses', async () => {
    const scrap = {
      movementType: '551' as const,
      material: 'RM-320',
      plant: '1710',
      batch: 'S-3001',
      storageLocation: '171B',
      quantity: ea('2'),
      idempotencyKey: 'ncr:NCR-3/exec/L1/scrap',
    };
    const bare = createSapActivities({ url: h.url, user: 'plantflow', password: 'plantflow', timeoutMs: 3_000 });
    const refused = await failureOf(bare.sapPostGoodsMovement(scrap), 'BusinessRule');
    assert.match(refused.message, /KI\/235 Account assignment mandatory for movement type 551/);
    await h.sap.sapPostGoodsMovement(scrap);
    const [doc] = h.sim.model.state.materialDocuments;
    assert.deepEqual([doc!.items[0]!.GoodsMovementType, doc!.items[0]!.CostCenter], ['551', '17101101']);
    assert.equal(stockOf(h, 'RM-320', 'S-3001')?.unrestricted, '998');
  });

  it('101 receipt of an inspection-managed product lands in QI; 321 then moves it to unrestricted', async () => {
    const order = seedOrder(h);
    await h.sap.sapPostGoodsMovement({
      movementType: '101',
      material: 'FG-100',
      plant: '1710',
      batch: 'FG-10',
      quantity: ea('10'),
      order,
      idempotencyKey: 'gr-1',
    });
    assert.equal(stockOf(h, 'FG-100', 'FG-10')?.qualityInspection, '10');
    assert.deepEqual(h.sim.model.order(order)!.statuses, ['REL', 'DLV', 'GMPS']);
    await h.sap.sapPostGoodsMovement({
      movementType: '321',
      material: 'FG-100',
      plant: '1710',
      batch: 'FG-10',
      quantity: ea('4'),
      idempotencyKey: 'qi-1',
    });
    const s = stockOf(h, 'FG-100', 'FG-10')!;
    assert.deepEqual([s.qualityInspection, s.unrestricted, s.StorageLocation], ['6', '4', '171A']);
    assert.equal(h.sim.model.state.materialDocuments[1]!.GoodsMovementCode, '04');
  });

  it('a shortage is a BusinessRule with SAP\'s "Deficit of …" text', async () => {
    const failure = await failureOf(
      h.sap.sapPostGoodsMovement({
        movementType: '551',
        material: 'RM-320',
        plant: '1710',
        storageLocation: '171B',
        batch: 'S-3001',
        quantity: ea('5000'),
        reasonCode: '0001',
        idempotencyKey: 'scrap-1',
      }),
      'BusinessRule',
    );
    assert.match(failure.message, /M7\/021 Deficit of BA Unrestricted-use 4000 EA : RM-320 1710 171B S-3001/);
    assert.equal(stockOf(h, 'RM-320', 'S-3001')?.unrestricted, '1000');
  });

  it('posting period closed refuses goods movements as BusinessRule', async () => {
    await h.admin.setFaults({ special: { postingPeriodClosed: true } });
    const failure = await failureOf(
      h.sap.sapPostGoodsMovement({
        movementType: '551',
        material: 'RM-320',
        plant: '1710',
        storageLocation: '171B',
        batch: 'S-3001',
        quantity: ea('1'),
        idempotencyKey: 'scrap-2',
      }),
      'BusinessRule',
    );
    assert.match(failure.message, /M7\/053/);
  });
});
