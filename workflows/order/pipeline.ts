import { condition } from '@temporalio/workflow';
import { isParkable, summariseFailure } from '../shared/failures';
import type { ParkingLot } from '../shared/parking';
import type { AnyPostingRequest, PipelineState, PipelineSystem, PostedRecord, QueuedPosting } from './state';

const SYSTEMS: PipelineSystem[] = ['odoo', 'sap', 'mes', 'plantflow'];

/**
 * Posts accepted events to each system in arrival order, one at a time per system, so a slow SAP never
 * holds back Odoo. A posting that fails for good parks (and holds back only its own system's queue)
 * until an operator decides. Draining stops the loops between postings for continue-as-new.
 */
export class PostingPipeline {
  private draining = false;
  private stopped = false;
  private readonly busy = new Set<PipelineSystem>();
  private loops: Promise<void>[] = [];

  constructor(
    readonly state: PipelineState,
    private readonly parking: ParkingLot,
    private readonly post: (request: AnyPostingRequest) => Promise<void>,
    private readonly onAbort: (reason: string, step: string) => void,
  ) {}

  enqueue(requests: AnyPostingRequest[]): void {
    for (const request of requests) this.state.queue.push({ request, status: 'pending', attempts: 0 });
  }

  /** Starts one loop per system; the promise rejects if a posting fails in a way parking cannot hold. */
  start(): Promise<void> {
    this.loops = SYSTEMS.map((system) => this.loop(system));
    return Promise.all(this.loops).then(() => undefined);
  }

  drain(): void {
    this.draining = true;
  }

  stop(): void {
    this.stopped = true;
  }

  get idle(): boolean {
    return this.busy.size === 0;
  }

  get empty(): boolean {
    return this.state.queue.length === 0;
  }

  count(status: QueuedPosting['status']): number {
    return this.state.queue.filter((q) => q.status === status).length;
  }

  private next(system: PipelineSystem): QueuedPosting | undefined {
    return this.state.queue.find((q) => q.request.system === system);
  }

  private finish(item: QueuedPosting, outcome: PostedRecord['outcome']): void {
    this.state.queue = this.state.queue.filter((q) => q !== item);
    const { system, step, summary } = item.request;
    if (outcome === 'posted') this.state.postedCount[system] += 1;
    // Reconciliation checks each confirmation against SAP and, on an operator's reapply, posts it again.
    if (outcome === 'posted' && item.request.kind === 'confirmation') {
      const { operation, yield: y, scrap, rework, final, postingDate } = item.request;
      this.state.confirmations = [
        ...(this.state.confirmations ?? []),
        { step, operation, yield: y, scrap, rework, final, postingDate },
      ];
    }
    if (outcome === 'posted' && (item.request.kind === 'goodsIssue' || item.request.kind === 'goodsReceipt')) {
      const { kind, material, lotId, quantity, postingDate } = item.request;
      const movementType = kind === 'goodsIssue' ? ('261' as const) : ('101' as const);
      this.state.goodsMovements = [
        ...(this.state.goodsMovements ?? []),
        { step, movementType, material, lotId, quantity, postingDate },
      ];
    }
    this.state.recentPostings = [
      ...this.state.recentPostings,
      { step, system, summary, outcome, at: new Date().toISOString() },
    ].slice(-30);
  }

  private async loop(system: PipelineSystem): Promise<void> {
    for (;;) {
      await condition(() => this.draining || this.stopped || this.next(system) !== undefined);
      if (this.draining || this.stopped) return;
      const item = this.next(system)!;
      if (item.status === 'parked') {
        // Parked before a continue-as-new: the decision may already be there, or still to come.
        if (!this.parking.parked.some((p) => p.step === item.request.step)) {
          this.parking.park(item.request.step, item.request.summary, {
            type: 'Unknown',
            message: 'parked before continue-as-new',
          });
        }
        const decision = await this.parking.awaitDecision(item.request.step, () => this.draining || this.stopped);
        if (!decision) return;
        if (decision.action === 'retry') item.status = 'pending';
        else if (decision.action === 'skip') this.finish(item, 'skipped');
        else {
          this.stopped = true;
          this.onAbort(decision.reason, item.request.step);
          return;
        }
        continue;
      }
      this.busy.add(system);
      try {
        item.attempts += 1;
        await this.post(item.request);
        this.finish(item, 'posted');
      } catch (err) {
        if (!isParkable(err)) throw err;
        item.status = 'parked';
        this.parking.park(item.request.step, item.request.summary, summariseFailure(err));
      } finally {
        this.busy.delete(system);
      }
    }
  }
}
