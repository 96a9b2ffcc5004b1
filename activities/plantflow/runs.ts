import type { ExceptionReport } from '../../domain/exceptions';
import type { LotQuantity } from '../../domain/ids';
import type { ForwardTrace, ForwardTraceRequest } from '../../domain/lot-genealogy';
import type { ProductionOrderInput } from '../../domain/order';
import type { Quantity } from '../../domain/quantity';
import type { NcrStart } from '../../domain/starts';
import type { RetryTuning } from '../../domain/tuning';
import type { LotFacts, OrderFacts } from '../../domain/reconciliation';

export interface ReconciliationFactsInput {
  site: string;
  what: 'orders' | 'lots';
  /** Runs open now, and runs closed at or after this time. */
  since: string;
  /** Base64 page token of the previous page. */
  pageToken?: string;
}

export interface SettledDrift {
  /** Exception ids of drift resolved with `accept` or `ignore`. */
  accepted: string[];
  /** Exception ids whose repair run is still going. */
  repairing: string[];
}

export interface ReconciliationFactsPage {
  orders: OrderFacts[];
  lots: LotFacts[];
  nextPageToken?: string;
}

/**
 * plantflow's own runs, as the activities on its task queue reach them: through the Temporal client,
 * started, told and read like any service would (client/ implements this; the worker wires it in).
 */
export interface PlantflowRuns {
  /** Starts the produced lot's run or tells the running one (signal-with-start), then each parent lot's run. */
  registerProducedLot(input: RegisterLotInput): Promise<{ workflowId: string; parentsTold: number }>;
  /** Forward genealogy to any depth, with whether a lot run still guards each lot. */
  traceForward(request: ForwardTraceRequest): Promise<ForwardTrace>;
  /** NCR runs of a material started since a time, oldest first. */
  countNonconformances(input: CountNonconformancesInput): Promise<{ count: number; ncrIds: string[] }>;
  /** Starts `ncr:<id>`; an NCR that already exists (running or closed) is left as it is. */
  openNcr(input: OpenNcrInput): Promise<{ workflowId: string; alreadyExisted: boolean }>;
  /** Releases an order like any order is released, linked to the run that asks. */
  releaseOrder(input: ReleaseReworkOrderInput): Promise<ReleaseOrderOutcome>;
  /** One page of a site's orders or lots as plantflow recorded them, for reconciliation. */
  reconciliationFacts(input: ReconciliationFactsInput): Promise<ReconciliationFactsPage>;
  /** Drift an operator settled: accepted or ignored (not reported again), or being re-applied now. */
  settledDrift(site: string): Promise<SettledDrift>;
  /** Keeps a business exception in the site's record (workflows/exceptions.ts). */
  reportException(report: ExceptionReport): Promise<{ exceptionId: string }>;
}

export interface RegisterLotInput {
  material: string;
  lotId: string;
  site: string;
  quantity: Quantity;
  parents: LotQuantity[];
  producedAt: string;
  producedBy: { orderRef: string; orderWorkflowId: string };
  executors: string[];
  /** The order step that produced it; makes repeated registrations of one production count once. */
  sourceEventId?: string;
}

export interface CountNonconformancesInput {
  material: string;
  /** ISO timestamp: NCR runs started at or after it count. */
  since: string;
}

export interface OpenNcrInput {
  start: NcrStart;
  /** The opening run's retry tuning, passed on to the NCR. */
  tuning?: Partial<RetryTuning>;
}

export interface ReleaseReworkOrderInput {
  ncrId: string;
  ncrWorkflowId: string;
  /** The order whose units are reworked, when there is one. */
  reworkOf?: string;
  order: ProductionOrderInput;
  tuning?: Partial<RetryTuning>;
}

export type ReleaseOrderOutcome =
  | { outcome: 'released'; workflowId: string; runId: string }
  /** Released before (a retried activity), or a run of that order already ran to its end. */
  | { outcome: 'already_released'; workflowId: string }
  | { outcome: 'refused'; workflowId: string; reason: string };
