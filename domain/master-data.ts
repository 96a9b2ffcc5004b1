import { qty, type Quantity } from './quantity';
import type { ProductionOrder } from './order';

/** What the release step needs to know of the Odoo MO, whatever the Odoo version. */
export interface OdooOrderView {
  name: string;
  state: string;
  product: string;
  quantity: Quantity;
  components: string[];
}

/** What the release step needs to know of the SAP production order. */
export interface SapOrderView {
  order: string;
  material: string;
  plant: string;
  quantity: Quantity;
  statuses: string[];
  operations: Array<{ operation: string; workCenter: string }>;
  components: string[];
}

const RELEASABLE_ODOO_STATES = ['draft', 'confirmed'];
const RELEASABLE_SAP_STATUSES = ['CRTD', 'REL'];

/**
 * Compares the canonical order with what each ERP holds. Every difference is a sentence an operator
 * can act on; an empty list means the order may be released.
 */
export function masterDataProblems(order: ProductionOrder, odoo: OdooOrderView, sap: SapOrderView): string[] {
  const problems: string[] = [];
  const owner = order.owner === 'sap' ? 'SAP' : 'Odoo';
  if (odoo.product !== order.material)
    problems.push(`Odoo MO ${odoo.name} makes ${odoo.product}, the order says ${order.material}`);
  if (sap.material !== order.material)
    problems.push(`SAP order ${sap.order} makes ${sap.material}, the order says ${order.material}`);
  if (sap.plant !== order.site)
    problems.push(`SAP order ${sap.order} is planned in plant ${sap.plant}, the order runs at ${order.site}`);
  for (const [system, q] of [
    ['Odoo', odoo.quantity],
    ['SAP', sap.quantity],
  ] as const) {
    if (q.uom !== order.quantity.uom)
      problems.push(`${system} plans in ${q.uom}, the order in ${order.quantity.uom} (no unit mapping applies)`);
    else if (!qty.eq(q, order.quantity)) {
      problems.push(
        `${system} plans ${qty.format(q)}, the order ${qty.format(order.quantity)} (${owner} owns the order)`,
      );
    }
  }
  if (!RELEASABLE_ODOO_STATES.includes(odoo.state))
    problems.push(`Odoo MO ${odoo.name} is ${odoo.state}, not releasable`);
  if (
    !sap.statuses.some((s) => RELEASABLE_SAP_STATUSES.includes(s)) ||
    sap.statuses.includes('TECO') ||
    sap.statuses.includes('DLFL')
  ) {
    problems.push(`SAP order ${sap.order} has status ${sap.statuses.join(' ')}, not releasable`);
  }
  for (const op of order.operations) {
    const sapOp = sap.operations.find((o) => o.operation === op.operation);
    if (!sapOp) problems.push(`SAP order ${sap.order} has no operation ${op.operation}`);
    else if (sapOp.workCenter !== op.workCenter) {
      problems.push(`operation ${op.operation} runs on ${sapOp.workCenter} in SAP, on ${op.workCenter} in the order`);
    }
  }
  for (const c of order.components) {
    if (!odoo.components.includes(c.material))
      problems.push(`component ${c.material} is missing from Odoo MO ${odoo.name}`);
    if (!sap.components.includes(c.material))
      problems.push(`component ${c.material} is missing from SAP order ${sap.order}`);
  }
  return problems;
}
