import { z } from 'zod';

/** A Temporal duration string as plant people write it: "4 hours", "5 days", "90 days", "15 minutes". */
export const durationSchema = z
  .string()
  .regex(
    /^\d+(\.\d+)?\s*(ms|milliseconds?|s|seconds?|m|minutes?|h|hours?|d|days?)$/,
    'a duration like "3 days" or "12 hours"',
  );

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds of a duration that passed durationSchema ("7 days" → 604800000). */
export function durationToMs(duration: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/.exec(duration.trim());
  if (!match) throw new Error(`not a duration: ${duration}`);
  const unit = match[2]!.startsWith('ms') || match[2]!.startsWith('milli') ? 'ms' : match[2]![0]!;
  return Math.round(Number(match[1]) * UNIT_MS[unit]!);
}
