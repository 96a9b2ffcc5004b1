import assert from 'node:assert/strict';
import {
  backlogFill,
  backlogRefusal,
  edgeHealth,
  forwardingSequence,
  planBatch,
  type EdgeContact,
  type PendingEvent,
} from '../../../domain/edge';
import { durationToMs } from '../../../domain/duration';

type Named = PendingEvent & { name: string };
let seq = 0;
const at = (minute: number) => Date.parse('2026-11-23T06:00:00Z') + minute * 60_000;
const ev = (name: string, minute: number, type: PendingEvent['type'], operation?: string, final = false): Named => ({
  name,
  seq: ++seq,
  effectiveMs: at(minute),
  type,
  operation,
  final,
});
const names = (events: Named[]) => events.map((e) => e.name);

describe('plant edge rules', () => {
  describe('forwarding sequence of one order', () => {
    it('is effectiveAt order, whatever order the events arrived in', () => {
      const arrived = [
        ev('c', 3, 'OperationStarted', '0020'),
        ev('a', 1, 'OperationStarted'),
        ev('b', 2, 'MaterialConsumed', '0010'),
      ];
      assert.deepEqual(names(forwardingSequence(arrived)), ['a', 'b', 'c']);
    });

    it('at the same instant: start, consumption, production, completion; then receipt order', () => {
      const arrived = [
        ev('done', 5, 'OperationCompleted', '0010'),
        ev('made', 5, 'MaterialProduced'),
        ev('used-2', 5, 'MaterialConsumed', '0010'),
        ev('used-1', 5, 'MaterialConsumed', '0010'),
        ev('start', 5, 'OperationStarted', '0010'),
      ];
      assert.deepEqual(names(forwardingSequence(arrived)), ['start', 'used-2', 'used-1', 'made', 'done']);
    });

    it('a consumption stamped after its operation’s completion goes before that completion', () => {
      const arrived = [
        ev('start 10', 0, 'OperationStarted', '0010'),
        ev('complete 10', 10, 'OperationCompleted', '0010', true),
        ev('start 20', 11, 'OperationStarted', '0020'),
        ev('backflush 10', 12, 'MaterialConsumed', '0010'),
        ev('backflush 20', 20, 'MaterialConsumed', '0020'),
        ev('complete 20', 19, 'OperationCompleted', '0020', true),
      ];
      assert.deepEqual(names(forwardingSequence(arrived)), [
        'start 10',
        'backflush 10',
        'complete 10',
        'start 20',
        'backflush 20',
        'complete 20',
      ]);
    });

    it('partial completions keep their place; consumptions keep their order', () => {
      const arrived = [
        ev('partial 10', 1, 'OperationCompleted', '0010'),
        ev('use A', 2, 'MaterialConsumed', '0010'),
        ev('final 10', 3, 'OperationCompleted', '0010', true),
        ev('use B', 4, 'MaterialConsumed', '0010'),
        ev('use C', 5, 'MaterialConsumed', '0010'),
        ev('final 20', 2, 'OperationCompleted', '0020', true),
      ];
      assert.deepEqual(names(forwardingSequence(arrived)), [
        'partial 10',
        'use A',
        'final 20',
        'use B',
        'use C',
        'final 10',
      ]);
    });

    it('a consumption without an operation goes before the first final completion only', () => {
      const arrived = [
        ev('partial 10', 1, 'OperationCompleted', '0010'),
        ev('final 20', 2, 'OperationCompleted', '0020', true),
        ev('use', 3, 'MaterialConsumed'),
      ];
      assert.deepEqual(names(forwardingSequence(arrived)), ['partial 10', 'use', 'final 20']);
    });
  });

  it('a batch takes the oldest orders first, each a prefix of its sequence', () => {
    const orderA = [ev('A2', 2, 'OperationStarted'), ev('A1', 1, 'OperationStarted'), ev('A3', 3, 'OperationStarted')];
    const orderB = [ev('B1', 0, 'OperationStarted')];
    // B's event arrived last: A goes first, in its own effectiveAt order.
    assert.deepEqual(names(planBatch([orderB, orderA], 2)), ['A1', 'A2']);
    assert.deepEqual(names(planBatch([orderB, orderA], 10)), ['A1', 'A2', 'A3', 'B1']);
    assert.deepEqual(planBatch([[], []], 10), []);
  });

  it('refuses what does not fit, by count or by bytes, and says which', () => {
    const limits = { maxEvents: 10, maxBytes: 1000 };
    assert.equal(backlogRefusal({ events: 9, bytes: 100 }, { events: 1, bytes: 100 }, limits), undefined);
    assert.match(backlogRefusal({ events: 9, bytes: 100 }, { events: 2, bytes: 10 }, limits)!, /9 of 10 events/);
    assert.match(backlogRefusal({ events: 1, bytes: 950 }, { events: 1, bytes: 100 }, limits)!, /950 of 1000 bytes/);
    assert.equal(backlogFill({ events: 8, bytes: 100 }, limits), 0.8);
    assert.equal(backlogFill({ events: 1, bytes: 900 }, limits), 0.9);
  });

  it('the central site calls an edge silent past its limit, and shows its backlog alarm', () => {
    const contact = (lastContactAt: string, alarm: boolean): EdgeContact => ({
      edgeId: 'edge-1710',
      site: '1710',
      reportedAt: lastContactAt,
      lastContactAt,
      backlog: { events: 5, bytes: 500, maxEvents: 10, maxBytes: 1000, alarm },
      forwarded: { accepted: 1, duplicate: 0, refused: 0 },
      refusals: 0,
    });
    const now = Date.parse('2026-11-23T06:10:00Z');
    assert.equal(edgeHealth(contact('2026-11-23T06:09:00Z', false), now, 300_000).state, 'ok');
    assert.equal(edgeHealth(contact('2026-11-23T06:09:00Z', true), now, 300_000).state, 'backlog_alarm');
    const silent = edgeHealth(contact('2026-11-23T06:04:00Z', false), now, 300_000);
    assert.equal(silent.state, 'silent');
    assert.equal(silent.silentForSeconds, 360);
  });

  it('durations read as plant people write them', () => {
    assert.equal(durationToMs('7 days'), 7 * 86_400_000);
    assert.equal(durationToMs('5 minutes'), 300_000);
    assert.equal(durationToMs('250ms'), 250);
    assert.equal(durationToMs('1.5 h'), 5_400_000);
  });
});
