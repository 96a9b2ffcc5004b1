import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSapSimulator, type SapSimulator } from '../../../../simulators/sap';
import { SimulatorAdmin } from '../../../../simulators/shared/admin-client';
import { CONF, IL, MD, PO, RawSapSession } from './raw-client';

describe('SAP simulator: production, inventory and quality state', () => {
  let sim: SapSimulator;
  let url: string;
  let admin: SimulatorAdmin;
  let s: RawSapSession;
  let order: string;

  const stock = (material: string, batch: string) =>
    sim.model.state.stock.find((r) => r.Material === material && r.Batch === batch);
  const orderRec = () => sim.model.order(order)!;
  const confirm = (body: Record<string, unknown>) => s.post(`${CONF}/ProdnOrdConf2`, { OrderID: order, ...body });

  before(async () => {
    sim = createSapSimulator();
    url = await sim.server.start(0);
    admin = new SimulatorAdmin(url);
  });
  beforeEach(async () => {
    await admin.reset();
    s = new RawSapSession(url);
    await s.fetchToken();
    order = (
      await s.post(`${PO}/A_ProductionOrder_2`, {
        Material: 'FG-100',
        ProductionPlant: '1710',
        TotalQuantity: '10',
        ManufacturingOrderType: 'YN01',
      })
    ).data.d.ManufacturingOrder;
  });
  after(() => sim.stop());

  it('creates orders with internal numbers, routing and BOM from the demo plant', () => {
    const o = orderRec();
    assert.equal(o.ManufacturingOrder, '1000000');
    assert.deepEqual(
      o.operations.map((op) => [op.ManufacturingOrderOperation, op.WorkCenter]),
      [
        ['0010', 'ASSY1'],
        ['0020', 'TEST1'],
      ],
    );
    assert.deepEqual(
      o.components.map((c) => [c.Material, c.RequiredQuantity, c.BaseUnit]),
      [
        ['RM-300', '10', 'EA'],
        ['RM-310', '10', 'EA'],
        ['RM-400', '2.5', 'KG'],
      ],
    );
    assert.deepEqual(o.statuses, ['CRTD']);
  });

  it('confirmation of an unreleased order is refused with BS/013; release is once only', async () => {
    const refused = await confirm({ OrderOperation: '0010', ConfirmationYieldQuantity: '1' });
    assert.equal(refused.status, 400);
    assert.equal(refused.data.error.code, 'BS/013');
    assert.equal((await s.post(`${PO}/ReleaseOrder?ManufacturingOrder='${order}'`)).status, 200);
    const again = await s.post(`${PO}/ReleaseOrder?ManufacturingOrder='${order}'`);
    assert.equal(again.status, 400);
    assert.equal(again.data.error.code, 'PP_ODATA_API_PRODORD/106');
    assert.deepEqual(orderRec().statuses, ['REL']);
  });

  describe('a released order', () => {
    beforeEach(async () => {
      await s.post(`${PO}/ReleaseOrder?ManufacturingOrder='${order}'`);
    });

    it('partial then final confirmations move PCNF → CNF; goods movements land in stock and on the order', async () => {
      const first = await confirm({
        OrderOperation: '0010',
        ConfirmationYieldQuantity: '4',
        ConfirmationScrapQuantity: '1',
        to_ProdnOrdConfMatlDocItm: {
          results: [{ Material: 'RM-300', Batch: 'H-1001', GoodsMovementType: '261', QuantityInEntryUnit: '5' }],
        },
      });
      assert.equal(first.status, 201);
      assert.equal(first.data.d.ConfirmationCount, '1');
      assert.equal(first.data.d.to_ProdnOrdConfMatlDocItm.results[0].GoodsMovementType, '261');
      assert.deepEqual(orderRec().statuses, ['REL', 'PCNF', 'GMPS']);
      assert.equal(stock('RM-300', 'H-1001')?.unrestricted, '495');
      assert.equal(orderRec().components[0]!.WithdrawnQuantity, '5');
      await confirm({ OrderOperation: '0010', ConfirmationYieldQuantity: '6', IsFinalConfirmation: true });
      await confirm({
        OrderOperation: '0020',
        ConfirmationYieldQuantity: '10',
        IsFinalConfirmation: true,
        to_ProdnOrdConfMatlDocItm: [
          { Material: 'FG-100', Batch: 'FG-0001', GoodsMovementType: '101', QuantityInEntryUnit: '10' },
        ],
      });
      const o = orderRec();
      assert.equal(o.MfgOrderConfirmedYieldQty, '10');
      assert.deepEqual(o.statuses, ['REL', 'CNF', 'DLV', 'GMPS']);
      assert.equal(stock('FG-100', 'FG-0001')?.qualityInspection, '10', 'inspection-managed product goes to QI');
      const lot = sim.model.state.inspectionLots[0]!;
      assert.deepEqual(
        [lot.Material, lot.Batch, lot.InspectionLotOrigin, lot.InspectionLotQuantity, lot.ManufacturingOrder],
        ['FG-100', 'FG-0001', '04', '10', order],
      );
      const items = await s.get(`${CONF}/ProdnOrdConfMatlDocItm?$filter=OrderID eq '${order}'`);
      assert.deepEqual(
        items.data.d.results.map((i: { GoodsMovementType: string }) => i.GoodsMovementType),
        ['261', '101'],
      );
    });

    it('CancelProdnOrdConf reverses quantities, statuses and goods movements (262), once', async () => {
      const posted = await confirm({
        OrderOperation: '0010',
        ConfirmationYieldQuantity: '10',
        IsFinalConfirmation: true,
        to_ProdnOrdConfMatlDocItm: [
          { Material: 'RM-310', Batch: 'I-2001', GoodsMovementType: '261', QuantityInEntryUnit: '10' },
        ],
      });
      const { ConfirmationGroup: g, ConfirmationCount: c } = posted.data.d;
      const cancel = await s.post(`${CONF}/CancelProdnOrdConf?ConfirmationGroup='${g}'&ConfirmationCount='${c}'`);
      assert.equal(cancel.status, 200);
      assert.equal(cancel.data.d.IsReversal, true);
      assert.equal(cancel.data.d.ConfirmationCount, '2');
      const op = orderRec().operations[0]!;
      assert.equal(op.OpTotalConfirmedYieldQty, '0');
      assert.deepEqual(op.statuses, ['REL']);
      assert.equal(stock('RM-310', 'I-2001')?.unrestricted, '500');
      const docs = sim.model.state.materialDocuments;
      assert.deepEqual(
        docs.map((d) => d.items[0]!.GoodsMovementType),
        ['261', '262'],
      );
      assert.equal(docs[0]!.items[0]!.GoodsMovementIsCancelled, true);
      const original = await s.get(`${CONF}/ProdnOrdConf2(ConfirmationGroup='${g}',ConfirmationCount='${c}')`);
      assert.equal(original.data.d.IsReversed, true);
      const twice = await s.post(`${CONF}/CancelProdnOrdConf?ConfirmationGroup='${g}'&ConfirmationCount='${c}'`);
      assert.equal(twice.status, 400);
      assert.equal(twice.data.error.code, 'RU/138');
    });

    it('a deficit in a confirmation goes to COGI with a sap-message warning; the confirmation is saved', async () => {
      const res = await confirm({
        OrderOperation: '0010',
        ConfirmationYieldQuantity: '1',
        to_ProdnOrdConfMatlDocItm: [
          { Material: 'RM-300', Batch: 'H-1001', GoodsMovementType: '261', QuantityInEntryUnit: '900' },
        ],
      });
      assert.equal(res.status, 201);
      const message = JSON.parse(String(res.headers['sap-message']));
      assert.equal(message.code, 'M7/021');
      assert.equal(message.severity, 'warning');
      assert.equal(sim.model.state.failedGoodsMovements.length, 1);
      assert.equal(stock('RM-300', 'H-1001')?.unrestricted, '500');
      assert.equal(orderRec().operations[0]!.OpTotalConfirmedYieldQty, '1');
    });

    it('a material document with a deficit is refused whole with M7/021 "Deficit of …"', async () => {
      const res = await s.post(`${MD}/A_MaterialDocumentHeader`, {
        GoodsMovementCode: '03',
        to_MaterialDocumentItem: {
          results: [
            {
              Material: 'RM-300',
              Plant: '1710',
              StorageLocation: '171B',
              Batch: 'H-1002',
              GoodsMovementType: '261',
              ManufacturingOrder: order,
              QuantityInEntryUnit: '5',
            },
            {
              Material: 'RM-310',
              Plant: '1710',
              StorageLocation: '171B',
              Batch: 'I-2001',
              GoodsMovementType: '261',
              ManufacturingOrder: order,
              QuantityInEntryUnit: '600',
            },
          ],
        },
      });
      assert.equal(res.status, 400);
      assert.equal(res.data.error.code, 'M7/021');
      assert.equal(res.data.error.message.value, 'Deficit of BA Unrestricted-use 100 EA : RM-310 1710 171B I-2001');
      assert.equal(stock('RM-300', 'H-1002')?.unrestricted, '500', 'nothing of the refused document was posted');
      assert.equal(sim.model.state.materialDocuments.length, 0);
    });

    it('postingPeriodClosed refuses confirmations and goods movements with M7/053; lockRate answers 423', async () => {
      await admin.setFaults({ special: { postingPeriodClosed: true } });
      const conf = await confirm({ OrderOperation: '0010', ConfirmationYieldQuantity: '1' });
      assert.equal(conf.status, 400);
      assert.equal(conf.data.error.code, 'M7/053');
      assert.match(
        conf.data.error.message.value,
        /^Posting only possible in periods \d{4}\/\d{2} and \d{4}\/\d{2} in company code 1710$/,
      );
      const gm = await s.post(`${MD}/A_MaterialDocumentHeader`, {
        GoodsMovementCode: '03',
        to_MaterialDocumentItem: [
          {
            Material: 'RM-300',
            Plant: '1710',
            StorageLocation: '171B',
            Batch: 'H-1001',
            GoodsMovementType: '551',
            CostCenter: '17101101',
            QuantityInEntryUnit: '1',
          },
        ],
      });
      assert.equal(gm.data.error.code, 'M7/053');
      await admin.setFaults({ special: { lockRate: 1 } });
      const locked = await confirm({ OrderOperation: '0010', ConfirmationYieldQuantity: '1' });
      assert.equal(locked.status, 423);
      assert.equal(sim.model.state.confirmations.length, 0);
      const confirmations = await admin.writes({ operation: 'ProdnOrdConf2.create' });
      assert.deepEqual(
        confirmations.map((w) => [w.status, w.applied]),
        [
          [400, false],
          [423, false],
        ],
      );
      assert.equal((await admin.writes({ operation: 'A_MaterialDocumentHeader.create', applied: true })).length, 0);
    });

    it('usage decision once, then QI stock posted to unrestricted and blocked through the lot', async () => {
      await s.post(`${MD}/A_MaterialDocumentHeader`, {
        GoodsMovementCode: '02',
        to_MaterialDocumentItem: [
          {
            Material: 'FG-100',
            Plant: '1710',
            StorageLocation: '171A',
            Batch: 'FG-7',
            GoodsMovementType: '101',
            ManufacturingOrder: order,
            GoodsMovementRefDocType: 'F',
            QuantityInEntryUnit: '8',
          },
        ],
      });
      const lots = await s.get(`${IL}/A_InspectionLot?$filter=Material eq 'FG-100' and Batch eq 'FG-7'`);
      const lot = lots.data.d.results[0].InspectionLot as string;
      assert.deepEqual(orderRec().statuses, ['REL', 'PDLV', 'GMPS']);
      const ud = {
        InspectionLot: lot,
        SelectedCodeSetPlant: '1710',
        InspLotUsgeDcsnSelectedSet: '01',
        InspLotUsageDecisionCodeGroup: '01',
        InspectionLotUsageDecisionCode: 'A',
      };
      assert.equal((await s.post(`${IL}/A_InspLotUsageDecision`, ud)).status, 201);
      const again = await s.post(`${IL}/A_InspLotUsageDecision`, ud);
      assert.equal(again.status, 400);
      assert.equal(
        (
          await s.post(`${IL}/A_InspLotMatlDocItem`, {
            InspectionLot: lot,
            InspLotQtyPosted: '6',
            UsageDecisionStockType: 'VMENGE01',
          })
        ).status,
        201,
      );
      assert.equal(
        (
          await s.post(`${IL}/A_InspLotMatlDocItem`, {
            InspectionLot: lot,
            InspLotQtyPosted: '2',
            UsageDecisionStockType: 'VMENGE04',
          })
        ).status,
        201,
      );
      const over = await s.post(`${IL}/A_InspLotMatlDocItem`, {
        InspectionLot: lot,
        InspLotQtyPosted: '1',
        UsageDecisionStockType: 'VMENGE01',
      });
      assert.equal(over.status, 400);
      assert.deepEqual(stock('FG-100', 'FG-7'), {
        Material: 'FG-100',
        Plant: '1710',
        StorageLocation: '171A',
        Batch: 'FG-7',
        unrestricted: '6',
        qualityInspection: '0',
        blocked: '2',
      });
      const read = await s.get(`${IL}/A_InspectionLot('${lot}')`);
      assert.equal(read.data.d.InspectionLotHasUsageDecision, true);
      assert.equal(read.data.d.InspLotIsStockPostingCompleted, true);
      assert.equal(read.data.d.InspLotQtyToFree, '6');
    });

    it('Cancel reverses a material document once and TECO closes the order for confirmations', async () => {
      const doc = await s.post(`${MD}/A_MaterialDocumentHeader`, {
        GoodsMovementCode: '03',
        to_MaterialDocumentItem: [
          {
            Material: 'RM-320',
            Plant: '1710',
            StorageLocation: '171B',
            Batch: 'S-3001',
            GoodsMovementType: '551',
            GoodsMovementReasonCode: '0001',
            CostCenter: '17101101',
            QuantityInEntryUnit: '3',
          },
        ],
      });
      assert.equal(doc.status, 201);
      const { MaterialDocument: no, MaterialDocumentYear: year } = doc.data.d;
      assert.equal(stock('RM-320', 'S-3001')?.unrestricted, '997');
      const cancel = await s.post(`${MD}/Cancel?MaterialDocumentYear='${year}'&MaterialDocument='${no}'`, {});
      assert.equal(cancel.status, 200);
      assert.equal(stock('RM-320', 'S-3001')?.unrestricted, '1000');
      assert.equal((await s.post(`${MD}/Cancel?MaterialDocumentYear='${year}'&MaterialDocument='${no}'`)).status, 400);
      assert.equal((await s.post(`${PO}/TechlyCmpltOrder?ManufacturingOrder='${order}'`)).status, 200);
      const late = await confirm({ OrderOperation: '0010', ConfirmationYieldQuantity: '1' });
      assert.equal(late.data.error.code, 'BS/013');
      assert.deepEqual(orderRec().statuses, ['REL', 'TECO']);
    });
  });

  it('keeps its business state in the state file across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sap-sim-'));
    try {
      const file = join(dir, 'sap.json');
      const first = createSapSimulator({ stateFile: file });
      const firstUrl = await first.server.start(0);
      const session = new RawSapSession(firstUrl);
      await session.fetchToken();
      await session.post(`${PO}/A_ProductionOrder_2`, {
        Material: 'FG-200',
        ProductionPlant: '1710',
        TotalQuantity: '3',
        ManufacturingOrderType: 'YN01',
      });
      await first.stop();
      const second = createSapSimulator({ stateFile: file });
      assert.deepEqual(
        second.model.state.orders.map((o) => [o.ManufacturingOrder, o.Material]),
        [['1000000', 'FG-200']],
      );
      await second.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
