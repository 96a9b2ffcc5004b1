import type { z } from 'zod';

/**
 * A cross-field check that runs only once every field passed its own checks. zod v4 runs an object's
 * refinements even after a field's refinement failed (an empty list, a quantity of "abc"), and a check
 * written for valid data would then read past the end of a list or parse a non-number: a 500, not a 400.
 */
export function crossFieldCheck<T>(check: (value: T, ctx: z.RefinementCtx<T>) => void) {
  return (value: T, ctx: z.RefinementCtx<T>): void => {
    if (ctx.issues.length > 0) return;
    check(value, ctx);
  };
}
