import type { MesEvent } from '../../domain/events';
import { initialExecution, type ExecutionState, type LotQuantity } from '../../domain/execution';
import type { HoldRequest } from '../../domain/notices';
import type { CompletionMode, OrderStatus, ProductionOrder } from '../../domain/order';
import type { PostingRequest, PostingSystem } from '../../domain/postings';
import type { Quantity } from '../../domain/quantity';
import type { RecordedConfirmation, RecordedGoodsMovement } from '../../domain/reconciliation';
import type { OrderStart } from '../../domain/starts';
import { emptyParking, type ParkedStep, type ParkingRecord, type ParkingState } from '../shared/parking';

/** One line of the order's canonical timeline (the `timeline` query), sorted by effectiveAt. */
export interface TimelineEntry {
  effectiveAt: string;
  recordedAt: string;
  type: string;
  summary: string;
  eventId?: string;
  outcome?: 'accepted' | 'duplicate' | 'rejected' | 'buffered';
  source?: string;
}

export type ReleaseStepName = 'odoo-confirm' | 'sap-release' | 'qms-plan' | 'mes-dispatch';

export interface ReleaseStepRecord {
  step: ReleaseStepName;
  status: 'pending' | 'done' | 'failed' | 'compensated';
  at?: string;
  detail?: string;
}

export interface HoldRecord extends HoldRequest {
  placedAt: string;
}

export interface LotTrack {
  material: string;
  lotId: string;
  quantity: Quantity;
  disposition?: string;
  final: boolean;
}

/** Holds are mirrored to the MES by the same ordered pipeline as the ERP postings. */
export type MesPostingRequest = {
  step: string;
  eventId?: undefined;
  summary: string;
  system: 'mes';
} & ({ kind: 'hold'; holdId: string; reason: string } | { kind: 'resume'; holdId: string });

export type AnyPostingRequest = PostingRequest | MesPostingRequest;
export type PipelineSystem = PostingSystem | 'mes';

export interface QueuedPosting {
  request: AnyPostingRequest;
  status: 'pending' | 'parked';
  attempts: number;
}

export interface PostedRecord {
  step: string;
  system: PipelineSystem;
  summary: string;
  outcome: 'posted' | 'skipped';
  at: string;
}

export interface CompletionRequest {
  mode: CompletionMode;
  by: string;
  reason?: string;
  requestedAt: string;
  /** The open MO of the Odoo chain that completion marks done (resolved once, kept for retries). */
  odooMo?: string;
}

/** The postings pipeline's part of the state: queued postings, counts, the last few posted. */
export interface PipelineState {
  queue: QueuedPosting[];
  postedCount: Record<PipelineSystem, number>;
  recentPostings: PostedRecord[];
  /** Every SAP confirmation posted (absent in runs started before reconciliation existed). */
  confirmations?: Omit<RecordedConfirmation, 'key'>[];
  /** SAP goods receipts and issues posted, for reconciliation against SAP's material documents. */
  goodsMovements?: Omit<RecordedGoodsMovement, 'key'>[];
}

/**
 * Everything an order run knows, in one JSON object: handlers and steps change it, the status query reads
 * it, and continue-as-new hands it whole to the next run.
 */
export interface OrderState extends PipelineState {
  status: OrderStatus;
  order?: ProductionOrder;
  releaseSteps: ReleaseStepRecord[];
  execution?: ExecutionState;
  holds: HoldRecord[];
  /** MES hold ids currently placed at the plant. */
  mesHolds: string[];
  lots: LotTrack[];
  executors: string[];
  timeline: TimelineEntry[];
  droppedTimelineEntries: number;
  parking: ParkingState;
  completion?: CompletionRequest;
  cancelRequest?: { by: string; reason: string };
  failure?: string;
  /** Events that arrived before the order was released; applied at release, in arrival order. */
  buffered: MesEvent[];
  /**
   * Digest of each event taken in (accepted or buffered), by eventId: a resend with another payload is a
   * conflict. Absent in state carried from runs before digests were kept.
   */
  eventDigests?: Record<string, string>;
  /** Set when the completion postings start: later events are refused. */
  eventsRefused: boolean;
  /** This run's number in the chain of continued runs (1 for the first). */
  runs: number;
}

export function initialOrderState(start: OrderStart): OrderState {
  return {
    status: start.order ? 'validating' : 'awaiting_order',
    order: start.order,
    releaseSteps: [],
    execution: start.order ? initialExecution(start.order) : undefined,
    queue: [],
    postedCount: { odoo: 0, sap: 0, mes: 0, plantflow: 0 },
    recentPostings: [],
    holds: [],
    mesHolds: [],
    lots: [],
    executors: [],
    timeline: [],
    droppedTimelineEntries: 0,
    parking: emptyParking(),
    buffered: [],
    eventDigests: {},
    eventsRefused: false,
    runs: 1,
  };
}

export interface OrderOutcome {
  workflowId: string;
  orderRef: string;
  status: OrderStatus;
  reason?: string;
}

export interface OrderStatusView {
  workflowId: string;
  orderRef: string;
  site: string;
  status: OrderStatus;
  onHold: boolean;
  holds: HoldRecord[];
  needsAttention: boolean;
  parked: ParkedStep[];
  resolvedParkings: ParkingRecord[];
  release: ReleaseStepRecord[];
  order?: ProductionOrder;
  execution?: {
    operations: ExecutionState['operations'];
    consumed: LotQuantity[];
    produced: LotQuantity[];
    acceptedEvents: number;
    dedupEntries: number;
  };
  postings: {
    pending: number;
    parked: number;
    posted: Record<PipelineSystem, number>;
    recent: PostedRecord[];
    confirmations: Omit<RecordedConfirmation, 'key'>[];
    goodsMovements: Omit<RecordedGoodsMovement, 'key'>[];
  };
  lots: LotTrack[];
  completion?: CompletionRequest;
  failure?: string;
  bufferedEvents: number;
  runs: number;
}
