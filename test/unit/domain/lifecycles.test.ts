import assert from 'node:assert/strict';
import { statusProgress } from '../../../domain/lifecycles';

describe('run lifecycles: has a run reached the status someone waits for?', () => {
  it('an order is on its way, at the status, or past it on the same path', () => {
    assert.equal(statusProgress('order', 'released', 'completed'), 'waiting');
    assert.equal(statusProgress('order', 'awaiting_order', 'released'), 'waiting');
    assert.equal(statusProgress('order', 'completed', 'completed'), 'reached');
    assert.equal(statusProgress('order', 'closed', 'completed'), 'reached');
  });

  it('an order that took another turn never gets there', () => {
    assert.equal(statusProgress('order', 'release_failed', 'completed'), 'missed');
    assert.equal(statusProgress('order', 'cancelled', 'in_progress'), 'missed');
    assert.equal(statusProgress('order', 'aborted', 'closed'), 'missed');
    assert.equal(statusProgress('order', 'aborted', 'aborted'), 'reached');
  });

  it('a lot on hold may still be released; a lot being rejected will not', () => {
    assert.equal(statusProgress('lot', 'on_hold', 'released'), 'waiting');
    assert.equal(statusProgress('lot', 'on_hold', 'restricted'), 'reached');
    assert.equal(statusProgress('lot', 'rejecting', 'released'), 'missed');
    assert.equal(statusProgress('lot', 'released', 'restricted'), 'reached');
    assert.equal(statusProgress('lot', 'rejected', 'rejected'), 'reached');
  });

  it('an NCR moves from open to closed', () => {
    assert.equal(statusProgress('ncr', 'contained', 'closed'), 'waiting');
    assert.equal(statusProgress('ncr', 'executed', 'dispositioned'), 'reached');
    assert.equal(statusProgress('ncr', 'aborted', 'closed'), 'missed');
  });
});
