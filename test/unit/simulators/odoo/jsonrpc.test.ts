import assert from 'node:assert/strict';
import axios from 'axios';
import { ODOO_VERSIONS } from '../../../../simulators/odoo';
import { useWire } from './wire';

for (const version of ODOO_VERSIONS) {
  describe(`odoo simulator ${version}: /jsonrpc`, () => {
    const wire = useWire(version);
    const errorCode = version === '19' ? 0 : 200;

    it('answers common.version and version probes the real clients use', async () => {
      const w = wire();
      const common = await w.jsonrpc('common', 'version', []);
      assert.equal(common.data.result.server_serie, `${version}.0`);
      assert.equal(common.data.result.protocol_version, 1);
      const info = await axios.post(`${w.url}/web/webclient/version_info`, { jsonrpc: '2.0', id: 7, params: {} });
      assert.deepEqual(info.data.result.server_version_info.slice(0, 2), [Number(version), 0]);
      assert.equal(info.data.id, 7);
      const web = await axios.get(`${w.url}/web/version`);
      assert.equal(web.data.version, `${version}.0`);
      assert.deepEqual((await axios.get(`${w.url}/web/health`)).data, { status: 'pass' });
    });

    it('logs in with the password or the API key and answers False (no error) otherwise', async () => {
      const w = wire();
      assert.equal((await w.jsonrpc('common', 'login', ['demo', 'admin', 'admin'])).data.result, 2);
      assert.equal((await w.jsonrpc('common', 'authenticate', ['demo', 'admin', w.sim.apiKey, {}])).data.result, 2);
      const bad = await w.jsonrpc('common', 'login', ['demo', 'admin', 'wrong']);
      assert.equal(bad.status, 200);
      assert.equal(bad.data.result, false);
      assert.equal(bad.data.error, undefined);
    });

    it('refuses object calls with a wrong key: AccessDenied in the envelope, HTTP 200, code per version', async () => {
      const w = wire();
      const res = await w.jsonrpc('object', 'execute_kw', [
        'demo',
        2,
        'nope',
        'res.users',
        'read',
        [[2]],
        { fields: ['login'] },
      ]);
      assert.equal(res.status, 200);
      assert.equal(res.data.error.code, errorCode);
      assert.equal(res.data.error.message, 'Odoo Server Error');
      assert.equal(res.data.error.data.name, 'odoo.exceptions.AccessDenied');
      assert.deepEqual(Object.keys(res.data.error.data).sort(), ['arguments', 'context', 'debug', 'message', 'name']);
    });

    it('omits `result` when the method returns None', async () => {
      const w = wire();
      const check = await w.executeKw('quality.check', 'create', [{ title: 'VISUAL', product_id: 1 }]);
      const res = await w.executeKw('quality.check', 'do_pass', [[check.data.result]]);
      assert.equal(res.status, 200);
      assert.ok(!('result' in res.data), JSON.stringify(res.data));
      assert.ok(!('error' in res.data));
      const [after] = (await w.executeKw('quality.check', 'read', [[check.data.result]], { fields: ['quality_state'] }))
        .data.result;
      assert.equal(after.quality_state, 'pass');
    });

    it('create returns an id for a dict and a list for a list; IndexError without positional values', async () => {
      const w = wire();
      const one = await w.executeKw('stock.lot', 'create', [{ name: 'X-1', product_id: 1 }]);
      assert.equal(typeof one.data.result, 'number');
      const many = await w.executeKw('stock.lot', 'create', [
        [
          { name: 'X-2', product_id: 1 },
          { name: 'X-3', product_id: 1 },
        ],
      ]);
      assert.equal(many.data.result.length, 2);
      const none = await w.executeKw('stock.lot', 'create', [], { vals_list: [{ name: 'X-4', product_id: 1 }] });
      assert.equal(none.data.error.data.name, 'builtins.IndexError');
      const found = await w.executeKw('stock.lot', 'search_count', [[['name', '=like', 'X-%']]]);
      assert.equal(found.data.result, 3, 'the failed call created nothing');
    });

    it('takes args[0] as ids except for @api.model methods, and binds kwargs to the signature', async () => {
      const w = wire();
      const read = await w.executeKw('res.users', 'read', [[2], ['login']]);
      assert.equal(read.data.result[0].login, 'admin');
      const search = await w.executeKw('product.product', 'search', [[['default_code', '=', 'FG-100']]], { limit: 1 });
      assert.equal(search.data.result.length, 1);
      const bogus = await w.executeKw('product.product', 'search', [[]], { bogus: 1 });
      assert.equal(bogus.data.error.data.name, 'builtins.TypeError');
      assert.match(bogus.data.error.data.message, /unexpected keyword argument 'bogus'/);
    });

    it('reads many2one as [id, display_name], or the id with load=_classic_write', async () => {
      const w = wire();
      const normal = await w.executeKw('product.product', 'search_read', [[['default_code', '=', 'RM-400']]], {
        fields: ['uom_id', 'display_name'],
      });
      assert.deepEqual(normal.data.result[0].uom_id[1], 'kg');
      assert.equal(normal.data.result[0].display_name, '[RM-400] Epoxy coating resin');
      const classic = await w.executeKw('product.product', 'search_read', [[['default_code', '=', 'RM-400']]], {
        fields: ['uom_id'],
        load: '_classic_write',
      });
      assert.equal(typeof classic.data.result[0].uom_id, 'number');
    });

    it('refuses private methods (AccessError), unknown methods (AttributeError) and unknown models', async () => {
      const w = wire();
      const priv = await w.executeKw('mrp.production', '_action_done', [[1]]);
      assert.equal(priv.data.error.data.name, 'odoo.exceptions.AccessError');
      assert.match(
        priv.data.error.data.message,
        /Private methods \(such as 'mrp.production._action_done'\) cannot be called remotely/,
      );
      const missing = await w.executeKw('mrp.production', 'fly', [[1]]);
      assert.equal(missing.data.error.data.name, 'builtins.AttributeError');
      assert.equal(missing.data.error.data.message, "The method 'fly' does not exist on the model 'mrp.production'");
      const model = await w.executeKw('mrp.nothing', 'search', [[]]);
      assert.equal(model.data.error.data.name, 'odoo.exceptions.UserError');
    });

    it('supports object.execute with positional arguments (n8n v1 style)', async () => {
      const w = wire();
      const res = await w.jsonrpc('object', 'execute', [
        'demo',
        2,
        'admin',
        'product.product',
        'search_read',
        [['default_code', '=', 'FG-200']],
        ['name'],
      ]);
      assert.equal(res.data.result[0].name, 'Pump seal cartridge');
    });

    it('answers malformed bodies like Odoo: 400 for non-JSON, non-object and wrong content type', async () => {
      const w = wire();
      const post = (data: string, type = 'application/json') =>
        axios.post(`${w.url}/jsonrpc`, data, {
          headers: { 'Content-Type': type },
          validateStatus: () => true,
          transformRequest: (d) => d,
        });
      const garbage = await post('{not json');
      assert.equal(garbage.status, 400);
      assert.equal(garbage.data, 'Invalid JSON data');
      assert.equal((await post('[1,2]')).data, 'Invalid JSON-RPC data');
      assert.equal((await post('{}', 'text/plain')).status, 400);
    });

    it(`${version === '19' ? 'serves' : 'has no'} JSON-2`, async () => {
      const res = await wire().json2('res.users', 'context_get', {});
      assert.equal(res.status, version === '19' ? 200 : 404);
    });
  });
}
