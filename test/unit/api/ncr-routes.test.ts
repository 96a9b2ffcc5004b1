import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { buildTestApi, testConfig } from '../../support/api';
import { as, proof, writeUsersFile } from '../../support/ncr-signers';

const q = (value: string) => ({ value, uom: 'EA' });
const open = {
  severity: 'minor',
  site: '1710',
  material: 'FG-100',
  lots: [{ lotId: 'L1', quantity: q('50') }],
  description: 'PRESSURE low',
  raisedBy: 'qa.anna',
};
const line = { lotId: 'L1', decision: 'scrap', quantity: q('20'), reason: 'cracked' };

/** The API's refusals before anything reaches Temporal (its client here points nowhere: a call would be a 500). */
describe('HTTP API: nonconformance routes refuse bad requests before Temporal (S12)', () => {
  let app: FastifyInstance;
  let unsigned: FastifyInstance;
  before(async () => {
    app = await buildTestApi({ config: { ...testConfig(), usersFile: await writeUsersFile() } });
    unsigned = await buildTestApi();
  });
  after(async () => {
    await app?.close();
    await unsigned?.close();
  });

  it('checks roles on every route: only qms and qa open, only qa and qp decide', async () => {
    assert.equal(
      (await app.inject({ method: 'POST', url: '/ncrs', headers: as.viewer, payload: open })).statusCode,
      403,
    );
    assert.equal(
      (
        await app.inject({
          method: 'POST',
          url: '/ncrs/N1/dispositions',
          headers: as.operator,
          payload: { ...line, signer: proof('qa.anna') },
        })
      ).statusCode,
      403,
    );
    assert.equal(
      (
        await app.inject({
          method: 'POST',
          url: '/ncrs/N1/close',
          headers: as.qms,
          payload: { reason: 'x', signer: proof('qp.marc') },
        })
      ).statusCode,
      403,
    );
    assert.equal((await app.inject({ method: 'GET', url: '/ncrs/N1' })).statusCode, 401);
  });

  it('refuses malformed input with the reason: negative quantity, unknown unit, unknown decision, no signature', async () => {
    const bad = async (url: string, payload: unknown) => {
      const res = await app.inject({ method: 'POST', url, headers: as.qa, payload: payload as never });
      assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
      assert.equal(res.json().code, 'invalid_request');
      return res.json() as { details: Array<{ path: string }> };
    };
    await bad('/ncrs', { ...open, lots: [{ lotId: 'L1', quantity: q('-5') }] });
    await bad('/ncrs', { ...open, lots: [{ lotId: 'L1', quantity: { value: '5', uom: 'XYZ' } }] });
    await bad('/ncrs/N1/dispositions', { ...line, decision: 'destroy', signer: proof('qa.anna') });
    const unsignedDisposition = await bad('/ncrs/N1/dispositions', line);
    assert.ok(unsignedDisposition.details.some((d) => d.path.includes('signer')));
    await bad('/ncrs/N1/close', { reason: 'done' });
  });

  it('re-authenticates the signer before any Update: wrong password 401, signing not configured 503', async () => {
    const wrong = await app.inject({
      method: 'POST',
      url: '/ncrs/N1/dispositions',
      headers: as.qa,
      payload: { ...line, signer: { userId: 'qa.anna', password: 'nope' } },
    });
    assert.deepEqual([wrong.statusCode, wrong.json().code], [401, 'reauth_failed']);
    const none = await unsigned.inject({
      method: 'POST',
      url: '/ncrs/N1/dispositions',
      headers: as.qa,
      payload: { ...line, signer: proof('qa.anna') },
    });
    assert.deepEqual([none.statusCode, none.json().code], [503, 'signing_unavailable']);
  });

  it('documents the routes in OpenAPI', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, unknown>;
    };
    for (const path of [
      '/ncrs',
      '/ncrs/{ncrId}',
      '/ncrs/{ncrId}/dispositions',
      '/ncrs/{ncrId}/dispositions/{lineId}/cosign',
      '/ncrs/{ncrId}/close',
      '/ncrs/{ncrId}/root-cause',
    ]) {
      assert.ok(doc.paths[path], `${path} documented`);
    }
  });
});
