import { LOT_STATUS_MAPPING, type LotStatus } from './lot';
import { ORDER_STATUS_MAPPING, type OrderStatus } from './order';
import type { PostingRequest } from './postings';
import type { ExceptionAction, ExceptionReport } from './exceptions';
import { odooLotDrift, type OdooLotPlace, type OdooLotReading } from './reconciliation-odoo-lots';
import { odooProducedDrift, sapYieldDrifts, type SapYieldReading } from './reconciliation-produced';
import type { Quantity } from './quantity';

import {
  materialDocumentDrift,
  type GoodsMovementRepair,
  type MaterialDocumentReading,
  type RecordedGoodsMovement,
} from './reconciliation-material-documents';

export type { OdooLotReading } from './reconciliation-odoo-lots';
export type { SapYieldReading } from './reconciliation-produced';
export type { MaterialDocumentReading, RecordedGoodsMovement } from './reconciliation-material-documents';

/**
 * Reconciliation compares what plantflow recorded with what the systems hold, and names each difference a
 * drift: a business exception with a stable key, so the same difference found by the next run is the same
 * exception seen again. Only settled facts are compared: a posting still queued or retrying, an order being
 * released or completed and a lot whose disposition is being executed are in flight, not drift.
 */

/** What an SAP confirmation posts: the same fields as the order's confirmation posting. */
export type ConfirmedQuantities = Pick<
  Extract<PostingRequest, { kind: 'confirmation' }>,
  'operation' | 'yield' | 'scrap' | 'rework' | 'final' | 'postingDate'
>;

/** An SAP confirmation the order recorded as posted, with what it posted (kept so it can be posted again). */
export type RecordedConfirmation = ConfirmedQuantities & {
  step: string;
  /** The posting's idempotency key (workflow id + step); the SAP GUID is derived from it. */
  key: string;
};

export interface OrderFacts {
  workflowId: string;
  orderRef: string;
  status: OrderStatus;
  sapOrder?: string;
  odooMo?: string;
  confirmations: RecordedConfirmation[];
  /** SAP goods receipts and issues the order recorded as posted (absent in runs that predate the record). */
  goodsMovements?: RecordedGoodsMovement[];
  /** Total of the lots the order produced (absent in facts read before quantities were compared). */
  produced?: Quantity;
  /** A posting is queued or parked: the systems may not hold it yet, so quantities are not compared. */
  postingsInFlight?: boolean;
}

export interface LotFacts {
  workflowId: string;
  material: string;
  lotId: string;
  status: LotStatus;
  /** The SAP batch exists (registration done) and no disposition step waits to be executed. */
  settled: boolean;
  /** The lot's stock was put in Odoo's Quarantine (not pending, not skipped by an operator). */
  odooQuarantined: boolean;
}

/** What SAP holds for a recorded confirmation, following the chain of re-applied postings. */
export interface ConfirmationReading {
  key: string;
  state: 'posted' | 'reversed' | 'missing';
  /** How many of the chain's confirmations were cancelled in SAP. */
  reversals: number;
  /** The idempotency key a re-application posts with (a cancelled GUID cannot be posted again). */
  reapplyKey: string;
}

export interface BatchReading {
  material: string;
  batch: string;
  found: boolean;
  restricted: boolean;
  lastChangedAt?: string;
}

export interface ProductionReading {
  name: string;
  state: string;
  /** The chain's done quantity, when every MO of the chain is done or cancelled (absent in older reads). */
  produced?: Quantity;
}

export interface SiteReadings {
  confirmations: ConfirmationReading[];
  batches: BatchReading[];
  productions: ProductionReading[];
  odooLots: OdooLotReading[];
  materialDocuments?: MaterialDocumentReading[];
  /** SAP's active confirmed yield per order and operation (absent in runs that predate the comparison). */
  sapYields?: SapYieldReading[];
}

/** How a drift is repaired when an operator decides `reapply` (or automatically, when configured). */
export type DriftRepair =
  | (ConfirmedQuantities & { kind: 'postConfirmation'; order: string; idempotencyKey: string })
  | { kind: 'restrictBatch'; material: string; batch: string; restricted: boolean }
  | { kind: 'moveOdooLot'; material: string; lot: string; to: OdooLotPlace }
  | GoodsMovementRepair;

/** plantflow's value, as a Drift exception carries it in `expected`; `repair` is absent when none exists. */
export interface DriftExpected {
  value: unknown;
  repair?: DriftRepair;
}

export interface Drift {
  report: ExceptionReport;
  /** plantflow caused it provably (recorded done, the system lacks it): re-applied automatically if configured. */
  provablyOurs: boolean;
}

/** Order statuses whose ERP status is settled (the others are being released, completed or cancelled). */
const SETTLED_ORDER: readonly OrderStatus[] = ['released', 'in_progress', 'completed', 'closed', 'cancelled'];
/** Lot statuses whose SAP batch flag is settled (releasing/rejecting are executing; aborted left it open). */
const SETTLED_LOT: readonly LotStatus[] = ['restricted', 'on_hold', 'released', 'rejected'];

const REPAIRABLE: ExceptionAction[] = ['reapply', 'accept', 'ignore'];
const UNREPAIRABLE: ExceptionAction[] = ['accept', 'ignore'];

/** The Odoo states an order's MO may be in; an MO chain closes its first MO while the order runs on. */
export function odooStatesFor(status: OrderStatus): string[] {
  const states = ORDER_STATUS_MAPPING[status].odoo;
  return status === 'in_progress' ? [...states, 'done'] : states;
}

export function findDrifts(
  site: string,
  orders: OrderFacts[],
  lots: LotFacts[],
  read: SiteReadings,
  at: string,
): Drift[] {
  const drifts: Drift[] = [];
  const base = { kind: 'Drift' as const, site, at };
  const confirmations = new Map(read.confirmations.map((c) => [c.key, c]));
  const productions = new Map(read.productions.map((p) => [p.name, p]));
  const documents = new Map((read.materialDocuments ?? []).map((d) => [d.key, d]));
  for (const order of orders) {
    if (!SETTLED_ORDER.includes(order.status)) continue;
    const mo = order.odooMo ? productions.get(order.odooMo) : undefined;
    if (order.odooMo && mo && !odooStatesFor(order.status).includes(mo.state)) {
      drifts.push({
        provablyOurs: false,
        report: {
          ...base,
          key: `odoo-mo-state:${order.workflowId}:${order.odooMo}:${mo.state}`,
          subject: { orderRef: order.orderRef, system: 'odoo' },
          summary: `Odoo MO ${order.odooMo} of order ${order.orderRef} is '${mo.state}', the order is ${order.status}`,
          reason: {
            code: 'OdooOrderStatus',
            message: `plantflow has the order ${order.status}; Odoo expects ${odooStatesFor(order.status).join(' or ')}`,
          },
          expected: {
            value: { status: order.status, odooStates: odooStatesFor(order.status) },
          } satisfies DriftExpected,
          actual: { moName: order.odooMo, state: mo.state },
          // Odoo cannot reopen a cancelled MO: plantflow has no value to put back, only to accept or ignore.
          actions: UNREPAIRABLE,
        },
      });
    }
    if (read.sapYields) {
      const odoo = odooProducedDrift(base, order, mo);
      if (odoo) drifts.push({ provablyOurs: false, report: odoo });
      const confirmed = order.confirmations.map((c) => ({
        operation: c.operation,
        yield: c.yield,
        activeInSap: confirmations.get(c.key)?.state === 'posted',
      }));
      for (const report of sapYieldDrifts(base, order, confirmed, read.sapYields))
        drifts.push({ provablyOurs: false, report });
    }
    if (!order.sapOrder) continue;
    for (const movement of order.goodsMovements ?? []) {
      const sapOrder = { orderRef: order.orderRef, sapOrder: order.sapOrder };
      const drift = materialDocumentDrift(base, sapOrder, movement, documents.get(movement.key), REPAIRABLE);
      if (!drift) continue;
      const expected = drift.report.expected as { value: unknown };
      drifts.push({
        provablyOurs: drift.provablyOurs,
        report: { ...drift.report, expected: { ...expected, repair: drift.repair } satisfies DriftExpected },
      });
    }
    for (const c of order.confirmations) {
      const found = confirmations.get(c.key);
      if (!found || found.state === 'posted') continue;
      const reversed = found.state === 'reversed';
      const repair: DriftRepair = {
        kind: 'postConfirmation',
        order: order.sapOrder,
        operation: c.operation,
        yield: c.yield,
        scrap: c.scrap,
        rework: c.rework,
        final: c.final,
        postingDate: c.postingDate,
        idempotencyKey: found.reapplyKey,
      };
      drifts.push({
        provablyOurs: !reversed,
        report: {
          ...base,
          key: `sap-confirmation:${c.key}:${reversed ? `reversed-${found.reversals}` : 'missing'}`,
          subject: { orderRef: order.orderRef, system: 'sap' },
          summary: reversed
            ? `SAP confirmation of order ${order.orderRef} operation ${c.operation} was cancelled in SAP`
            : `SAP lacks the confirmation of order ${order.orderRef} operation ${c.operation} plantflow posted`,
          reason: {
            code: reversed ? 'ConfirmationCancelled' : 'ConfirmationMissing',
            message: `plantflow posted step ${c.step} to SAP order ${order.sapOrder}; SAP holds no active confirmation for it`,
          },
          expected: { value: confirmationValue(c), repair } satisfies DriftExpected,
          actual: { state: found.state, reversals: found.reversals },
          actions: REPAIRABLE,
        },
      });
    }
  }
  const batches = new Map(read.batches.map((b) => [`${b.material}:${b.batch}`, b]));
  const odooLots = new Map(read.odooLots.map((l) => [`${l.material}:${l.lot}`, l]));
  for (const lot of lots) {
    if (!lot.settled || !SETTLED_LOT.includes(lot.status)) continue;
    const inOdoo = lot.odooQuarantined ? odooLots.get(`${lot.material}:${lot.lotId}`) : undefined;
    const odoo = odooLotDrift(base, lot, inOdoo, { repairable: REPAIRABLE, unrepairable: UNREPAIRABLE });
    if (odoo) {
      const repair: DriftRepair | undefined = odoo.repair
        ? { kind: 'moveOdooLot', material: lot.material, lot: lot.lotId, to: odoo.repair.to }
        : undefined;
      const expected = odoo.report.expected as { value: unknown };
      drifts.push({
        provablyOurs: false,
        report: { ...odoo.report, expected: { ...expected, ...(repair ? { repair } : {}) } satisfies DriftExpected },
      });
    }
    const batch = batches.get(`${lot.material}:${lot.lotId}`);
    const restricted = LOT_STATUS_MAPPING[lot.status].sapBatchRestricted;
    if (!batch || (batch.found && batch.restricted === restricted)) continue;
    const where = `${lot.material} batch ${lot.lotId}`;
    drifts.push({
      provablyOurs: false,
      report: {
        ...base,
        // The batch's change time tells a second change by hand from the same one seen again.
        key: `sap-batch-restriction:${lot.material}:${lot.lotId}:${batch.lastChangedAt ?? 'missing'}`,
        subject: { material: lot.material, lotId: lot.lotId, system: 'sap' },
        summary: batch.found
          ? `SAP ${where} is ${batch.restricted ? 'restricted' : 'unrestricted'}, the lot is ${lot.status}`
          : `SAP has no ${where}; the lot is ${lot.status}`,
        reason: {
          code: batch.found ? 'BatchRestriction' : 'BatchMissing',
          message: `plantflow has lot ${lot.lotId} ${lot.status}: SAP batch ${restricted ? 'restricted' : 'unrestricted'}`,
        },
        expected: {
          value: { status: lot.status, restricted },
          ...(batch.found
            ? { repair: { kind: 'restrictBatch', material: lot.material, batch: lot.lotId, restricted } }
            : {}),
        } satisfies DriftExpected,
        actual: { found: batch.found, restricted: batch.restricted, lastChangedAt: batch.lastChangedAt },
        actions: batch.found ? REPAIRABLE : UNREPAIRABLE,
      },
    });
  }
  return drifts;
}

function confirmationValue(c: RecordedConfirmation) {
  return { operation: c.operation, yield: c.yield, scrap: c.scrap, rework: c.rework, final: c.final };
}

/** The repair a Drift exception carries, if plantflow has a value to put back. */
export function repairOf(expected: unknown): DriftRepair | undefined {
  if (typeof expected !== 'object' || expected === null || !('repair' in expected)) return undefined;
  return (expected as DriftExpected).repair;
}

/**
 * Groups recorded confirmations into reads of at most `maxOrders` orders and `maxItems` confirmations (one
 * `$filter` GET each); an order's confirmations stay in one read unless it alone has more than `maxItems`.
 */
export function confirmationReads<T extends { order: string }>(items: T[], maxOrders: number, maxItems: number): T[][] {
  const reads: T[][] = [];
  let current: T[] = [];
  let orders = new Set<string>();
  for (const item of items) {
    const newOrder = !orders.has(item.order);
    if ((newOrder && orders.size === maxOrders) || current.length === maxItems) {
      reads.push(current);
      current = [];
      orders = new Set();
    }
    orders.add(item.order);
    current.push(item);
  }
  if (current.length > 0) reads.push(current);
  return reads;
}

/** Splits a list into chunks of at most `size`, for batched reads. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
