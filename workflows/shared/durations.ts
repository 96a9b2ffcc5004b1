import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';

/** Policy durations are Temporal duration strings ('4 hours'); an unreadable one fails the task visibly. */
export function durationMs(value: string): number {
  return msToNumber(value as Duration);
}
