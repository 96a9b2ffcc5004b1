import assert from 'node:assert/strict';
import axios from 'axios';
import { CONF, IL, MD, PO, useSapWire } from './raw-client';

const QN = '/sap/opu/odata4/sap/api_qualitynotification/srvd_a2x/sap/qualitynotification/0001';

/**
 * What a real S/4HANA refuses that plantflow once sent: each rule's old call is refused, the corrected one
 * accepted (sources in docs/sap-simulator.md).
 */
describe('SAP simulator: business rules of the real system (old call refused, corrected call accepted)', () => {
  const wire = useSapWire();
  const newOrder = (extra: Record<string, unknown> = {}) =>
    wire.s.post(`${PO}/A_ProductionOrder_2`, {
      Material: 'FG-100',
      ProductionPlant: '1710',
      TotalQuantity: '10',
      ...extra,
    });

  /** A 101 receipt of FG-100 into QI: SAP opens an inspection lot; returns its number and change stamp. */
  async function inspectionLot(batch: string): Promise<{ lot: string; changed: string }> {
    const order = (await newOrder({ ManufacturingOrderType: 'YN01' })).data.d.ManufacturingOrder as string;
    await wire.s.post(`${PO}/ReleaseOrder?ManufacturingOrder='${order}'`);
    const gr = await wire.s.post(`${MD}/A_MaterialDocumentHeader`, {
      GoodsMovementCode: '02',
      to_MaterialDocumentItem: [
        {
          Material: 'FG-100',
          Plant: '1710',
          StorageLocation: '171A',
          Batch: batch,
          GoodsMovementType: '101',
          ManufacturingOrder: order,
          GoodsMovementRefDocType: 'F',
          QuantityInEntryUnit: '10',
        },
      ],
    });
    assert.equal(gr.status, 201, JSON.stringify(gr.data));
    const read = await wire.s.get(`${IL}/A_InspectionLot?$filter=Batch eq '${batch}'`);
    const row = read.data.d.results[0] as { InspectionLot: string; ChangedDateTime: string };
    return { lot: row.InspectionLot, changed: row.ChangedDateTime };
  }

  it('inspection-lot stock posting takes the UD posting proposal (VMENGE0x), not the posted quantities (LMENGE0x)', async () => {
    const { lot, changed } = await inspectionLot('IL-1');
    await wire.s.post(`${IL}/A_InspLotUsageDecision`, {
      InspectionLot: lot,
      SelectedCodeSetPlant: '1710',
      InspLotUsgeDcsnSelectedSet: '01',
      InspLotUsageDecisionCodeGroup: '01',
      InspectionLotUsageDecisionCode: 'A',
      ChangedDateTime: changed,
    });
    const post = (type: string, quantity = '4') =>
      wire.s.post(`${IL}/A_InspLotMatlDocItem`, {
        InspectionLot: lot,
        InspLotQtyPosted: quantity,
        UsageDecisionStockType: type,
      });
    const old = await post('LMENGE01');
    assert.equal(old.status, 400);
    assert.match(old.data.error.message.value, /LMENGE01 is a quantity already posted.*use VMENGE01/);
    assert.equal((await post('VMENGE01')).status, 201);
    assert.equal((await post('VMENGE02')).status, 201, 'to scrap (553)');
    assert.equal((await post('VMENGE04', '2')).status, 201, 'to blocked (350)');
    const stock = wire.sim.model.state.stock.find((r) => r.Batch === 'IL-1' && r.StorageLocation === '171A')!;
    assert.deepEqual([stock.unrestricted, stock.blocked, stock.qualityInspection], ['4', '2', '0']);
  });

  it('a usage decision names the plant’s code set; a stale lot stamp is refused (412)', async () => {
    const { lot, changed } = await inspectionLot('IL-2');
    const old = await wire.s.post(`${IL}/A_InspLotUsageDecision`, {
      InspectionLot: lot,
      InspectionLotUsageDecisionCode: 'A',
      InspLotUsageDecisionCodeGroup: '01',
    });
    assert.equal(old.status, 400);
    assert.equal(old.data.error.code, 'QA/096');
    const decision = {
      InspectionLot: lot,
      InspLotUsageDecisionLevel: 'L',
      InspLotUsageDecisionCatalog: '3',
      SelectedCodeSetPlant: '1710',
      InspLotUsgeDcsnSelectedSet: '01',
      InspLotUsageDecisionCodeGroup: '01',
      InspectionLotUsageDecisionCode: 'A',
      InspLotUsageDecisionValuation: 'A',
    };
    const notInSet = await wire.s.post(`${IL}/A_InspLotUsageDecision`, {
      ...decision,
      InspectionLotUsageDecisionCode: 'A9',
    });
    assert.match(notInSet.data.error.message.value, /Code 01\/A9 is not in selected set 01 of plant 1710/);
    const wrongValuation = await wire.s.post(`${IL}/A_InspLotUsageDecision`, {
      ...decision,
      InspLotUsageDecisionValuation: 'R',
    });
    assert.match(wrongValuation.data.error.message.value, /valuated A, not R/);
    const stale = await wire.s.post(`${IL}/A_InspLotUsageDecision`, {
      ...decision,
      ChangedDateTime: '/Date(1000+0000)/',
    });
    assert.equal(stale.status, 412);
    const made = await wire.s.post(`${IL}/A_InspLotUsageDecision`, { ...decision, ChangedDateTime: changed });
    assert.equal(made.status, 201, JSON.stringify(made.data));
    assert.deepEqual(
      [made.data.d.SelectedCodeSetPlant, made.data.d.InspLotUsgeDcsnSelectedSet, made.data.d.InspLotUsageDecisionLevel],
      ['1710', '01', 'L'],
    );
  });

  it('a production order is created only with an order type the plant has (no default through the API)', async () => {
    const old = await newOrder();
    assert.equal(old.status, 400);
    assert.equal(old.data.error.code, 'CO/072');
    const unknown = await newOrder({ ManufacturingOrderType: 'ZZ99' });
    assert.match(unknown.data.error.message.value, /Order type ZZ99 is not defined for plant 1710/);
    const made = await newOrder({ ManufacturingOrderType: 'YN01' });
    assert.equal(made.status, 201);
    assert.equal(made.data.d.ManufacturingOrderType, 'YN01');
  });

  it('scrapping (551) is charged to an existing cost center; plant 1710 defaults none', async () => {
    const scrap = (extra: Record<string, unknown>) =>
      wire.s.post(`${MD}/A_MaterialDocumentHeader`, {
        GoodsMovementCode: '03',
        to_MaterialDocumentItem: [
          {
            Material: 'RM-320',
            Plant: '1710',
            StorageLocation: '171B',
            Batch: 'S-3001',
            GoodsMovementType: '551',
            QuantityInEntryUnit: '2',
            ...extra,
          },
        ],
      });
    const old = await scrap({});
    assert.equal(old.status, 400);
    assert.equal(old.data.error.code, 'KI/235');
    assert.equal((await scrap({ CostCenter: 'NOPE' })).data.error.code, 'KI/248');
    const posted = await scrap({ CostCenter: '17101101' });
    assert.equal(posted.status, 201);
    const item = wire.sim.model.state.materialDocuments[0]!.items[0]!;
    assert.deepEqual([item.GoodsMovementType, item.CostCenter], ['551', '17101101']);
  });

  it('confirmations are looked up by ExternalSystemConfirmation within their order', async () => {
    const guid = `guid'0f0e0d0c-0000-4000-8000-000000000001'`;
    const old = await wire.s.get(`${CONF}/ProdnOrdConf2?$filter=ExternalSystemConfirmation eq ${guid}`);
    assert.equal(old.status, 400);
    assert.match(old.data.error.message.value, /within an order: add OrderID/);
    const scoped = await wire.s.get(
      `${CONF}/ProdnOrdConf2?$filter=OrderID eq '1000000' and ExternalSystemConfirmation eq ${guid}`,
    );
    assert.equal(scoped.status, 200);
    await wire.admin.setFaults({ special: { confirmationGuidFilter: 'unsupported' } });
    const unsupported = await wire.s.get(
      `${CONF}/ProdnOrdConf2?$filter=OrderID eq '1000000' and ExternalSystemConfirmation eq ${guid}`,
    );
    assert.equal(unsupported.status, 400, 'a tenant that cannot filter on the GUID');
    assert.equal((await wire.s.get(`${CONF}/ProdnOrdConf2?$filter=OrderID eq '1000000'`)).status, 200);
  });

  describe('quality notifications: the released V4 service CE_QUALITYNOTIFICATION_0001 (read, create)', () => {
    const v4 = () =>
      axios.create({
        baseURL: `${wire.url}${QN}`,
        auth: { username: 'plantflow', password: 'plantflow' },
        validateStatus: () => true,
        headers: {
          Cookie: wire.s.cookie!,
          'X-CSRF-Token': wire.s.token!,
          Accept: 'application/json;IEEE754Compatible=true',
        },
      });

    it('the V2 service and its invented order field are gone; V4 creates with items and refuses updates', async () => {
      const v2 = await wire.s.post('/API_QUALITYNOTIFICATION/QualityNotification', { NotificationText: 'x' });
      assert.equal(v2.status, 403, 'no V2 quality-notification service');
      const http = v4();
      const meta = await http.get('/$metadata');
      assert.match(String(meta.data), /<EntityType Name="QualityNotification_Type">/);
      assert.doesNotMatch(String(meta.data), /ManufacturingOrder/);
      const doc = await http.get('/');
      assert.deepEqual(
        doc.data.value.map((v: { name: string }) => v.name),
        ['QualityNotification', 'QualityNotificationItem'],
      );
      const body = {
        NotificationType: 'Q3',
        NotificationText: 'Coating blisters',
        Material: 'FG-100',
        Plant: '1710',
        Batch: 'FG-1',
        _QualityNotificationItem: [{ DefectCodeGroup: 'COAT', DefectCode: 'BL', InternalDefectiveQuantity: '3' }],
      };
      const old = await http.post(
        '/QualityNotification',
        { ...body, ManufacturingOrder: '1000000' },
        {
          headers: { 'Content-Type': 'application/json;IEEE754Compatible=true' },
        },
      );
      assert.equal(old.status, 400);
      assert.match(old.data.error.message, /property 'ManufacturingOrder' does not exist/);
      const untyped = await http.post(
        '/QualityNotification',
        { ...body, NotificationType: undefined },
        {
          headers: { 'Content-Type': 'application/json;IEEE754Compatible=true' },
        },
      );
      assert.match(untyped.data.error.message, /Enter a notification type/);
      const made = await http.post('/QualityNotification', body, {
        headers: { 'Content-Type': 'application/json;IEEE754Compatible=true' },
      });
      assert.equal(made.status, 201, JSON.stringify(made.data));
      const id = made.data.QualityNotification as string;
      assert.equal(made.data.NotifProcessingPhase, '1');
      assert.deepEqual(
        made.data._QualityNotificationItem.map(
          (i: { InternalDefectiveQuantity: string }) => i.InternalDefectiveQuantity,
        ),
        ['3.000'],
      );
      const read = await http.get(`/QualityNotification('${id}')`);
      assert.match(String(read.headers.etag), /^W\/"/);
      const found = await http.get(
        `/QualityNotification?$filter=startswith(NotificationText,'Coating')&$select=QualityNotification`,
      );
      assert.deepEqual(
        found.data.value.map((v: { QualityNotification: string }) => v.QualityNotification),
        [id],
      );
      const patch = await http.patch(
        `/QualityNotification('${id}')`,
        { NotifProcessingPhase: '4' },
        {
          headers: { 'If-Match': String(read.headers.etag), 'Content-Type': 'application/json' },
        },
      );
      assert.equal(patch.status, 405, 'the processing phase cannot be patched');
      const action = await http.post(`/QualityNotification('${id}')/SAP__self.Complete`, {});
      assert.equal(action.status, 404, 'and there is no completing action');
      assert.equal(wire.sim.model.state.notifications[0]!.NotifProcessingPhase, '1');
    });
  });
});
