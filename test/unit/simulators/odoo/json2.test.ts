import assert from 'node:assert/strict';
import axios from 'axios';
import { useWire } from './wire';

describe('odoo simulator 19: /json/2', () => {
  const wire = useWire('19');

  it('authenticates with the bearer API key only (401 body in the documented shape)', async () => {
    const w = wire();
    const bad = await w.json2('res.users', 'context_get', {}, 'admin');
    assert.equal(bad.status, 401);
    assert.deepEqual(bad.data.name, 'werkzeug.exceptions.Unauthorized');
    assert.deepEqual(bad.data.arguments, ['Invalid apikey', 401]);
    const ok = await w.json2('res.users', 'context_get', {});
    assert.equal(ok.status, 200);
    assert.equal(ok.data.uid, 2);
  });

  it('takes named arguments plus ids and context; answers the bare result', async () => {
    const w = wire();
    const found = await w.json2('product.product', 'search_read', {
      domain: [['default_code', '=', 'FG-100']],
      fields: ['name', 'uom_id'],
      limit: 1,
    });
    assert.equal(found.status, 200);
    assert.deepEqual(found.data[0].uom_id, [1, 'Units']);
    const read = await w.json2('product.product', 'read', { ids: [found.data[0].id], fields: ['default_code'] });
    assert.equal(read.data[0].default_code, 'FG-100');
  });

  it('create answers a list of ids; a None result is JSON null', async () => {
    const w = wire();
    const created = await w.json2('quality.check', 'create', { vals_list: [{ title: 'LEAK', product_id: 2 }] });
    assert.equal(created.status, 200);
    assert.equal(created.data.length, 1);
    const passed = await w.json2('quality.check', 'do_fail', { ids: created.data });
    assert.equal(passed.status, 200);
    assert.equal(passed.data, null);
  });

  it('maps errors to statuses: 404 model/method, 403 private, 422 ids on @api.model, bad kwarg, UserError; 404 MissingError', async () => {
    const w = wire();
    assert.equal((await w.json2('mrp.nothing', 'search', { domain: [] })).status, 404);
    assert.equal((await w.json2('mrp.production', 'fly', { ids: [1] })).status, 404);
    const priv = await w.json2('mrp.production', '_post_inventory', { ids: [1] });
    assert.equal(priv.status, 403);
    assert.equal(priv.data.name, 'odoo.exceptions.AccessError');
    const withIds = await w.json2('stock.lot', 'create', { ids: [1], vals_list: [] });
    assert.equal(withIds.status, 422);
    assert.match(withIds.data.message, /cannot call stock.lot.create with ids/);
    assert.equal((await w.json2('product.product', 'search', { domain: [], bogus: true })).status, 422);
    const userError = await w.json2('mrp.production', 'create', { vals_list: [{ product_id: 1, product_qty: 0 }] });
    assert.equal(userError.status, 422);
    assert.equal(userError.data.name, 'odoo.exceptions.ValidationError');
    const missing = await w.json2('stock.lot', 'read', { ids: [999], fields: ['name'] });
    assert.equal(missing.status, 404);
    assert.equal(missing.data.name, 'odoo.exceptions.MissingError');
  });

  it('rejects an unparsable body with 400 and points lost callers to the route shape', async () => {
    const w = wire();
    const res = await axios.post(`${w.url}/json/2/res.users/context_get`, '{oops', {
      headers: { Authorization: `bearer ${w.sim.apiKey}`, 'Content-Type': 'application/json' },
      validateStatus: () => true,
      transformRequest: (d) => d,
    });
    assert.equal(res.status, 400);
    assert.match(res.data.message, /could not parse the body as json/);
    const lost = await axios.post(`${w.url}/json/2/res.users`, {}, { validateStatus: () => true });
    assert.equal(lost.status, 404);
    assert.match(lost.data.message, /Did you mean POST/);
  });

  it('turns recordset results into ids (message_post answers [id] in 19)', async () => {
    const w = wire();
    const res = await w.json2('stock.lot', 'message_post', {
      ids: [1],
      body: 'checked',
      message_type: 'comment',
      subtype_xmlid: 'mail.mt_note',
    });
    assert.equal(res.status, 200);
    assert.ok(Array.isArray(res.data) && res.data.length === 1, JSON.stringify(res.data));
  });
});
