import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { EdgeMesEventInput } from '../../../domain/edge';
import type { EdgeStatus } from '../../../edge/status';
import { asMes, asViewer, edgeEnv, spawnEdgeProcess, type EdgeProcess } from '../../support/edge';
import { FakeCentral } from '../../support/fake-central';
import { eventually } from '../../support/eventually';
import { mulberry32 as seeded } from '../../../simulators/shared/faults';

const SEED = 1710;
const KILLS = 50;

/** Where in the store/forward cycle a kill lands. */
const KILL_POINTS = [
  'while the MES waits for its answer', // the commit may or may not be on disk
  'right after the edge answered stored', // on disk, maybe not forwarded
  'while the central site holds a batch', // applied centrally, the edge has no answer
  'as the central answer reaches the edge', // answered, maybe not settled
  'at a random moment',
] as const;
type KillPoint = (typeof KILL_POINTS)[number];

describe('plant edge killed with SIGKILL at random points of its store/forward cycle', function () {
  this.timeout(240_000);
  // Whatever happens to the test, no edge process and no stand-in central site outlive it.
  let current: EdgeProcess | undefined;
  let central: FakeCentral | undefined;
  after(async () => {
    if (current?.child.exitCode === null && current.child.signalCode === null) await current.kill();
    await central?.stop();
  });

  it(`${KILLS} kills on a seeded schedule: no accepted event lost, none applied twice`, async () => {
    // The kill schedule is fixed by the seed; the MES's batch sizes and the central site's moods draw from
    // their own generators, so timing never shifts the schedule.
    const schedule = seeded(SEED);
    const plan = Array.from({ length: KILLS }, () => ({
      point: KILL_POINTS[Math.floor(schedule() * KILL_POINTS.length)]!,
      callNo: 1 + Math.floor(schedule() * 4),
      delayMs: schedule() * 300,
      jitterMs: schedule() * 3,
    }));
    const mesDice = seeded(SEED + 1);
    const centralDice = seeded(SEED + 2);
    const fake = (central = new FakeCentral());
    const env = edgeEnv(await fake.start(), fake.apiKey, {
      PLANTFLOW_EDGE_BATCH_SIZE: '4',
      PLANTFLOW_EDGE_RETRY_INITIAL_MS: '20',
      PLANTFLOW_EDGE_RETRY_MAX_MS: '200',
      PLANTFLOW_EDGE_REPORT_EVERY_MS: '200',
    });
    // The central site is slow at times and fails now and then, as a real one does.
    let holdNext = false;
    fake.behaviour = () => {
      if (holdNext) return { kind: 'answer', delayMs: 2_000 };
      return centralDice() < 0.1
        ? { kind: 'status', status: 503, retryAfter: '0' }
        : { kind: 'answer', delayMs: centralDice() * 30 };
    };

    let clock = Date.parse('2026-11-23T06:00:00Z');
    const fresh = (): EdgeMesEventInput => {
      clock += 1_000;
      return {
        eventId: randomUUID(),
        type: 'OperationStarted',
        effectiveAt: new Date(clock).toISOString(),
        source: { system: 'mes', instance: 'mes-1710' },
        site: '1710',
        correlation: { orderRef: `PO-K${Math.floor(mesDice() * 3) + 1}`, operation: '0010' },
        payload: {},
      };
    };
    /** Events the edge answered stored (or duplicate: stored before): they must reach the central site. */
    const accepted = new Set<string>();
    /** Events whose report got no answer: the MES reports them again, as it would. */
    const unanswered = new Map<string, EdgeMesEventInput>();
    const kills: Array<{ point: KillPoint; pid: number; centralHolding: boolean }> = [];

    /** Events reported in an earlier call: the edge may have stored them before it died. */
    const sentBefore = new Set<string>();
    const post = async (edge: EdgeProcess, events: EdgeMesEventInput[]) => {
      const resent = new Set(events.filter((e) => sentBefore.has(e.eventId)).map((e) => e.eventId));
      for (const e of events) sentBefore.add(e.eventId);
      const res = await fetch(`${edge.url}/mes/events`, {
        method: 'POST',
        headers: { ...asMes, 'content-type': 'application/json' },
        body: JSON.stringify({ events }),
      });
      assert.equal(res.status, 202, await res.clone().text());
      const { results } = (await res.json()) as { results: Array<{ outcome: string; eventId: string }> };
      for (const r of results) {
        // A first report is stored; a resend is a duplicate when its first report was committed before the kill.
        if (resent.has(r.eventId)) assert.match(r.outcome, /^(stored|duplicate)$/, JSON.stringify(r));
        else assert.equal(r.outcome, 'stored', JSON.stringify(r));
        accepted.add(r.eventId);
        unanswered.delete(r.eventId);
      }
    };

    /** The MES reports until the edge dies: earlier unanswered events first, then new ones, 1–4 per call. */
    const reportUntilDead = async (edge: EdgeProcess, onCall: (n: number) => void, onAnswer: () => void) => {
      for (let n = 1; ; n++) {
        const events = [...unanswered.values(), ...Array.from({ length: 1 + Math.floor(mesDice() * 4) }, fresh)];
        for (const e of events) unanswered.set(e.eventId, e);
        onCall(n);
        try {
          await post(edge, events);
        } catch (err) {
          if (err instanceof assert.AssertionError) throw err;
          return; // connection lost: the edge was killed
        }
        onAnswer();
      }
    };

    for (const { point, callNo, delayMs, jitterMs } of plan) {
      const edge = (current = await spawnEdgeProcess(env));
      let killed: Promise<void> | undefined;
      const kill = () => {
        if (killed) return;
        kills.push({ point, pid: edge.pid, centralHolding: holdNext });
        killed = edge.kill();
      };
      if (point === 'while the central site holds a batch') {
        holdNext = true;
        fake.onApplied = () => kill();
      } else if (point === 'as the central answer reaches the edge') {
        fake.onAnswered = () => kill();
      } else if (point === 'at a random moment') {
        setTimeout(kill, delayMs);
      }
      await reportUntilDead(
        edge,
        (n) => {
          if (point === 'while the MES waits for its answer' && n === callNo) setTimeout(kill, jitterMs);
        },
        () => {
          if (point === 'right after the edge answered stored') kill();
        },
      );
      await (killed ?? edge.exited);
      holdNext = false;
      fake.onApplied = fake.onAnswered = undefined;
    }

    // The last edge runs to the end: the MES reports what went unanswered, the backlog drains.
    const last = (current = await spawnEdgeProcess(env));
    while (unanswered.size > 0) await post(last, [...unanswered.values()]);
    const status = await eventually(
      async () => (await (await fetch(`${last.url}/edge/status`, { headers: asViewer })).json()) as EdgeStatus,
      (s) => s.backlog.events === 0,
      60_000,
      50,
    );
    await last.stop();

    // No accepted event lost: each reached the central site.
    const lost = [...accepted].filter((id) => !fake.appliedIds.has(id));
    assert.deepEqual(lost, [], `${lost.length} accepted event(s) never reached the central site`);
    // None applied twice: an edge process never resends what the central site answered it; a resend
    // happens only from the next process, for a batch whose answer died with the killed one.
    const perProcess = new Map<string, number>();
    for (const d of fake.deliveries)
      perProcess.set(`${d.run}/${d.eventId}`, (perProcess.get(`${d.run}/${d.eventId}`) ?? 0) + 1);
    assert.deepEqual(
      [...perProcess].filter(([, n]) => n > 1),
      [],
      'an event sent twice by one edge process',
    );
    // Each stored event was settled at the edge exactly once, as accepted or (after a resend) duplicate.
    assert.equal(status.forwarded.accepted + status.forwarded.duplicate, fake.appliedIds.size);
    assert.equal(status.forwarded.refused, 0);
    assert.equal(accepted.size, fake.appliedIds.size, 'the central site got only what the edge accepted');

    // The schedule reached every part of the cycle, and kills in the forwarding window caused resends.
    assert.equal(kills.length, KILLS);
    for (const p of KILL_POINTS)
      assert.ok(
        kills.some((k) => k.point === p),
        `no kill ${p}`,
      );
    const resent = fake.deliveries.length - new Set(fake.deliveries.map((d) => d.eventId)).size;
    assert.ok(resent > 0, 'some batch was resent after a kill');
    assert.ok(status.forwarded.duplicate > 0, 'and answered as duplicates');
  });
});
