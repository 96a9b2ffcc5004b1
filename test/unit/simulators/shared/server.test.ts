import assert from 'node:assert/strict';
import axios from 'axios';
import { SimulatorServer } from '../../../../simulators/shared/server';
import { SimulatorAdmin } from '../../../../simulators/shared/admin-client';

/** The fault injection and journal every simulator is built on. */
describe('simulator base: faults, lost responses and the write journal', () => {
  let sim: SimulatorServer;
  let admin: SimulatorAdmin;
  let writes = 0;
  before(async () => {
    sim = new SimulatorServer({ name: 'mes' });
    sim.app.get('/thing', async () => ({ ok: true }));
    sim.app.post('/thing', async () => {
      writes++;
      sim.journal.record({
        method: 'POST',
        path: '/thing',
        operation: 'Thing.create',
        refs: {},
        body: {},
        status: 201,
        applied: true,
      });
      return { created: writes };
    });
    sim.attach({ reset: () => (writes = 0), dump: () => ({ writes }) });
    admin = new SimulatorAdmin(await sim.start(0));
  });
  after(() => sim.stop());
  beforeEach(() => admin.reset());

  const call = (method: 'get' | 'post') =>
    axios
      .request({
        method,
        url: `${sim.url}/thing`,
        data: method === 'post' ? {} : undefined,
        validateStatus: () => true,
        timeout: 3_000,
      })
      .then(
        (r) => r.status,
        (e: Error) => `error:${(e as { code?: string }).code ?? e.message}`,
      );

  it('answers outage windows with their status and then recovers', async () => {
    await admin.setFaults({ outages: [{ from: Date.now() - 1, to: Date.now() + 400, status: 503 }] });
    assert.equal(await call('get'), 503);
    await new Promise((r) => setTimeout(r, 450));
    assert.equal(await call('get'), 200);
  });

  it('injects a seeded, reproducible error sequence', async () => {
    const run = async () => {
      await admin.setFaults({ errorRate: 0.5, errorStatus: 502, seed: 42 });
      const out: Array<number | string> = [];
      for (let i = 0; i < 20; i++) out.push(await call('get'));
      return out;
    };
    const first = await run();
    assert.ok(first.includes(502) && first.includes(200), 'both outcomes occur');
    assert.deepEqual(await run(), first, 'same seed, same sequence');
  });

  it('a lost response applies the write and resets the connection', async () => {
    await admin.setFaults({ lostResponseRate: 1 });
    const outcome = await call('post');
    assert.match(String(outcome), /^error:/, 'the caller never hears');
    assert.equal(writes, 1, 'but the write happened');
    assert.equal((await admin.writes({ operation: 'Thing.create', applied: true })).length, 1);
    assert.equal(await call('get'), 200, 'reads are never lost');
  });

  it('429 carries Retry-After; an invalid plan is refused with 400', async () => {
    await admin.setFaults({ rateLimitRate: 1, retryAfterSeconds: 7 });
    const res = await axios.get(`${sim.url}/thing`, { validateStatus: () => true });
    assert.equal(res.status, 429);
    assert.equal(res.headers['retry-after'], '7');
    const bad = await axios.put(`${sim.url}/__sim/faults`, { errorRate: 2 }, { validateStatus: () => true });
    assert.equal(bad.status, 400);
  });

  it('reset clears faults, journal and state', async () => {
    await admin.setFaults({ errorRate: 1 });
    await admin.reset();
    assert.equal(await call('post'), 200);
    await admin.reset();
    assert.deepEqual(await admin.writes(), []);
    assert.deepEqual(await admin.state(), { writes: 0 });
  });
});
