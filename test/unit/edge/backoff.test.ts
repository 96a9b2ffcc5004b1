import assert from 'node:assert/strict';
import { Backoff, retryAfterMs } from '../../../edge/backoff';

describe('edge backoff', () => {
  it('draws each wait below a ceiling that doubles up to the maximum', () => {
    const top = new Backoff(100, 1000, () => 0.999999);
    assert.deepEqual(
      Array.from({ length: 6 }, () => top.next()),
      [100, 200, 400, 800, 1000, 1000],
    );
    const bottom = new Backoff(100, 1000, () => 0);
    assert.equal(bottom.next(), 0, 'full jitter reaches zero');
    top.reset();
    assert.equal(top.next(), 100);
  });

  it('never comes back sooner than Retry-After asked (an hour at most)', () => {
    const b = new Backoff(100, 1000, () => 0.5);
    assert.equal(b.next(5000), 5000);
    assert.equal(b.next(10 * 3_600_000), 3_600_000);
    const now = new Date('2026-11-23T06:00:00Z');
    assert.equal(retryAfterMs('7', now), 7000);
    assert.equal(retryAfterMs('Mon, 23 Nov 2026 06:00:30 GMT', now), 30_000);
    assert.equal(retryAfterMs('soon', now), undefined);
    assert.equal(retryAfterMs(undefined, now), undefined);
  });
});
