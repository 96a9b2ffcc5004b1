import { setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import {
  applyMesEvent,
  initialExecution,
  productionLimit,
  totalProduced,
  type ExecutionState,
} from '../../domain/execution';
import type { MesEvent } from '../../domain/events';
import type { OrderStatus, ProductionOrder } from '../../domain/order';
import { qty } from '../../domain/quantity';
import type { CancelOrderRequest, CompleteOrderRequest, HoldRequest, MesEventResult } from '../messages';
import { OrderStatusAttr } from '../search-attributes';
import { resolveTuning, systemActivities, type SystemActivities } from '../shared/activities';
import { ParkingLot } from '../shared/parking';
import type { RetryTuning } from '../shared/tuning';
import { odooLotClosed } from './completion';
import { emptyPipeline, PostingPipeline } from './pipeline';
import { performPosting } from './post';
import type {
  HoldRecord,
  LotTrack,
  OrderCarry,
  OrderStatusView,
  OrderWorkflowInput,
  ReleaseStepRecord,
  TimelineEntry,
} from './state';

const TIMELINE_LIMIT = 2_000;
const TERMINAL: OrderStatus[] = ['release_failed', 'cancelled', 'closed', 'aborted'];
const EXECUTING: OrderStatus[] = ['released', 'in_progress', 'completing'];

/** The live state of one production order run, and the small operations handlers perform on it. */
export class OrderRun {
  readonly workflowId = workflowInfo().workflowId;
  readonly tuning: RetryTuning;
  readonly acts: SystemActivities;
  readonly parking: ParkingLot;
  readonly pipeline: PostingPipeline;
  order?: ProductionOrder;
  status: OrderStatus;
  releaseSteps: ReleaseStepRecord[];
  execution?: ExecutionState;
  holds: HoldRecord[];
  mesHolds: string[];
  lots: LotTrack[];
  executors: string[];
  timeline: TimelineEntry[];
  droppedTimelineEntries: number;
  completion?: OrderCarry['completion'];
  cancelRequest?: CancelOrderRequest;
  failure?: string;
  buffered: MesEvent[] = [];
  /** Cleared when the completion postings start: later events are refused. */
  acceptingEvents = true;
  runs: number;

  constructor(readonly input: OrderWorkflowInput) {
    const carry = input.carry;
    this.tuning = resolveTuning(input.tuning);
    this.acts = systemActivities(this.tuning, input.site);
    this.order = carry?.order ?? input.order;
    this.status = carry?.status ?? (this.order ? 'validating' : 'awaiting_order');
    this.releaseSteps = carry?.releaseSteps ?? [];
    this.execution = carry?.execution ?? (this.order ? initialExecution(this.order) : undefined);
    this.holds = carry?.holds ?? [];
    this.mesHolds = carry?.mesHolds ?? [];
    this.lots = carry?.lots ?? [];
    this.executors = carry?.executors ?? [];
    this.timeline = carry?.timeline ?? [];
    this.droppedTimelineEntries = carry?.droppedTimelineEntries ?? 0;
    this.completion = carry?.completion;
    this.failure = carry?.failure;
    this.runs = (carry?.runs ?? 0) + 1;
    this.buffered = (input.bufferedEvents as MesEvent[] | undefined) ?? [];
    this.parking = new ParkingLot(carry?.parking);
    this.pipeline = new PostingPipeline(
      carry
        ? { queue: carry.queue, postedCount: carry.postedCount, recentPostings: carry.recentPostings }
        : emptyPipeline(),
      this.parking,
      (request) =>
        performPosting(
          {
            workflowId: this.workflowId,
            order: this.order!,
            acts: this.acts,
            executors: () => this.executors,
            onOdooLotClosed: (closed) => odooLotClosed(this, closed),
          },
          request,
        ),
      (reason, step) => this.abort(`operator aborted at ${step}: ${reason}`),
    );
  }

  get terminal(): boolean {
    return TERMINAL.includes(this.status);
  }

  get executing(): boolean {
    return EXECUTING.includes(this.status);
  }

  setStatus(status: OrderStatus, detail?: string): void {
    this.status = status;
    upsertSearchAttributes([{ key: OrderStatusAttr, value: status }]);
    setCurrentDetails(`Order ${this.input.orderRef} at ${this.input.site}: ${status}${detail ? ` — ${detail}` : ''}`);
  }

  note(entry: Omit<TimelineEntry, 'recordedAt' | 'effectiveAt'> & { effectiveAt?: string; recordedAt?: string }): void {
    const now = new Date().toISOString();
    this.timeline.push({ effectiveAt: entry.effectiveAt ?? now, recordedAt: entry.recordedAt ?? now, ...entry });
    if (this.timeline.length > TIMELINE_LIMIT) {
      this.droppedTimelineEntries += this.timeline.length - TIMELINE_LIMIT;
      this.timeline = this.timeline.slice(-TIMELINE_LIMIT);
    }
  }

  abort(reason: string): void {
    this.failure = reason;
    this.pipeline.stop();
    this.setStatus('aborted', reason);
    this.note({ type: 'OrderAborted', summary: reason, source: 'plantflow' });
  }

  /** Applies a shop-floor event (already validated) and queues its postings. */
  acceptEvent(event: MesEvent): MesEventResult {
    if (!this.order || !this.execution || !this.executing) {
      if (!this.buffered.some((e) => e.eventId === event.eventId)) this.buffered.push(event);
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
    const { state, result } = applyMesEvent(this.order, this.execution, event);
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
    this.execution = state;
    const operator = 'operator' in event.payload ? event.payload.operator : undefined;
    if (operator && !this.executors.includes(operator)) this.executors.push(operator);
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
    if (this.status === 'released') this.setStatus('in_progress');
    this.requestAutoCompletion();
    return { outcome: 'accepted', eventId: event.eventId, postings: result.postings.length };
  }

  private trackLot(material: string, lotId: string, q: { value: string; uom: string }): void {
    const lot = this.lots.find((l) => l.lotId === lotId && l.material === material);
    if (lot) lot.quantity = qty.add(lot.quantity, q);
    else this.lots.push({ material, lotId, quantity: q, final: false });
  }

  /** Full quantity made and every operation finally reported: completing needs no one's decision. */
  private requestAutoCompletion(): void {
    if (this.completion || !this.order || !this.execution) return;
    const allFinal = Object.values(this.execution.operations).every((o) => o.final);
    if (allFinal && qty.gte(totalProduced(this.execution, this.order.quantity.uom), this.order.quantity)) {
      this.completion = {
        mode: 'complete',
        by: 'plantflow',
        reason: 'full quantity produced and every operation final',
        requestedAt: new Date().toISOString(),
      };
    }
  }

  /** Why a completion request is refused now, or undefined. Used by the Update validator. */
  completionProblem(req: CompleteOrderRequest): string | undefined {
    if (!this.order || !this.execution) return 'the order has not been released';
    if (!['released', 'in_progress'].includes(this.status)) return `the order is ${this.status}`;
    if (this.completion) return `completion (${this.completion.mode}) was already requested by ${this.completion.by}`;
    const made = totalProduced(this.execution, this.order.quantity.uom);
    const planned = this.order.quantity;
    if (req.mode === 'complete' && qty.lt(made, planned)) {
      return `only ${qty.format(made)} of ${qty.format(planned)} produced: choose backorder or short_close`;
    }
    if (req.mode === 'backorder' && (qty.isZero(made) || qty.gte(made, planned))) {
      return `a backorder needs a partial quantity; produced ${qty.format(made)} of ${qty.format(planned)}`;
    }
    if (req.mode === 'short_close' && !req.reason?.trim()) return 'a short close needs a reason';
    if (qty.gt(made, productionLimit(this.order))) return 'produced beyond tolerance';
    return undefined;
  }

  placeHold(req: HoldRequest): void {
    if (this.holds.some((h) => h.holdId === req.holdId)) return;
    this.holds.push({ ...req, placedAt: new Date().toISOString() });
    this.note({ type: 'HoldPlaced', summary: `hold ${req.holdId} by ${req.by}: ${req.reason}`, source: req.source });
    if (this.executing && !this.mesHolds.includes(req.holdId)) {
      this.mesHolds.push(req.holdId);
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
    this.holds = this.holds.filter((h) => h.holdId !== holdId);
    this.note({ type: 'HoldLifted', summary: `hold ${holdId} lifted by ${by}: ${reason}`, source: 'person' });
    if (this.mesHolds.includes(holdId)) {
      this.mesHolds = this.mesHolds.filter((h) => h !== holdId);
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

  carry(): OrderCarry {
    const p = this.pipeline.state;
    return {
      status: this.status,
      order: this.order!,
      releaseSteps: this.releaseSteps,
      execution: this.execution!,
      queue: p.queue,
      postedCount: p.postedCount,
      recentPostings: p.recentPostings,
      holds: this.holds,
      mesHolds: this.mesHolds,
      lots: this.lots,
      executors: this.executors,
      timeline: this.timeline,
      droppedTimelineEntries: this.droppedTimelineEntries,
      parking: this.parking.carry(),
      completion: this.completion,
      failure: this.failure,
      runs: this.runs,
    };
  }

  view(): OrderStatusView {
    const p = this.pipeline.state;
    return {
      workflowId: this.workflowId,
      orderRef: this.input.orderRef,
      site: this.input.site,
      status: this.status,
      onHold: this.holds.length > 0,
      holds: this.holds,
      needsAttention: this.parking.needsAttention,
      parked: this.parking.parked,
      resolvedParkings: this.parking.resolved,
      release: this.releaseSteps,
      order: this.order,
      execution: this.execution && {
        operations: this.execution.operations,
        consumed: this.execution.consumed,
        produced: this.execution.produced,
        acceptedEvents: this.execution.acceptedEvents,
        dedupEntries: this.execution.seenEventIds.length,
      },
      postings: {
        pending: this.pipeline.count('pending'),
        parked: this.pipeline.count('parked'),
        posted: p.postedCount,
        recent: p.recentPostings,
      },
      lots: this.lots,
      completion: this.completion,
      failure: this.failure,
      bufferedEvents: this.buffered.length,
      runs: this.runs,
    };
  }
}

function describeEvent(event: MesEvent): string {
  switch (event.type) {
    case 'OperationStarted':
      return `operation ${event.correlation.operation} started`;
    case 'OperationCompleted': {
      const p = event.payload;
      return `operation ${event.correlation.operation} reported yield ${qty.format(p.yield)}${p.scrap ? `, scrap ${qty.format(p.scrap)}` : ''}${p.rework ? `, rework ${qty.format(p.rework)}` : ''}${p.final ? ' (final)' : ''}`;
    }
    case 'MaterialConsumed':
      return `consumed ${qty.format(event.payload.quantity)} of ${event.payload.material} lot ${event.correlation.lotId}`;
    case 'MaterialProduced':
      return `produced ${qty.format(event.payload.quantity)} of ${event.payload.material} into lot ${event.correlation.lotId}`;
  }
}
