/** A Temporal duration as text ('2 seconds', '12 hours') or milliseconds; the workflow hands it to the SDK. */
export type DurationValue = string | number;

/**
 * How patiently a run retries external systems. Postings retry for as long as the business allows
 * (hours), not three tries; tests shorten the intervals. Travels in the workflow input so that it is
 * fixed per run and replays identically.
 */
export interface RetryTuning {
  /** First retry delay. */
  initialInterval: DurationValue;
  /** Backoff ceiling. */
  maximumInterval: DurationValue;
  /** Give up on one call after this long and park the step for an operator. */
  postingWindow: DurationValue;
  /** Timeout of one attempt. */
  callTimeout: DurationValue;
}

export const DEFAULT_TUNING: RetryTuning = {
  initialInterval: '2 seconds',
  maximumInterval: '5 minutes',
  postingWindow: '12 hours',
  callTimeout: '2 minutes',
};

/** What every start of an order, lot or NCR run may set besides its business data. */
export interface RunOptions {
  tuning?: Partial<RetryTuning>;
  /** Continue-as-new after this many history events even if the server does not suggest it. */
  maxHistoryEvents?: number;
}
