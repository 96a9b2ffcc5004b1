import type { LotQuantity } from './ids';
import type { NcrLot, NcrSeverity, NcrSource } from './ncr';
import type { ProductionOrder } from './order';
import type { Quantity } from './quantity';
import type { RunOptions } from './tuning';

/**
 * What starts each of plantflow's runs: the business data a caller (the API, the CLI, another run's
 * activity) hands over. The workflow input of each process adds what the run carries to its successor.
 */

/** `order:<site>:<orderRef>`: started by its release, or by an early MES event (then without the order). */
export interface OrderStart extends RunOptions {
  site: string;
  orderRef: string;
  order?: ProductionOrder;
}

/** How a received lot (not produced by a plantflow order) starts. */
export interface ReceivedLotStart {
  quantity: Quantity;
  receivedBy: string;
  supplier?: string;
  reference?: string;
  parents: LotQuantity[];
  receivedAt: string;
}

/** `lot:<material>:<lotId>`: started by its producing order (signal-with-start) or by a receipt. */
export interface LotStart extends RunOptions {
  material: string;
  lotId: string;
  site: string;
  /** Present when the lot arrived from outside (POST /lots) rather than from a producing order. */
  received?: ReceivedLotStart;
  /** Time to a final disposition before the lot escalates, e.g. "5 days" (default DEFAULT_RELEASE_WITHIN). */
  releaseWithin?: string;
}

/** `ncr:<ncrId>`: opened by a failed inspection, an MES deviation, a supplier issue or a person. */
export interface NcrStart {
  ncrId: string;
  source: NcrSource;
  severity: NcrSeverity;
  site: string;
  material: string;
  /**
   * The lots affected at opening (containment extends to their forward genealogy). `wip`: units set
   * aside in production that are no ERP lot yet (an MES deviation), segregated at the plant.
   * `storageLocation`: where SAP keeps its stock, when not the plant's finished-goods location.
   */
  lots: NcrLot[];
  quantity: Quantity;
  description: string;
  raisedBy: string;
  orderRef?: string;
  /** The producing order's ERP documents, when the NCR comes from an order (rework, WIP scrap). */
  erp?: { odooMo: string; sapOrder: string };
  /** The operation that reported the deviation. */
  operation?: string;
  /** The failed inspection that opened it, when it came from one. */
  inspection?: { characteristic: string; value?: string; unit?: string; result: 'fail' };
  openedAt?: string;
}

/** `edge:<site>:<edgeId>`: the central site's record of one plant edge, started by the edge's first report. */
export interface EdgeStart {
  site: string;
  edgeId: string;
}
