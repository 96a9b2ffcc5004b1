import { condition, patched } from '@temporalio/workflow';
import { POSTING_BATCH_LIMIT } from '../../domain/batched-postings';
import { isParkable, summariseFailure } from '../shared/failures';
import type { ParkingLot } from '../shared/parking';
import type { AnyPostingRequest, PipelineState, PipelineSystem, PostedRecord, QueuedPosting } from './state';

const SYSTEMS: PipelineSystem[] = ['odoo', 'sap', 'mes', 'plantflow'];

/** How queued postings reach their systems: one at a time, or several of one system in one call. */
export interface Poster {
  one(request: AnyPostingRequest): Promise<void>;
  many(requests: AnyPostingRequest[]): Promise<void>;
  /** Whether this posting may travel with others of its system. */
  batchable(request: AnyPostingRequest): boolean;
}

/**
 * Posts accepted events to each system in arrival order, one call at a time per system, so a slow SAP never
 * holds back Odoo. When events come faster than a system answers, the postings queued meanwhile go together
 * in one call (same order, same idempotency keys); a batch that fails is posted again one by one, so only
 * the posting that fails for good parks (and holds back only its own system's queue) until an operator
 * decides. Draining stops the loops between calls for continue-as-new.
 */
export class PostingPipeline {
  private draining = false;
  private stopped = false;
  private readonly busy = new Set<PipelineSystem>();
  private loops: Promise<void>[] = [];
  /** Postings of a batch that failed: posted one by one so a refusal parks only its own posting. */
  private readonly singly = new Set<QueuedPosting>();

  constructor(
    readonly state: PipelineState,
    private readonly parking: ParkingLot,
    private readonly poster: Poster,
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

  /** The head posting and the pending ones of its system right behind it that may go in the same call. */
  private batchFrom(head: QueuedPosting): QueuedPosting[] {
    const { system } = head.request;
    if (this.singly.has(head) || !this.poster.batchable(head.request)) return [head];
    const batch: QueuedPosting[] = [];
    for (const q of this.state.queue) {
      if (q.request.system !== system) continue;
      if (q.status !== 'pending' || this.singly.has(q) || !this.poster.batchable(q.request)) break;
      batch.push(q);
      if (batch.length === POSTING_BATCH_LIMIT) break;
    }
    // Added after orders were already running: their histories posted every one alone.
    return batch.length > 1 && patched('order-postings-batched') ? batch : [head];
  }

  private finish(item: QueuedPosting, outcome: PostedRecord['outcome']): void {
    this.state.queue = this.state.queue.filter((q) => q !== item);
    this.singly.delete(item);
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
      const batch = this.batchFrom(item);
      this.busy.add(system);
      try {
        for (const q of batch) q.attempts += 1;
        if (batch.length > 1) await this.poster.many(batch.map((q) => q.request));
        else await this.poster.one(item.request);
        for (const q of batch) this.finish(q, 'posted');
      } catch (err) {
        if (!isParkable(err)) throw err;
        if (batch.length > 1) for (const q of batch) this.singly.add(q);
        else {
          item.status = 'parked';
          this.parking.park(item.request.step, item.request.summary, summariseFailure(err));
        }
      } finally {
        this.busy.delete(system);
      }
    }
  }
}
