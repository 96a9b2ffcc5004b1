import type { ExecutionState, LotQuantity } from '../../domain/execution';
import type { CompletionMode, OrderStatus, ProductionOrder } from '../../domain/order';
import type { PostingRequest, PostingSystem } from '../../domain/postings';
import type { Quantity } from '../../domain/quantity';
import type { HoldRequest } from '../messages';
import type { ParkedStep, ParkingRecord } from '../shared/parking';
import type { RetryTuning } from '../shared/tuning';

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

/** Everything a run hands to its successor at continue-as-new: JSON only. */
export interface OrderCarry {
  status: OrderStatus;
  order: ProductionOrder;
  releaseSteps: ReleaseStepRecord[];
  execution: ExecutionState;
  queue: QueuedPosting[];
  postedCount: Record<PipelineSystem, number>;
  recentPostings: PostedRecord[];
  holds: HoldRecord[];
  /** MES hold ids currently placed at the plant. */
  mesHolds: string[];
  lots: LotTrack[];
  executors: string[];
  timeline: TimelineEntry[];
  droppedTimelineEntries: number;
  parking: { parked: ParkedStep[]; resolved: ParkingRecord[] };
  /** `odooMo`: the open MO of the Odoo chain that completion marks done (resolved once, kept for retries). */
  completion?: { mode: CompletionMode; by: string; reason?: string; requestedAt: string; odooMo?: string };
  failure?: string;
  runs: number;
}

export interface OrderWorkflowInput {
  site: string;
  orderRef: string;
  /** Present when started by a release; absent when an early MES event started the run. */
  order?: ProductionOrder;
  tuning?: Partial<RetryTuning>;
  /** Continue-as-new after this many history events even if the server does not suggest it. */
  maxHistoryEvents?: number;
  carry?: OrderCarry;
  /** Events that arrived before the order (carried only from awaiting_order). */
  bufferedEvents?: unknown[];
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
  postings: { pending: number; parked: number; posted: Record<PipelineSystem, number>; recent: PostedRecord[] };
  lots: LotTrack[];
  completion?: OrderCarry['completion'];
  failure?: string;
  bufferedEvents: number;
  runs: number;
}
