import assert from 'node:assert/strict';
import { applyMesEvent, initialExecution, type ExecutionState } from '../../../domain/execution';
import { mesEventSchema, type MesEventInput } from '../../../domain/events';
import type { ProductionOrder } from '../../../domain/order';
import { demoOrder, mes } from '../../support/orders';

function apply(order: ProductionOrder, state: ExecutionState, input: MesEventInput) {
  return applyMesEvent(order, state, mesEventSchema.parse(input));
}

describe('order execution rules (pure)', () => {
  const order = demoOrder();

  it('accepts a start and plans the Odoo work-order start', () => {
    const { state, result } = apply(order, initialExecution(order), mes.started('0010'));
    assert.equal(result.outcome, 'accepted');
    assert.deepEqual(result.outcome === 'accepted' && result.postings.map((p) => `${p.system}:${p.kind}`), [
      'odoo:startWorkorder',
    ]);
    assert.ok(state.operations['0010']!.startedAt);
  });

  it('ignores a resent event (same eventId) without planning postings again', () => {
    const event = mes.consumed('RM-300', 'H-1001', '50');
    const first = apply(order, initialExecution(order), event);
    const again = apply(order, first.state, event);
    assert.equal(again.result.outcome, 'duplicate');
    assert.equal(again.state, first.state);
    assert.equal(again.state.consumed[0]!.quantity.value, '50');
  });

  it('records a completion that arrives before its start, and the late start posts nothing', () => {
    const done = apply(order, initialExecution(order), mes.completed('0010', '40'));
    assert.equal(done.result.outcome, 'accepted');
    const kinds = done.result.outcome === 'accepted' ? done.result.postings.map((p) => p.kind) : [];
    assert.deepEqual(kinds, ['startWorkorder', 'confirmation']);
    assert.equal(done.state.operations['0010']!.startImplied, true);
    const late = apply(order, done.state, mes.started('0010'));
    assert.equal(late.result.outcome, 'accepted');
    assert.deepEqual(late.result.outcome === 'accepted' && late.result.postings, []);
    assert.equal(late.state.operations['0010']!.yield.value, '40');
  });

  it('carries scrap and rework in the SAP confirmation (Odoo scrap waits for completion), and finishes the work order on final', () => {
    const { result } = apply(
      order,
      initialExecution(order),
      mes.completed('0020', '90', { scrap: '5', rework: '5', final: true }),
    );
    assert.equal(result.outcome, 'accepted');
    const postings = result.outcome === 'accepted' ? result.postings : [];
    const confirmation = postings.find((p) => p.kind === 'confirmation');
    assert.ok(confirmation && confirmation.kind === 'confirmation');
    assert.equal(confirmation.scrap.value, '5');
    assert.equal(confirmation.rework.value, '5');
    assert.equal(confirmation.final, true);
    assert.ok(
      !postings.some((p) => p.system === 'odoo' && p.kind !== 'finishWorkorder' && p.kind !== 'startWorkorder'),
    );
    assert.ok(postings.some((p) => p.kind === 'finishWorkorder'));
  });

  it('refuses impossible events with a reason', () => {
    const s = initialExecution(order);
    const reason = (e: MesEventInput) => {
      const r = apply(order, s, e).result;
      return r.outcome === 'rejected' ? r.reason : `accepted (${r.outcome})`;
    };
    assert.match(reason(mes.started('0030')), /unknown operation 0030/);
    assert.match(reason(mes.consumed('RM-999', 'X-1', '1')), /not a component/);
    assert.match(reason(mes.consumed('RM-400', 'R-4001', '1', 'EA')), /planned in KGM/);
    assert.match(reason(mes.produced('L-1', '106')), /beyond the limit of 105 EA/);
    assert.match(reason(mes.produced('L-1', '10', { material: 'FG-200' })), /makes FG-100/);
    assert.match(reason(mes.started('0010', { orderRef: 'PO-OTHER' })), /not PO-1001/);
    assert.equal(reason(mes.produced('L-1', '105')), 'accepted (accepted)');
  });

  it('refuses further quantity after a final confirmation of the operation', () => {
    const first = apply(order, initialExecution(order), mes.completed('0010', '100', { final: true }));
    const after = apply(order, first.state, mes.completed('0010', '1'));
    assert.equal(after.result.outcome, 'rejected');
  });

  it('adds produced quantities per lot and gives produced lots their consumed parents', () => {
    let s = initialExecution(order);
    s = apply(order, s, mes.consumed('RM-300', 'H-1001', '60')).state;
    s = apply(order, s, mes.consumed('RM-310', 'I-2001', '60')).state;
    const made = apply(order, s, mes.produced('FG-L1', '60'));
    s = apply(order, made.state, mes.produced('FG-L1', '30')).state;
    assert.deepEqual(s.produced, [{ material: 'FG-100', lotId: 'FG-L1', quantity: { value: '90', uom: 'EA' } }]);
    const register =
      made.result.outcome === 'accepted' ? made.result.postings.find((p) => p.kind === 'registerLot') : undefined;
    assert.ok(register && register.kind === 'registerLot');
    assert.deepEqual(
      register.parents.map((p) => p.lotId),
      ['H-1001', 'I-2001'],
    );
  });

  it('rejects a negative quantity at the schema', () => {
    const bad = {
      ...mes.consumed('RM-300', 'H-1001', '1'),
      payload: { material: 'RM-300', quantity: { value: '-5', uom: 'EA' } },
    };
    assert.equal(mesEventSchema.safeParse(bad).success, false);
  });
});
