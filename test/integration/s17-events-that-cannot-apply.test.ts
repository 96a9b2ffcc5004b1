import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { buildApiServer } from '../../client/api/server';
import type { SitesExceptionList } from '../../client/exception-listing';
import type { MesEventInput } from '../../domain/events';
import { createLogger } from '../../runtime/logger';
import { TEST_KEYS } from '../support/api';
import { releasableOrder } from '../support/erp-fixtures';
import { eventually } from '../support/eventually';
import { allWriteCounts } from '../support/lot-systems';
import { mes } from '../support/orders';
import { scenarioPlant } from '../support/scenario-plant';
import type { PlantStack } from '../support/stack';
import { FAST_TUNING } from '../workflows/support/order-harness';

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe('S17: events that cannot apply are answered clearly and kept as business exceptions — dev server, real activities, simulators', function () {
  this.timeout(300_000);
  // Orphan events become an exception after a short grace here (15 minutes in a plant).
  const plant = scenarioPlant(async (stack: PlantStack): Promise<FastifyInstance> => {
    const config = { ...stack.config, policies: { ...stack.config.policies, orphanEventsGrace: '3 seconds' } };
    const app = await buildApiServer({
      config,
      temporal: stack.client,
      logger: createLogger('silent'),
      clientOptions: { tuning: FAST_TUNING },
    });
    await app.ready();
    return app;
  });

  const post = (url: string, payload: unknown, key: string = TEST_KEYS.mes) =>
    plant.api.inject({ method: 'POST', url, headers: bearer(key), payload: payload as never });
  const get = async <T>(url: string): Promise<T> => {
    const res = await plant.api.inject({ method: 'GET', url, headers: bearer(TEST_KEYS.operator) });
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as T;
  };
  const status = (ref: string) => get<{ status: string; postings: { pending: number } }>(`/orders/1710/${ref}`);

  /** One event on the single route and again in a batch: the same code both ways. */
  async function refusedBothWays(event: MesEventInput, code: string, message: RegExp): Promise<void> {
    const single = await post('/mes/events', event);
    assert.equal(single.statusCode, 409, single.body);
    assert.equal(single.json().code, code);
    assert.match(single.json().message, message);
    assert.match(single.json().details.exceptionId, new RegExp(`^${code}:`));
    const batch = await post('/mes/events', { events: [event] });
    assert.equal(batch.statusCode, 200, batch.body);
    const [answer] = batch.json().results as Array<{ outcome: string; code: string; message: string }>;
    assert.deepEqual({ outcome: answer?.outcome, code: answer?.code }, { outcome: 'rejected', code });
    assert.match(answer!.message, message);
  }

  it('S17: closed, completing and unknown orders and a conflicting resend: each answered clearly, each in the exception list, nothing posted', async () => {
    const { stack } = plant;
    const stamp = Date.now();
    const refs = { closed: `S17-C-${stamp}`, completing: `S17-P-${stamp}`, unknown: `S17-U-${stamp}` };

    // An order whose run has ended (cancelled before execution), and one that is completing.
    for (const ref of [refs.closed, refs.completing]) {
      const released = await post('/orders', await releasableOrder(stack.config, ref), TEST_KEYS.planner);
      assert.equal(released.statusCode, 202, released.body);
      await eventually(
        () => status(ref),
        (s) => s.status === 'released',
        60_000,
      );
    }
    const cancelled = await post(
      `/orders/1710/${refs.closed}/cancel`,
      { by: 'plan.eva', reason: 'planned twice' },
      TEST_KEYS.planner,
    );
    assert.equal(cancelled.statusCode, 200, cancelled.body);
    await eventually(
      async () => (await stack.orders.handle('1710', refs.closed).describe()).status.name,
      (s) => s === 'COMPLETED',
      60_000,
    );

    const consumed = mes.consumed('RM-300', 'H-1001', '60', 'EA', { orderRef: refs.completing });
    for (const e of [
      mes.started('0010', { orderRef: refs.completing }),
      consumed,
      mes.completed('0010', '60', { orderRef: refs.completing }),
      mes.produced('FG-S17', '60', { orderRef: refs.completing }),
    ]) {
      const res = await post('/mes/events', e);
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().outcome, 'accepted');
    }
    // The MES resends an accepted event with another quantity: not applied, not dropped in silence.
    const conflicting = structuredClone(consumed);
    Object.assign(conflicting.payload!, { quantity: { value: '70', uom: 'EA' } });
    await refusedBothWays(conflicting, 'EventConflict', /already accepted with another payload/);

    const complete = await post(
      `/orders/1710/${refs.completing}/complete`,
      { mode: 'backorder', by: 'plan.eva', reason: 'resin late' },
      TEST_KEYS.planner,
    );
    assert.equal(complete.statusCode, 200, complete.body);
    await eventually(
      () => status(refs.completing),
      (s) => s.status === 'completed' && s.postings.pending === 0,
      120_000,
    );

    // The lot the order made settles (quarantined in Odoo); from here on nothing may be posted anywhere.
    await eventually(
      () => stack.plantflow.lots.status('FG-100', 'FG-S17'),
      (l) => l.registration.quarantine === 'done',
      60_000,
    );
    const writesBefore = await allWriteCounts(stack);
    await refusedBothWays(mes.started('0020', { orderRef: refs.closed }), 'EventForClosedOrder', /has ended|cancelled/);
    await refusedBothWays(
      mes.started('0020', { orderRef: refs.completing }),
      'EventForCompletingOrder',
      /being completed/,
    );
    await refusedBothWays(conflicting, 'EventConflict', /already accepted with another payload/);

    // An order plantflow never released: kept, and an exception once the grace has passed.
    const orphan = await post('/mes/events', mes.started('0010', { orderRef: refs.unknown }));
    assert.equal(orphan.statusCode, 200, orphan.body);
    assert.equal(orphan.json().outcome, 'buffered');

    const listed = await eventually(
      () => get<SitesExceptionList>('/exceptions?site=1710&status=open'),
      (l) => l.counts.EventForUnknownOrder?.open === 1,
      60_000,
    );
    const about = (ref: string) => listed.exceptions.filter((e) => e.subject.orderRef === ref).map((e) => e.kind);
    assert.deepEqual(about(refs.closed), ['EventForClosedOrder']);
    assert.deepEqual(about(refs.completing).sort(), ['EventConflict', 'EventForCompletingOrder']);
    assert.deepEqual(about(refs.unknown), ['EventForUnknownOrder']);
    const conflict = listed.exceptions.find((e) => e.kind === 'EventConflict')!;
    assert.equal(conflict.occurrences, 4, 'each resend of the same conflicting payload is the same exception again');
    assert.equal(conflict.subject.eventId, consumed.eventId);
    assert.deepEqual((conflict.arrived as MesEventInput).payload, conflicting.payload, 'what arrived is kept');
    assert.equal(listed.counts.EventForClosedOrder?.open, 1, 'single and batch refusals are one situation');
    assert.equal((await get<{ needsAttention: boolean }>(`/orders/1710/${refs.unknown}`)).needsAttention, true);

    // The list by subject, and the operator's decision.
    const byOrder = await get<SitesExceptionList>(`/exceptions?orderRef=${refs.closed}`);
    assert.deepEqual(
      byOrder.exceptions.map((e) => e.kind),
      ['EventForClosedOrder'],
    );
    const closedId = byOrder.exceptions[0]!.exceptionId;
    const decided = await post(
      `/exceptions/1710/${encodeURIComponent(closedId)}/decision`,
      { action: 'acknowledge', reason: 'MES sent a late start for a cancelled order' },
      TEST_KEYS.operator,
    );
    assert.equal(decided.statusCode, 200, decided.body);
    assert.equal(decided.json().status, 'resolved');
    const again = await post(
      `/exceptions/1710/${encodeURIComponent(closedId)}/decision`,
      { action: 'resolve', reason: 'twice' },
      TEST_KEYS.operator,
    );
    assert.equal(again.statusCode, 409, again.body);
    const forbidden = await post(
      `/exceptions/1710/${encodeURIComponent(closedId)}/decision`,
      { action: 'resolve', reason: 'x' },
      TEST_KEYS.mes,
    );
    assert.equal(forbidden.statusCode, 403);

    assert.deepEqual(await allWriteCounts(stack), writesBefore, 'nothing posted in Odoo, SAP, QMS or MES');
  });

  it('S17 (lots): a hold and an inspection result for a lot whose run has ended are refused as LateLotRequest and kept', async () => {
    const { stack } = plant;
    const lotId = `L17${Date.now().toString(36).toUpperCase()}`.slice(0, 10);
    const received = await post(
      '/lots',
      {
        material: 'FG-200',
        lotId,
        site: '1710',
        quantity: { value: '10', uom: 'EA' },
        receivedBy: 'plan.eva',
        supplier: 'SealTech',
      },
      TEST_KEYS.planner,
    );
    assert.equal(received.statusCode, 201, received.body);
    // The lot's run ends (here: an administrator terminates it); the ERPs still hold the lot.
    await stack.plantflow.lots.handle('FG-200', lotId).terminate('S17: lot run ended');
    const writesBefore = await allWriteCounts(stack);

    const hold = await post(
      `/lots/FG-200/${lotId}/holds`,
      { holdId: 'H-LATE', reason: 'late complaint', by: 'qa.anna' },
      TEST_KEYS.qa,
    );
    assert.equal(hold.statusCode, 409, hold.body);
    assert.equal(hold.json().code, 'LateLotRequest');
    assert.match(hold.json().message, /has closed \(terminated\); the hold is not applied/);
    const result = await post(
      '/inspections',
      {
        material: 'FG-200',
        lotId,
        eventId: `s17-${lotId}`,
        characteristic: 'VISUAL',
        result: 'pass',
        inspector: 'lab.kim',
        effectiveAt: new Date().toISOString(),
      },
      TEST_KEYS.qms,
    );
    assert.equal(result.statusCode, 409, result.body);
    assert.equal(result.json().code, 'LateLotRequest');
    const unknown = await post(
      '/lots/FG-200/NOSUCHLOT/holds',
      { holdId: 'H-X', reason: 'x', by: 'qa.anna' },
      TEST_KEYS.qa,
    );
    assert.equal(unknown.statusCode, 404, 'a lot that never ran is not found, not late');

    const listed = await get<SitesExceptionList>(`/exceptions?kind=LateLotRequest&lotId=${lotId}`);
    assert.deepEqual(listed.exceptions.map((e) => e.summary).sort(), [
      `hold for closed lot ${lotId} (FG-200)`,
      `inspection result for closed lot ${lotId} (FG-200)`,
    ]);
    assert.equal((listed.exceptions[0]!.arrived as { lotId?: string; holdId?: string }) !== undefined, true);
    assert.deepEqual(await allWriteCounts(stack), writesBefore, 'nothing written anywhere');
  });
});
