import { setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { applyMesEvent, productionLimit, totalProduced } from '../../domain/execution';
import { mesEventDigest, type MesEvent } from '../../domain/events';
import type { HoldRequest } from '../../domain/notices';
import type { OrderStatus } from '../../domain/order';
import { qty } from '../../domain/quantity';
import type { CompleteOrderRequest, MesEventResult, OrderWorkflowInput } from '../messages/order';
import { OrderStatusAttr } from '../search-attributes';
import { systemActivities, type SystemActivities } from '../shared/activities';
import { ParkingLot } from '../shared/parking';
import { resumeState } from '../shared/procedure';
import { odooLotClosed } from './lot-receipts';
import { PostingPipeline } from './pipeline';
import { BATCHED_KINDS, performPosting, performPostingBatch, type PostingContext } from './post';
import { initialOrderState, type OrderState, type OrderStatusView, type TimelineEntry } from './state';

const TIMELINE_LIMIT = 2_000;
const TERMINAL: OrderStatus[] = ['release_failed', 'cancelled', 'closed', 'aborted'];
const EXECUTING: OrderStatus[] = ['released', 'in_progress', 'completing'];

/** One production order run: its state (carried whole through continue-as-new) and the operations on it. */
export class OrderRun {
  readonly workflowId = workflowInfo().workflowId;
  readonly state: OrderState;
  readonly acts: SystemActivities;
  readonly parking: ParkingLot;
  readonly pipeline: PostingPipeline;

  constructor(readonly input: OrderWorkflowInput) {
    this.state = resumeState(input.carry, () => initialOrderState(input));
    this.acts = systemActivities(input.tuning, input.site);
    this.parking = new ParkingLot(this.state.parking);
    const context = (): PostingContext => ({
      workflowId: this.workflowId,
      order: this.state.order!,
      acts: this.acts,
      executors: () => this.state.executors,
      onOdooLotClosed: (closed) => odooLotClosed(this, closed),
    });
    this.pipeline = new PostingPipeline(
      this.state,
      this.parking,
      {
        one: (request) => performPosting(context(), request),
        many: (requests) => performPostingBatch(context(), requests),
        batchable: (request) => BATCHED_KINDS.includes(request.kind),
      },
      (reason, step) => this.abort(`operator aborted at ${step}: ${reason}`),
    );
  }

  get terminal(): boolean {
    return TERMINAL.includes(this.state.status);
  }

  get executing(): boolean {
    return EXECUTING.includes(this.state.status);
  }

  setStatus(status: OrderStatus, detail?: string): void {
    this.state.status = status;
    upsertSearchAttributes([{ key: OrderStatusAttr, value: status }]);
    setCurrentDetails(`Order ${this.input.orderRef} at ${this.input.site}: ${status}${detail ? ` — ${detail}` : ''}`);
  }

  note(entry: Omit<TimelineEntry, 'recordedAt' | 'effectiveAt'> & { effectiveAt?: string; recordedAt?: string }): void {
    const now = new Date().toISOString();
    this.state.timeline.push({ effectiveAt: entry.effectiveAt ?? now, recordedAt: entry.recordedAt ?? now, ...entry });
    if (this.state.timeline.length > TIMELINE_LIMIT) {
      this.state.droppedTimelineEntries += this.state.timeline.length - TIMELINE_LIMIT;
      this.state.timeline = this.state.timeline.slice(-TIMELINE_LIMIT);
    }
  }

  abort(reason: string): void {
    this.state.failure = reason;
    this.pipeline.stop();
    this.setStatus('aborted', reason);
    this.note({ type: 'OrderAborted', summary: reason, source: 'plantflow' });
  }

  /** Why a resend of an event already taken in differs from it, or undefined (new, or the same event again). */
  eventConflict(event: MesEvent): string | undefined {
    const known = this.state.eventDigests?.[event.eventId];
    if (known === undefined || known === mesEventDigest(event)) return undefined;
    return `event ${event.eventId} was already accepted with another payload; this resend is not applied`;
  }

  /** Whether this event id was taken in already (applied, or waiting for the release). */
  eventSeen(eventId: string): boolean {
    return (
      (this.state.execution?.seenEventIds.includes(eventId) ?? false) ||
      this.state.buffered.some((e) => e.eventId === eventId)
    );
  }

  /** Applies a shop-floor event (already validated) and queues its postings. */
  acceptEvent(event: MesEvent): MesEventResult {
    if (!this.eventSeen(event.eventId)) (this.state.eventDigests ??= {})[event.eventId] = mesEventDigest(event);
    if (!this.state.order || !this.state.execution || !this.executing) {
      if (!this.state.buffered.some((e) => e.eventId === event.eventId)) this.state.buffered.push(event);
      this.note({
        type: event.type,
        eventId: event.eventId,
        effectiveAt: event.effectiveAt,
        recordedAt: event.recordedAt,
        summary: `${event.type} held until the order is released`,
        outcome: 'buffered',
        source: event.source.system,
      });
      return { outcome: 'buffered', eventId: event.eventId };
    }
    const { state, result } = applyMesEvent(this.state.order, this.state.execution, event);
    if (result.outcome === 'duplicate') return { outcome: 'duplicate', eventId: event.eventId };
    if (result.outcome === 'rejected') {
      // Reached only for buffered events replayed after release: the caller was told "buffered".
      this.note({
        type: event.type,
        eventId: event.eventId,
        effectiveAt: event.effectiveAt,
        recordedAt: event.recordedAt,
        summary: `refused: ${result.reason}`,
        outcome: 'rejected',
        source: event.source.system,
      });
      return { outcome: 'duplicate', eventId: event.eventId };
    }
    this.state.execution = state;
    const operator = 'operator' in event.payload ? event.payload.operator : undefined;
    if (operator && !this.state.executors.includes(operator)) this.state.executors.push(operator);
    if (event.type === 'MaterialProduced')
      this.trackLot(event.payload.material, event.correlation.lotId, event.payload.quantity);
    this.pipeline.enqueue(result.postings);
    this.note({
      type: event.type,
      eventId: event.eventId,
      effectiveAt: event.effectiveAt,
      recordedAt: event.recordedAt,
      summary: describeEvent(event),
      outcome: 'accepted',
      source: event.source.system,
    });
    if (this.state.status === 'released') this.setStatus('in_progress');
    this.requestAutoCompletion();
    return { outcome: 'accepted', eventId: event.eventId, postings: result.postings.length };
  }

  private trackLot(material: string, lotId: string, q: { value: string; uom: string }): void {
    const lot = this.state.lots.find((l) => l.lotId === lotId && l.material === material);
    if (lot) lot.quantity = qty.add(lot.quantity, q);
    else this.state.lots.push({ material, lotId, quantity: q, final: false });
  }

  /** Full quantity made and every operation finally reported: completing needs no one's decision. */
  private requestAutoCompletion(): void {
    if (this.state.completion || !this.state.order || !this.state.execution) return;
    const allFinal = Object.values(this.state.execution.operations).every((o) => o.final);
    if (
      allFinal &&
      qty.gte(totalProduced(this.state.execution, this.state.order.quantity.uom), this.state.order.quantity)
    ) {
      this.state.completion = {
        mode: 'complete',
        by: 'plantflow',
        reason: 'full quantity produced and every operation final',
        requestedAt: new Date().toISOString(),
      };
    }
  }

  /** Why a completion request is refused now, or undefined. Used by the Update validator. */
  completionProblem(req: CompleteOrderRequest): string | undefined {
    if (!this.state.order || !this.state.execution) return 'the order has not been released';
    if (!['released', 'in_progress'].includes(this.state.status)) return `the order is ${this.state.status}`;
    if (this.state.completion)
      return `completion (${this.state.completion.mode}) was already requested by ${this.state.completion.by}`;
    const made = totalProduced(this.state.execution, this.state.order.quantity.uom);
    const planned = this.state.order.quantity;
    if (req.mode === 'complete' && qty.lt(made, planned)) {
      return `only ${qty.format(made)} of ${qty.format(planned)} produced: choose backorder or short_close`;
    }
    if (req.mode === 'backorder' && (qty.isZero(made) || qty.gte(made, planned))) {
      return `a backorder needs a partial quantity; produced ${qty.format(made)} of ${qty.format(planned)}`;
    }
    if (req.mode === 'short_close' && !req.reason?.trim()) return 'a short close needs a reason';
    if (qty.gt(made, productionLimit(this.state.order))) return 'produced beyond tolerance';
    return undefined;
  }

  placeHold(req: HoldRequest): void {
    if (this.state.holds.some((h) => h.holdId === req.holdId)) return;
    this.state.holds.push({ ...req, placedAt: new Date().toISOString() });
    this.note({ type: 'HoldPlaced', summary: `hold ${req.holdId} by ${req.by}: ${req.reason}`, source: req.source });
    if (this.executing && !this.state.mesHolds.includes(req.holdId)) {
      this.state.mesHolds.push(req.holdId);
      this.pipeline.enqueue([
        {
          system: 'mes',
          kind: 'hold',
          holdId: req.holdId,
          reason: req.reason,
          step: `hold/${req.holdId}`,
          summary: `Hold order at the plant (${req.reason})`,
        },
      ]);
    }
  }

  liftHold(holdId: string, by: string, reason: string): void {
    this.state.holds = this.state.holds.filter((h) => h.holdId !== holdId);
    this.note({ type: 'HoldLifted', summary: `hold ${holdId} lifted by ${by}: ${reason}`, source: 'person' });
    if (this.state.mesHolds.includes(holdId)) {
      this.state.mesHolds = this.state.mesHolds.filter((h) => h !== holdId);
      this.pipeline.enqueue([
        {
          system: 'mes',
          kind: 'resume',
          holdId,
          step: `resume/${holdId}`,
          summary: `Lift hold ${holdId} at the plant`,
        },
      ]);
    }
  }

  view(): OrderStatusView {
    const p = this.pipeline.state;
    return {
      workflowId: this.workflowId,
      orderRef: this.input.orderRef,
      site: this.input.site,
      status: this.state.status,
      onHold: this.state.holds.length > 0,
      holds: this.state.holds,
      needsAttention: this.parking.needsAttention,
      parked: this.parking.parked,
      resolvedParkings: this.parking.resolved,
      release: this.state.releaseSteps,
      order: this.state.order,
      execution: this.state.execution && {
        operations: this.state.execution.operations,
        consumed: this.state.execution.consumed,
        produced: this.state.execution.produced,
        acceptedEvents: this.state.execution.acceptedEvents,
        dedupEntries: this.state.execution.seenEventIds.length,
      },
      postings: {
        pending: this.pipeline.count('pending'),
        parked: this.pipeline.count('parked'),
        posted: p.postedCount,
        recent: p.recentPostings,
        confirmations: p.confirmations ?? [],
        goodsMovements: p.goodsMovements ?? [],
      },
      lots: this.state.lots,
      completion: this.state.completion,
      failure: this.state.failure,
      bufferedEvents: this.state.buffered.length,
      runs: this.state.runs,
    };
  }
}

function describeEvent(event: MesEvent): string {
  switch (event.type) {
    case 'OperationStarted':
      return `operation ${event.correlation.operation} started`;
    case 'OperationCompleted': {
      const p = event.payload;
      const losses = [p.scrap && `, scrap ${qty.format(p.scrap)}`, p.rework && `, rework ${qty.format(p.rework)}`];
      const reported = `yield ${qty.format(p.yield)}${losses.filter(Boolean).join('')}${p.final ? ' (final)' : ''}`;
      return `operation ${event.correlation.operation} reported ${reported}`;
    }
    case 'MaterialConsumed':
      return `consumed ${qty.format(event.payload.quantity)} of ${event.payload.material} lot ${event.correlation.lotId}`;
    case 'MaterialProduced':
      return `produced ${qty.format(event.payload.quantity)} of ${event.payload.material} into lot ${event.correlation.lotId}`;
  }
}
