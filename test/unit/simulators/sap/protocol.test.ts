import assert from 'node:assert/strict';
import axios from 'axios';
import { createSapSimulator, type SapSimulator } from '../../../../simulators/sap';
import { SimulatorAdmin } from '../../../../simulators/shared/admin-client';
import { BATCH, CONF, PO, RawSapSession } from './raw-client';

describe('SAP simulator: Gateway protocol', () => {
  let sim: SapSimulator;
  let url: string;
  let admin: SimulatorAdmin;
  let s: RawSapSession;

  before(async () => {
    sim = createSapSimulator();
    url = await sim.server.start(0);
    admin = new SimulatorAdmin(url);
  });
  beforeEach(async () => {
    await admin.reset();
    s = new RawSapSession(url);
  });
  after(() => sim.stop());

  const createOrder = () =>
    s.post(`${PO}/A_ProductionOrder_2`, {
      Material: 'FG-100',
      ProductionPlant: '1710',
      TotalQuantity: '10',
      ManufacturingOrderType: 'YN01',
    });

  describe('authentication and CSRF', () => {
    it('refuses wrong credentials with 401 and a Basic challenge', async () => {
      const res = await new RawSapSession(url, { username: 'plantflow', password: 'nope' }).get(
        `${PO}/A_ProductionOrder_2`,
      );
      assert.equal(res.status, 401);
      assert.match(String(res.headers['www-authenticate']), /^Basic realm=/);
    });

    it('answers an unknown service with 403 and a V2 error naming it', async () => {
      const res = await s.get('/API_NOT_THERE_SRV/');
      assert.equal(res.status, 403);
      assert.match(res.data.error.message.value, /API_NOT_THERE_SRV/);
    });

    it('refuses a write without token (403 x-csrf-token: Required) and journals it as not applied', async () => {
      const res = await createOrder();
      assert.equal(res.status, 403);
      assert.equal(res.headers['x-csrf-token'], 'Required');
      const writes = await admin.writes({ operation: 'A_ProductionOrder_2.create' });
      assert.deepEqual(
        writes.map((w) => [w.status, w.applied]),
        [[403, false]],
      );
      assert.equal(sim.model.state.orders.length, 0);
    });

    it('binds the token to the session cookie: token without cookie is refused, both together pass', async () => {
      const fetched = await s.fetchToken();
      assert.equal(fetched.status, 200);
      assert.ok(s.token && s.cookie?.includes('SAP_SESSIONID_PFS_100='));
      const cookie = s.cookie;
      s.cookie = undefined;
      assert.equal((await createOrder()).status, 403);
      s.cookie = cookie;
      const ok = await createOrder();
      assert.equal(ok.status, 201);
      assert.equal(ok.data.d.ManufacturingOrder, '1000000');
    });

    it('csrfExpireEvery=2 expires the token on every second write; a refetch in the same session works', async () => {
      await s.fetchToken();
      await admin.setFaults({ special: { csrfExpireEvery: 2 } });
      assert.equal((await createOrder()).status, 201);
      assert.equal((await createOrder()).status, 403);
      await s.fetchToken();
      assert.equal((await createOrder()).status, 201);
      assert.equal(sim.model.state.orders.length, 2);
    });
  });

  describe('ETags', () => {
    const batchPath = `${BATCH}/Batch(Material='RM-300',BatchIdentifyingPlant='',Batch='H-1001')`;

    it('PATCH without If-Match → 428; stale → 412; current → 204 with a new ETag', async () => {
      await s.fetchToken();
      const read = await s.get(batchPath);
      const etag = read.headers.etag as string;
      assert.match(etag, /^W\/"datetimeoffset'/);
      assert.equal(read.data.d.__metadata.etag, etag);
      assert.equal((await s.patch(batchPath, { MatlBatchIsInRstrcdUseStock: true })).status, 428);
      const ok = await s.patch(batchPath, { d: { MatlBatchIsInRstrcdUseStock: true } }, { 'If-Match': etag });
      assert.equal(ok.status, 204);
      assert.notEqual(ok.headers.etag, etag);
      const stale = await s.patch(batchPath, { MatlBatchIsInRstrcdUseStock: false }, { 'If-Match': etag });
      assert.equal(stale.status, 412);
      assert.equal(sim.model.batch('RM-300', 'H-1001')?.MatlBatchIsInRstrcdUseStock, true);
      const journal = await admin.writes({ operation: 'Batch.patch' });
      assert.deepEqual(
        journal.map((w) => [w.status, w.applied, w.refs.batch]),
        [
          [428, false, 'H-1001'],
          [204, true, 'H-1001'],
          [412, false, 'H-1001'],
        ],
      );
    });

    it('etagConflictRate=1 answers 412 even with the right ETag', async () => {
      await s.fetchToken();
      await admin.setFaults({ special: { etagConflictRate: 1 } });
      const etag = (await s.get(batchPath)).headers.etag as string;
      assert.equal((await s.patch(batchPath, { MatlBatchIsInRstrcdUseStock: true }, { 'If-Match': etag })).status, 412);
    });
  });

  describe('errors and capabilities', () => {
    it('unknown entity set / key → 404 "Resource not found for the segment" with a V2 body', async () => {
      const res = await s.get(`${PO}/A_ProductionOrder_2('999')`);
      assert.equal(res.status, 404);
      assert.equal(res.data.error.message.value, "Resource not found for the segment 'A_ProductionOrder_2('999')'.");
      assert.equal(res.data.error.message.lang, 'en');
      assert.ok(res.data.error.innererror.transactionid);
      assert.equal((await s.get(`${PO}/A_Nothing`)).status, 404);
      assert.equal((await s.get(`${PO}/A_ProductionOrder_2(1000000)`)).status, 404, 'unquoted string key');
    });

    it('unknown properties and JSON numbers for decimals → 400', async () => {
      await s.fetchToken();
      const unknown = await s.post(`${PO}/A_ProductionOrder_2`, {
        Material: 'FG-100',
        ProductionPlant: '1710',
        TotalQuantity: '1',
        ManufacturingOrderType: 'YN01',
        Colour: 'red',
      });
      assert.equal(unknown.status, 400);
      assert.match(unknown.data.error.message.value, /Colour/);
      const numeric = await s.post(`${PO}/A_ProductionOrder_2`, {
        Material: 'FG-100',
        ProductionPlant: '1710',
        TotalQuantity: 1,
        ManufacturingOrderType: 'YN01',
      });
      assert.equal(numeric.status, 400);
      assert.match(numeric.data.error.message.value, /Edm.Decimal/);
    });

    it('enforces capabilities: PATCH ProdnOrdConf2 → 405, status flags of an order cannot be patched', async () => {
      await s.fetchToken();
      const order = (await createOrder()).data.d;
      const conf = await s.patch(`${CONF}/ProdnOrdConf2(ConfirmationGroup='1',ConfirmationCount='1')`, {
        ConfirmationText: 'x',
      });
      assert.equal(conf.status, 405);
      const flag = await s.patch(
        `${PO}/A_ProductionOrder_2('${order.ManufacturingOrder}')`,
        { OrderIsReleased: 'X' },
        { 'If-Match': order.__metadata.etag },
      );
      assert.equal(flag.status, 400);
    });
  });

  describe('$metadata and service documents', () => {
    it('describes keys, ETag concurrency and function imports', async () => {
      const res = await s.get(`${PO}/$metadata`);
      assert.equal(res.status, 200);
      assert.match(String(res.headers['content-type']), /xml/);
      const xml = String(res.data);
      assert.match(
        xml,
        /<EntityType Name="A_ProductionOrder_2Type"[^>]*><Key><PropertyRef Name="ManufacturingOrder"\/><\/Key>/,
      );
      assert.match(
        xml,
        /<Property Name="LastChangeDateTime" Type="Edm.String"[^>]*MaxLength="14"[^>]*ConcurrencyMode="Fixed"/,
      );
      assert.match(
        xml,
        /<FunctionImport Name="ReleaseOrder" ReturnType="API_PRODUCTION_ORDER_2_SRV.FunctionMessage" m:HttpMethod="POST"/,
      );
      assert.match(
        xml,
        /<EntitySet Name="A_ProductionOrder_2"[^>]*sap:creatable="true" sap:updatable="true" sap:deletable="false"/,
      );
      assert.match(
        xml,
        /<NavigationProperty Name="to_ProductionOrderOperation" Relationship="API_PRODUCTION_ORDER_2_SRV.assoc_[0-9A-F]{32}"/,
      );
    });

    it('serves $metadata and a service document for every service', async () => {
      for (const svc of [
        'API_PRODUCTION_ORDER_2_SRV',
        'API_PROD_ORDER_CONFIRMATION_2_SRV',
        'API_MATERIAL_DOCUMENT_SRV',
        'API_BATCH_SRV',
        'API_INSPECTIONLOT_SRV',
        'API_DEFECT_SRV',
      ]) {
        const meta = await s.get(`/${svc}/$metadata`);
        assert.equal(meta.status, 200, svc);
        assert.match(String(meta.data), /<EntityContainer /);
        const doc = await s.get(`/${svc}/`);
        assert.ok(Array.isArray(doc.data.d.EntitySets) && doc.data.d.EntitySets.length > 0, svc);
      }
      assert.match(String((await s.get(`${BATCH}/$metadata`)).data), /Schema Namespace="cds_api_batch_srv"/);
    });
  });

  describe('query options, keys and envelopes', () => {
    beforeEach(async () => {
      await s.fetchToken();
      for (const qty of ['10', '20', '30'])
        await s.post(`${PO}/A_ProductionOrder_2`, {
          Material: 'FG-100',
          ProductionPlant: '1710',
          TotalQuantity: qty,
          ManufacturingOrderType: 'YN01',
        });
    });

    it('$filter/$select/$top/$skip/$orderby/$inlinecount with a string __count', async () => {
      const res = await s.get(
        `${PO}/A_ProductionOrder_2?$filter=TotalQuantity ge 15M and (Material eq 'FG-100' or Material eq 'FG-200')&$select=ManufacturingOrder,TotalQuantity&$orderby=TotalQuantity desc&$top=1&$skip=1&$inlinecount=allpages&$format=json`,
      );
      assert.equal(res.status, 200);
      assert.equal(res.data.d.__count, '2');
      assert.deepEqual(
        res.data.d.results.map((r: { TotalQuantity: string }) => r.TotalQuantity),
        ['20'],
      );
      assert.deepEqual(Object.keys(res.data.d.results[0]).sort(), [
        'ManufacturingOrder',
        'TotalQuantity',
        '__metadata',
      ]);
    });

    it('$filter with datetime and guid literals; a wrong literal type is a 400', async () => {
      const today = new Date().toISOString().slice(0, 10);
      const byDate = await s.get(`${PO}/A_ProductionOrder_2?$filter=MfgOrderCreationDate eq datetime'${today}T00:00'`);
      assert.equal(byDate.data.d.results.length, 3);
      const guid = await s.get(
        `${CONF}/ProdnOrdConf2?$filter=OrderID eq '1000000' and ExternalSystemConfirmation eq guid'00000000-0000-0000-0000-000000000001'`,
      );
      assert.deepEqual(guid.data.d.results, []);
      const wrong = await s.get(
        `${CONF}/ProdnOrdConf2?$filter=OrderID eq '1000000' and ExternalSystemConfirmation eq '00000000-0000-0000-0000-000000000001'`,
      );
      assert.equal(wrong.status, 400);
      assert.equal((await s.get(`${PO}/A_ProductionOrder_2?$filter=Colour eq 'red'`)).status, 400);
      assert.equal((await s.get(`${PO}/A_ProductionOrder_2?$inlinecount=some`)).status, 400);
    });

    it('accepts padded keys, emits unpadded ones, envelopes with __metadata, __deferred and expanded results', async () => {
      const res = await s.get(`${PO}/A_ProductionOrder_2('000001000001')?$expand=to_ProductionOrderComponent`);
      assert.equal(res.status, 200);
      const d = res.data.d;
      assert.equal(d.ManufacturingOrder, '1000001');
      assert.match(d.__metadata.uri, /A_ProductionOrder_2\('1000001'\)$/);
      assert.equal(d.__metadata.type, 'API_PRODUCTION_ORDER_2_SRV.A_ProductionOrder_2Type');
      assert.match(
        d.to_ProductionOrderOperation.__deferred.uri,
        /A_ProductionOrder_2\('1000001'\)\/to_ProductionOrderOperation$/,
      );
      assert.deepEqual(
        d.to_ProductionOrderComponent.results.map((c: { Material: string; RequiredQuantity: string }) => [
          c.Material,
          c.RequiredQuantity,
        ]),
        [
          ['RM-300', '20'],
          ['RM-310', '20'],
          ['RM-400', '5.000'],
        ],
      );
      assert.equal(d.MfgOrderCreationDate.startsWith('/Date('), true);
      const nav = await s.get(
        `${PO}/A_ProductionOrder_2('1000001')/to_ProductionOrderOperation?$select=ManufacturingOrderOperation`,
      );
      assert.deepEqual(
        nav.data.d.results.map((o: { ManufacturingOrderOperation: string }) => o.ManufacturingOrderOperation),
        ['0010', '0020'],
      );
      assert.equal((await s.get(`${PO}/A_ProductionOrder_2/$count`)).data, 3);
    });
  });

  describe('generic faults in SAP shape', () => {
    it('503 comes back as the ICM HTML page, 429 with Retry-After', async () => {
      await admin.setFaults({ errorRate: 1, errorStatus: 503 });
      const down = await axios.get(`${url}/sap/opu/odata/sap${PO}/`, { validateStatus: () => true });
      assert.equal(down.status, 503);
      assert.match(String(down.data), /<html>.*Service Unavailable/);
      await admin.setFaults({ rateLimitRate: 1, retryAfterSeconds: 3 });
      const slow = await axios.get(`${url}/sap/opu/odata/sap${PO}/`, { validateStatus: () => true });
      assert.equal(slow.status, 429);
      assert.equal(slow.headers['retry-after'], '3');
    });
  });
});
