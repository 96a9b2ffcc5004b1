import type { ProductionOrder } from './order';
import type { Quantity } from './quantity';
import { recordHash } from './signature';
import type { NcrStart } from './starts';

const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '.');

/**
 * Units an operation reported for rework are a nonconformance (an MES deviation): an NCR per report,
 * its id derived from the order, the operation and the report's event id, so a retried posting opens
 * the same NCR. The units are no ERP lot yet: a `wip` lot named after the order and operation.
 */
export function reworkDeviationNcr(
  order: ProductionOrder,
  report: { eventId: string; operation: string; quantity: Quantity; raisedBy?: string; effectiveAt: string },
): NcrStart {
  const ref = safe(order.orderRef);
  const suffix = `-${report.operation}-${recordHash(report.eventId).slice(0, 8).toUpperCase()}`;
  return {
    ncrId: `DEV-${ref.slice(0, 60 - 4 - suffix.length)}${suffix}`,
    source: 'mes_deviation',
    severity: 'minor',
    site: order.site,
    material: order.material,
    lots: [
      {
        material: order.material,
        lotId: `WIP-${ref}-${report.operation}`.slice(0, 64),
        quantity: report.quantity,
        wip: true,
      },
    ],
    quantity: report.quantity,
    description: `operation ${report.operation} of order ${order.orderRef} reported ${report.quantity.value} ${report.quantity.uom} for rework`,
    raisedBy: report.raisedBy ?? 'mes',
    orderRef: order.orderRef,
    erp: { odooMo: order.erp.odooMo, sapOrder: order.erp.sapOrder },
    operation: report.operation,
    openedAt: report.effectiveAt,
  };
}
