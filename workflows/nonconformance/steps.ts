import { idempotencyKey } from '../../domain/ids';
import type { NcrRun } from './run';

/**
 * Runs one external step; a failure that cannot be retried parks it for an operator (retry, skip, abort).
 * Resolves the value, or undefined when the operator skipped the step.
 */
export async function step<T>(
  run: NcrRun,
  name: string,
  summary: string,
  fn: () => Promise<T>,
): Promise<T | undefined> {
  let skipped = true;
  const value = await run.parking.step(name, summary, async () => {
    const done = await fn();
    skipped = false;
    return done;
  });
  if (skipped) run.note('StepSkipped', `${summary}: skipped by an operator`);
  return value;
}

export function keyOf(run: NcrRun, stepName: string): string {
  return idempotencyKey(run.workflowId, stepName);
}
