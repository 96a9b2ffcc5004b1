import { z } from 'zod';

/** A Temporal duration string as plant people write it: "4 hours", "5 days", "90 days", "15 minutes". */
export const durationSchema = z
  .string()
  .regex(
    /^\d+(\.\d+)?\s*(ms|milliseconds?|s|seconds?|m|minutes?|h|hours?|d|days?)$/,
    'a duration like "3 days" or "12 hours"',
  );
