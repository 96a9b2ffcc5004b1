import { idempotencyKey } from '../../domain/ids';
import type { NcrRun } from './run';

/** An operator chose `abort` on a parked step: the NCR ends, its containment stays in place. */
export class NcrAborted extends Error {}

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
  const outcome = await run.parking.run(name, summary, fn);
  if (outcome.outcome === 'aborted') throw new NcrAborted(`operator aborted at ${name}: ${outcome.reason}`);
  if (outcome.outcome === 'skipped') {
    run.note('StepSkipped', `${summary}: skipped by an operator`);
    return undefined;
  }
  return outcome.value;
}

export function keyOf(run: NcrRun, stepName: string): string {
  return idempotencyKey(run.workflowId, stepName);
}
