import assert from 'node:assert/strict';
import { WorkflowNotFoundError } from '@temporalio/client';
import { orderWorkflowId } from '../../domain/ids';
import type { LotStatusView } from '../../workflows/lot/state';
import { TEST_KEYS } from '../support/api';
import { allWriteCounts, signingApi } from '../support/lot-systems';
import { demoOrderInput } from '../support/orders';
import { scenarioPlant } from '../support/scenario-plant';
import { eventually } from '../support/eventually';

describe('S12: bad input is refused with a clear error and changes nothing — dev server, real activities, simulators', function () {
  this.timeout(300_000);
  const plant = scenarioPlant(signingApi);

  it('S12: malformed order, negative quantity, unknown UoM, disposition without signature or by the wrong role: each a clear error, no workflow or external record changes', async () => {
    const { stack, api } = plant;
    // A lot waiting for its disposition, to send bad dispositions to.
    const lotId = `S12${Date.now().toString(36).toUpperCase()}`.slice(0, 10);
    const received = await api.post('/lots', TEST_KEYS.planner, {
      material: 'FG-200',
      lotId,
      site: '1710',
      quantity: { value: '50', uom: 'EA' },
      receivedBy: 'plan.eva',
      supplier: 'SealTech',
    });
    assert.equal(received.statusCode, 201, received.body);
    const lotPath = `/lots/FG-200/${lotId}`;
    await eventually(
      () => api.get(lotPath, TEST_KEYS.viewer).then((r) => r.json() as LotStatusView),
      (s) => s.status === 'restricted' && !s.registration.stockReceived,
      60_000,
    );

    const journalsBefore = await allWriteCounts(stack);
    const lotHandle = stack.plantflow.lots.handle('FG-200', lotId);
    const historyBefore = (await lotHandle.fetchHistory()).events!.length;
    const workflowIds = async () => {
      const ids: string[] = [];
      for await (const wf of stack.client.workflow.list()) ids.push(wf.workflowId);
      return ids.sort();
    };
    const workflowsBefore = await workflowIds();

    const refs = { malformed: `S12-M-${Date.now()}`, negative: `S12-N-${Date.now()}`, uom: `S12-U-${Date.now()}` };
    const expectError = async (
      reply: Promise<{ statusCode: number; json(): unknown }>,
      status: number,
      code: string,
      pattern: RegExp,
    ) => {
      const r = await reply;
      const body = r.json() as { code: string; message: string; details?: unknown };
      assert.equal(r.statusCode, status, JSON.stringify(body));
      assert.equal(body.code, code);
      assert.match(`${body.message} ${JSON.stringify(body.details ?? '')}`, pattern);
    };

    // Orders
    await expectError(
      api.post('/orders', TEST_KEYS.planner, { orderRef: refs.malformed, site: '1710', quantity: '100' }),
      400,
      'invalid_request',
      /material/,
    );
    await expectError(
      api.post(
        '/orders',
        TEST_KEYS.planner,
        demoOrderInput({ orderRef: refs.negative, quantity: { value: '-5', uom: 'EA' } }),
      ),
      400,
      'invalid_request',
      /greater than zero/,
    );
    await expectError(
      api.post(
        '/orders',
        TEST_KEYS.planner,
        demoOrderInput({ orderRef: refs.uom, quantity: { value: '100', uom: 'BOX' } }),
      ),
      400,
      'invalid_request',
      /unknown unit of measure/,
    );
    // Lots and inspection results
    await expectError(
      api.post('/lots', TEST_KEYS.planner, {
        material: 'FG-200',
        lotId: `${lotId}X`.slice(0, 10),
        site: '1710',
        quantity: { value: '-1', uom: 'EA' },
        receivedBy: 'plan.eva',
      }),
      400,
      'invalid_request',
      /greater than zero/,
    );
    await expectError(
      api.post('/inspections', TEST_KEYS.qms, {
        material: 'FG-200',
        lotId,
        eventId: 'bad-result-1',
        characteristic: 'LEAK',
        result: 'pass',
        inspector: 'lab.kim',
        effectiveAt: 'yesterday',
      }),
      400,
      'invalid_request',
      /effectiveAt/,
    );
    // Dispositions: no signature, a caller without a quality role, a wrong password, a signer without the role
    const release = { decision: 'release', meaning: 'approved_for_release' };
    await expectError(api.post(`${lotPath}/disposition`, TEST_KEYS.qp, release), 400, 'invalid_request', /signature/);
    await expectError(
      api.post(`${lotPath}/disposition`, TEST_KEYS.planner, {
        ...release,
        signature: { userId: 'qp.marc', password: api.passwords['qp.marc'] },
      }),
      403,
      'forbidden',
      /roles: qa, qp/,
    );
    await expectError(
      api.post(`${lotPath}/disposition`, TEST_KEYS.qp, {
        ...release,
        signature: { userId: 'qp.marc', password: 'not-it' },
      }),
      401,
      'reauth_failed',
      /re-authentication failed/,
    );
    await expectError(
      api.post(`${lotPath}/disposition`, TEST_KEYS.qa, {
        ...release,
        signature: { userId: 'qa.anna', password: api.passwords['qa.anna'] },
      }),
      403,
      'SignatureRefused',
      /only a Qualified Person \(role qp\) may sign a release; qa\.anna has role\(s\) qa/,
    );
    await expectError(
      api.post(`${lotPath}/disposition`, TEST_KEYS.qa, {
        decision: 'reject',
        meaning: 'rejected',
        signature: { userId: 'qa.anna', password: api.passwords['qa.anna'] },
      }),
      400,
      'InvalidDisposition',
      /a reject needs a reason/,
    );
    await expectError(
      api.post(`${lotPath}/disposition`, TEST_KEYS.qa, {
        decision: 'reject',
        meaning: 'rejected',
        reason: 'x',
        signature: { userId: 'op.sam', password: api.passwords['op.sam'] },
      }),
      403,
      'SignatureRefused',
      /needs role qa or qp/,
    );
    await expectError(
      api.post(`${lotPath}/disposition`, TEST_KEYS.qp, {
        ...release,
        signature: { userId: 'qp.marc', password: api.passwords['qp.marc'] },
      }),
      422,
      'ReviewRequired',
      /signed on the reviewed lot record/,
    );
    await expectError(
      api.post('/lots/FG-200/NOSUCHLOT/disposition', TEST_KEYS.qp, {
        ...release,
        review: { recordHash: '0'.repeat(64), acknowledgements: [] },
        signature: { userId: 'qp.marc', password: api.passwords['qp.marc'] },
      }),
      404,
      'not_found',
      /lot:FG-200:NOSUCHLOT/,
    );

    await expectError(
      api.get('/lots/FG-200/NOSUCHLOT/record', TEST_KEYS.viewer),
      404,
      'not_found',
      /lot:FG-200:NOSUCHLOT/,
    );
    await expectError(
      api.get('/lots/FG-200/NOSUCHLOT/record.pdf', TEST_KEYS.viewer),
      404,
      'not_found',
      /lot:FG-200:NOSUCHLOT/,
    );

    // Nothing changed: no order run, no new workflow, the lot's history as it was, every simulator's journal as it was.
    for (const ref of Object.values(refs)) {
      await assert.rejects(
        stack.client.workflow.getHandle(orderWorkflowId('1710', ref)).describe(),
        WorkflowNotFoundError,
      );
    }
    assert.equal(
      (await lotHandle.fetchHistory()).events!.length,
      historyBefore,
      'refused Updates leave no trace in the history',
    );
    const lot = (await api.get(lotPath, TEST_KEYS.viewer)).json() as LotStatusView;
    assert.deepEqual([lot.status, lot.dispositions.length, lot.results.length], ['restricted', 0, 0]);
    assert.deepEqual(await allWriteCounts(stack), journalsBefore);
    // The one trace a refusal leaves: the wrong password is a security event (21 CFR 11.300(d)), counted in
    // the signer's record and kept in the site's exception record.
    await eventually(workflowIds, (ids) => ids.length === workflowsBefore.length + 2, 30_000);
    assert.deepEqual(
      (await workflowIds()).filter((id) => !workflowsBefore.includes(id)),
      ['exceptions:1710', 'signer:qp.marc'],
    );
  });
});
