import assert from 'node:assert/strict';
import { atomically, savepoint } from '../../../../simulators/shared/undo';

interface Doc {
  id: number;
  items: Array<{ qty: number }>;
  note?: string;
}
const seed = () => ({
  next: 3,
  docs: [
    { id: 1, items: [{ qty: 5 }] },
    { id: 2, items: [{ qty: 7 }], note: 'kept' },
  ] as Doc[],
  stock: { 'H-1': 100 } as Record<string, number>,
});

const refused = () => {
  throw new Error('refused');
};

describe('simulator changes: all or nothing without copying the state', () => {
  it('a refused change leaves the state exactly as it was, whatever it touched', () => {
    const state = seed();
    const before = JSON.stringify(state);
    assert.throws(
      () =>
        atomically(state, (s) => {
          s.docs.push({ id: s.next++, items: [] });
          s.docs[0]!.items[0]!.qty = 0;
          s.docs[1]!.items.splice(0, 1, { qty: 1 }, { qty: 2 });
          delete s.docs[1]!.note;
          s.stock['H-2'] = 4;
          s.stock['H-1'] -= 60;
          s.docs = s.docs.filter((d) => d.id !== 1);
          s.docs.sort((a, b) => b.id - a.id);
          refused();
        }),
      /refused/,
    );
    assert.equal(JSON.stringify(state), before);
  });

  it('a change that goes through is in the state, with no view left inside it', () => {
    const state = seed();
    const kept = atomically(state, (s) => {
      const doc = { id: s.next++, items: [s.docs[0]!.items[0]!] };
      s.docs.push(doc);
      s.docs = s.docs.filter((d) => d.id !== 2);
      return s.docs[0]!;
    });
    assert.equal(kept.id, 1);
    assert.deepEqual(
      state.docs.map((d) => d.id),
      [1, 3],
    );
    assert.equal(state.next, 4);
    // structuredClone refuses proxies: it succeeding proves the state holds plain data only.
    assert.deepEqual(structuredClone(state).docs[1], { id: 3, items: [{ qty: 5 }] });
  });

  it('a savepoint undoes only what came after it; an inner change refused alone keeps the outer one', () => {
    const state = seed();
    atomically(state, (s) => {
      s.stock['H-1'] = 90;
      const back = savepoint();
      s.stock['H-1'] = 10;
      s.docs.push({ id: 9, items: [] });
      back();
      assert.throws(() =>
        atomically(s, (inner) => {
          inner.next = 99;
          refused();
        }),
      );
    });
    assert.deepEqual([state.stock['H-1'], state.docs.length, state.next], [90, 2, 3]);
  });
});
