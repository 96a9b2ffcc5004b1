import { condition, workflowInfo } from '@temporalio/workflow';

const DEFAULT_MAX_HISTORY_EVENTS = 10_000;

/** Continue-as-new is due when the server suggests it, or when the history reached the run's own limit. */
export function historyFull(maxHistoryEvents = DEFAULT_MAX_HISTORY_EVENTS): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength >= maxHistoryEvents;
}

/** Something a process does once it is due. The same predicate wakes the run and picks the work. */
export interface Duty {
  /** What the procedure calls the step: the list reads as the procedure. */
  name: string;
  due(): boolean;
  perform(): Promise<unknown>;
}

export interface Procedure {
  /** In the order the procedure takes them. */
  duties: Duty[];
  /** The run reached its end (or its closing step): `serve` returns. */
  finished(): boolean;
  /** Continue-as-new is due and the run can hand over now. */
  continueAsNewDue(): boolean;
  /** A branch running beside the duties (postings, records, a CAPA) failed in a way parking cannot hold. */
  failed?(): { error: unknown } | undefined;
  /**
   * The order's runs waited raced against their postings (`beside(...).failure`) before this procedure
   * existed: the race takes one more turn before the duties, so a wait raced the same way schedules its
   * commands in the order their histories hold.
   */
  raceWith?: Promise<unknown>;
}

/**
 * The one shape of every process once its opening steps are done: wait until something is due, then take
 * a pass over the duties in their order, performing each one that is due at its turn. After the pass (or a
 * wake with nothing due) the run returns when it has finished, or when it should continue as new.
 */
export async function serve(procedure: Procedure): Promise<'finished' | 'continue-as-new'> {
  const { duties } = procedure;
  const anyDue = () => duties.some((d) => d.due());
  const rethrow = () => {
    const failure = procedure.failed?.();
    if (failure) throw failure.error;
  };
  for (;;) {
    const woken = condition(
      () => anyDue() || procedure.finished() || procedure.continueAsNewDue() || procedure.failed?.() !== undefined,
    );
    await (procedure.raceWith ? Promise.race([procedure.raceWith, woken]) : woken);
    rethrow();
    if (anyDue()) {
      for (const duty of duties) if (duty.due()) await duty.perform();
      rethrow();
    }
    if (procedure.finished()) return 'finished';
    if (procedure.continueAsNewDue()) return 'continue-as-new';
  }
}

/** A branch run beside the duties; its failure surfaces through the procedure's `failed`. */
export function beside(branch: Promise<unknown>) {
  let failure: { error: unknown } | undefined;
  const settled = branch.then(
    () => undefined,
    (error: unknown) => {
      failure = { error };
    },
  );
  // Pending while the branch works or after it ended well; rejects with its failure (seen here, so never unhandled).
  const failing = new Promise<never>((_, reject) => void branch.catch(reject));
  failing.catch(() => undefined);
  return {
    failed: () => failure,
    /** Rejects when the branch fails: a wait raced against it wakes on the failure. */
    failure: failing,
    /** Waits for the branch to end, and rethrows its failure. */
    done: async () => {
      await settled;
      if (failure) throw failure.error;
    },
  };
}

/**
 * A continued run's state: what its predecessor carried, over the initial values (so a field added since
 * the predecessor ran starts from its initial value), counted as the next run. A first run's initial state.
 */
export function resumeState<S extends { runs: number }>(carried: S | undefined, initial: () => S): S {
  return carried ? { ...initial(), ...carried, runs: carried.runs + 1 } : initial();
}
