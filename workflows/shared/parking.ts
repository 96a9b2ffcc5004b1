import { condition, upsertSearchAttributes } from '@temporalio/workflow';
import { NeedsAttentionAttr } from '../search-attributes';
import { isParkable, summariseFailure, type FailureSummary } from './failures';

export type ParkDecisionAction = 'retry' | 'skip' | 'abort';

export interface ParkDecision {
  action: ParkDecisionAction;
  reason: string;
  by: string;
}

export interface ParkedStep {
  step: string;
  summary: string;
  failure: FailureSummary;
  parkedAt: string;
  decision?: ParkDecision & { decidedAt: string };
}

export interface ParkingRecord extends ParkedStep {
  resolvedAt: string;
}

export type ParkOutcome<T> =
  { outcome: 'done'; value: T } | { outcome: 'skipped' } | { outcome: 'aborted'; reason: string };

/** The parking lot's carried state: part of every run's state object. */
export interface ParkingState {
  parked: ParkedStep[];
  /** Resolved parkings, newest last, kept short: the full record is in the history. */
  resolved: ParkingRecord[];
}

export function emptyParking(): ParkingState {
  return { parked: [], resolved: [] };
}

/** An operator chose abort on a parked step: the process ends aborted with this reason. */
export class StepAborted extends Error {
  constructor(
    readonly step: string,
    readonly reason: string,
  ) {
    super(`operator aborted at ${step}: ${reason}`);
    this.name = 'StepAborted';
  }
}

/**
 * Parking instead of dead letters (docs/architecture.md §4.3): a step that failed for good waits here, flagged with
 * NeedsAttention, until an operator says retry, skip or abort. It works on the run's own state object,
 * so what is parked travels with continue-as-new.
 */
export class ParkingLot {
  constructor(readonly state: ParkingState) {}

  get parked(): ParkedStep[] {
    return this.state.parked;
  }

  get resolved(): ParkingRecord[] {
    return this.state.resolved;
  }

  get needsAttention(): boolean {
    return this.parked.some((p) => !p.decision);
  }

  /** Synchronous check for the operator Update's validator. */
  validateDecision(step: string): void {
    const parked = this.parked.find((p) => p.step === step);
    if (!parked)
      throw new Error(`no parked step "${step}" (parked: ${this.parked.map((p) => p.step).join(', ') || 'none'})`);
    if (parked.decision) throw new Error(`step "${step}" already has a decision (${parked.decision.action})`);
  }

  decide(step: string, decision: ParkDecision): void {
    const parked = this.parked.find((p) => p.step === step);
    if (parked) parked.decision = { ...decision, decidedAt: new Date().toISOString() };
    this.sync();
  }

  park(step: string, summary: string, failure: FailureSummary): ParkedStep {
    const existing = this.parked.find((p) => p.step === step);
    if (existing) return existing;
    const parked: ParkedStep = { step, summary, failure, parkedAt: new Date().toISOString() };
    this.parked.push(parked);
    this.sync();
    return parked;
  }

  /** Waits for the operator; resolves undefined when `interrupt()` turns true first (continue-as-new). */
  async awaitDecision(step: string, interrupt: () => boolean = () => false): Promise<ParkDecision | undefined> {
    const parked = this.parked.find((p) => p.step === step);
    if (!parked) return undefined;
    await condition(() => parked.decision !== undefined || interrupt());
    if (!parked.decision) return undefined;
    this.state.parked = this.parked.filter((p) => p !== parked);
    this.state.resolved = [...this.resolved, { ...parked, resolvedAt: new Date().toISOString() }].slice(-50);
    this.sync();
    return parked.decision;
  }

  /** Runs a step; when it fails for good, parks it and follows the operator's decision. */
  async run<T>(step: string, summary: string, fn: () => Promise<T>): Promise<ParkOutcome<T>> {
    for (;;) {
      try {
        return { outcome: 'done', value: await fn() };
      } catch (err) {
        if (!isParkable(err)) throw err;
        this.park(step, summary, summariseFailure(err));
        const decision = (await this.awaitDecision(step))!;
        if (decision.action === 'skip') return { outcome: 'skipped' };
        if (decision.action === 'abort') return { outcome: 'aborted', reason: decision.reason };
      }
    }
  }

  /**
   * A step every process runs the same way: its value; undefined when an operator skipped it; an operator's
   * abort throws StepAborted, which ends the process aborted.
   */
  async step<T>(step: string, summary: string, fn: () => Promise<T>): Promise<T | undefined> {
    const outcome = await this.run(step, summary, fn);
    if (outcome.outcome === 'aborted') throw new StepAborted(step, outcome.reason);
    return outcome.outcome === 'done' ? outcome.value : undefined;
  }

  private sync(): void {
    upsertSearchAttributes([{ key: NeedsAttentionAttr, value: this.needsAttention }]);
  }
}
