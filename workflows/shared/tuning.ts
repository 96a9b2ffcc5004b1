import type { Duration } from '@temporalio/common';

/**
 * How patiently a run retries external systems. Postings retry for as long as the business allows
 * (hours, docs/architecture.md §4.2), not three tries; tests shorten the intervals. Travels in the workflow input so
 * that it is fixed per run and replays identically.
 */
export interface RetryTuning {
  /** First retry delay. */
  initialInterval: Duration;
  /** Backoff ceiling. */
  maximumInterval: Duration;
  /** Give up on one call after this long and park the step for an operator. */
  postingWindow: Duration;
  /** Timeout of one attempt. */
  callTimeout: Duration;
}

export const DEFAULT_TUNING: RetryTuning = {
  initialInterval: '2 seconds',
  maximumInterval: '5 minutes',
  postingWindow: '12 hours',
  callTimeout: '2 minutes',
};
