import { qty, type Quantity } from './quantity';
import type { ExceptionAction, ExceptionReport } from './exceptions';

/**
 * Produced quantities of an order in the three places that count them: the order run (lots produced,
 * yield per operation), Odoo (the MO chain's done quantity) and SAP (the active confirmations' yield per
 * operation). Which system is right needs a person, so a difference is drift to accept or ignore; the one
 * difference plantflow can prove its own (a confirmation it posted that SAP lacks) is already reported by
 * key, with reapply, and is subtracted here so it is not reported twice.
 */

/** SAP's active (neither cancelled nor cancelling) confirmations of one operation of one order, summed. */
export interface SapYieldReading {
  order: string;
  operation: string;
  yield: Quantity;
  confirmations: number;
}

/** Quantities the order run holds, as the reconciliation facts carry them. */
export interface ProducedFacts {
  workflowId: string;
  orderRef: string;
  sapOrder?: string;
  odooMo?: string;
  /** Total of the lots the order produced (absent in runs read before quantities were compared). */
  produced?: Quantity;
  /** A posting is queued or parked: the systems may not hold it yet, so quantities are not compared. */
  postingsInFlight?: boolean;
}

/** What plantflow confirmed per operation and SAP holds for those confirmations (by key). */
export interface ConfirmedByPlantflow {
  operation: string;
  yield: Quantity;
  /** SAP holds this confirmation active (state 'posted'); otherwise its own key drift covers it. */
  activeInSap: boolean;
}

/** The Odoo MO chain's done quantity; only given when every MO of the chain is done or cancelled. */
export interface OdooProducedReading {
  name: string;
  produced?: Quantity;
}

const ACTIONS: ExceptionAction[] = ['accept', 'ignore'];

type Base = Pick<ExceptionReport, 'kind' | 'site' | 'at'>;

/** SAP's confirmed yield per operation against the yield of plantflow's confirmations SAP holds active. */
export function sapYieldDrifts(
  base: Base,
  order: ProducedFacts,
  confirmed: ConfirmedByPlantflow[],
  sap: SapYieldReading[],
): ExceptionReport[] {
  if (!order.sapOrder || order.postingsInFlight || order.produced === undefined) return [];
  const unit = order.produced.uom;
  const ours = new Map<string, Quantity>();
  for (const c of confirmed) {
    if (!c.activeInSap || c.yield.uom !== unit) continue;
    ours.set(c.operation, qty.add(ours.get(c.operation) ?? qty.zero(unit), c.yield));
  }
  const theirs = new Map(sap.filter((s) => s.order === order.sapOrder).map((s) => [s.operation, s]));
  const operations = [...new Set([...ours.keys(), ...theirs.keys()])].sort();
  const drifts: ExceptionReport[] = [];
  for (const operation of operations) {
    const want = ours.get(operation) ?? qty.zero(unit);
    const held = theirs.get(operation);
    const got = held?.yield ?? qty.zero(unit);
    // A unit plantflow does not post in is a person's entry: shown, never summed into ours.
    if (got.uom === unit && qty.cmp(want, got) === 0) continue;
    drifts.push({
      ...base,
      // The quantity SAP holds is in the key: a second change by hand is a new drift, the same one is not.
      key: `produced-quantity:sap:${order.workflowId}:${operation}:${got.value}${got.uom}`,
      subject: { orderRef: order.orderRef, system: 'sap' },
      summary:
        `SAP order ${order.sapOrder} operation ${operation} has ${qty.format(got)} confirmed yield, ` +
        `plantflow confirmed ${qty.format(want)} (order ${order.orderRef})`,
      reason: {
        code: 'ConfirmedYieldDiffers',
        message: `SAP's active confirmations of operation ${operation} do not add up to what plantflow confirmed`,
      },
      expected: { value: { operation, yield: want, produced: order.produced } },
      actual: { operation, yield: got, confirmations: held?.confirmations ?? 0 },
      actions: ACTIONS,
    });
  }
  return drifts;
}

/** The Odoo MO chain's done quantity against the lots the order produced. */
export function odooProducedDrift(
  base: Base,
  order: ProducedFacts,
  odoo: OdooProducedReading | undefined,
): ExceptionReport | undefined {
  if (!order.odooMo || order.postingsInFlight || order.produced === undefined) return undefined;
  const got = odoo?.produced;
  if (!got) return undefined;
  if (got.uom === order.produced.uom && qty.cmp(got, order.produced) === 0) return undefined;
  return {
    ...base,
    key: `produced-quantity:odoo:${order.workflowId}:${order.odooMo}:${got.value}${got.uom}`,
    subject: { orderRef: order.orderRef, system: 'odoo' },
    summary:
      `Odoo MO ${order.odooMo} produced ${qty.format(got)}, order ${order.orderRef} ` +
      `produced ${qty.format(order.produced)}`,
    reason: {
      code: 'ProducedQuantityDiffers',
      message: `the done quantity of Odoo's MO ${order.odooMo} and its backorders differs from the order's lots`,
    },
    expected: { value: { produced: order.produced } },
    actual: { moName: order.odooMo, produced: got },
    actions: ACTIONS,
  };
}
