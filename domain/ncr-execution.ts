import type { DispositionLine } from './ncr-dispositions';
import { lineLotKey } from './ncr-dispositions';
import { qty, type Quantity } from './quantity';

/**
 * Containment and execution plans of an NCR: what each lot's custody means for every decision. Pure;
 * the workflow runs the plans' steps with idempotency keys derived from the step ids.
 *
 * Custody:
 * - `lot_workflow`: the lot's own workflow still runs (stock in SAP quality-inspection stock, Odoo
 *   Quarantine): the NCR holds it by signal and the lot's release stays with QA in that workflow.
 * - `blocked`: the lot's workflow is closed (released long ago) or never existed (a purchased lot): the
 *   NCR blocked the stock itself — Odoo Quarantine; SAP 344 unrestricted→blocked for an affected lot
 *   (the NCR knows its quantity), restricted batch status for a descendant (quantity unknown).
 * - `wip`: units set aside in production, no ERP lot yet: segregated at the plant, nothing to block.
 */
export type Custody = 'lot_workflow' | 'blocked' | 'wip';

export interface ContainedLot {
  key: string;
  material: string;
  lotId: string;
  role: 'affected' | 'descendant';
  depth: number;
  /** The parent lot it was found through (descendants). */
  via?: string;
  workflowId: string;
  custody: Custody;
  /** The NCR's hold signal reached the running lot workflow. */
  holdPlaced?: boolean;
  /** The NCR moved it into Odoo's Quarantine (false: it was there already or had no stock). */
  odooMoved?: boolean;
  /** Quantity the NCR posted unrestricted→blocked in SAP (344). */
  sapBlocked?: Quantity;
  /** The SAP storage location it was blocked in (read from the stock on hand). */
  sapBlockedAt?: string;
  /** The NCR set the SAP batch to restricted (it was not before). */
  sapRestricted?: boolean;
  released?: { at: string; summary: string };
}

export type ContainmentKind =
  'lot_hold' | 'odoo_quarantine' | 'sap_block' | 'sap_restrict' | 'order_hold' | 'segregated';

/** One containment action, as recorded in the workflow and in the QMS NCR (containmentActions). */
export interface ContainmentAction {
  actionId: string;
  kind: ContainmentKind;
  lotKey?: string;
  lotId?: string;
  system: 'odoo' | 'sap' | 'mes' | 'qms' | 'plantflow';
  description: string;
  performedAt: string;
  /** Whether it changed anything (false: the lot was already in that state). */
  changed: boolean;
}

export type LineStep =
  | {
      id: string;
      kind: 'sap_inspection_lot';
      system: 'sap';
      to: 'scrap' | 'blocked';
      quantity: Quantity;
      summary: string;
    }
  | {
      id: string;
      kind: 'sap_movement';
      system: 'sap';
      movementType: '555' | '343';
      quantity: Quantity;
      summary: string;
    }
  | { id: string; kind: 'odoo_scrap_lot'; system: 'odoo'; quantity: Quantity; summary: string }
  | { id: string; kind: 'odoo_scrap_wip'; system: 'odoo'; quantity: Quantity; summary: string }
  | { id: string; kind: 'rework_order'; system: 'plantflow'; quantity: Quantity; summary: string }
  | { id: string; kind: 'confirmation'; system: 'person'; summary: string }
  | { id: string; kind: 'note'; system: 'odoo' | 'sap'; summary: string };

/**
 * The steps that carry out one approved line. use_as_is has none: it is carried out by the lot's
 * release (lotReleasePlan) once every other decision on the lot is done.
 */
export function lineExecutionPlan(line: DispositionLine, custody: Custody): LineStep[] {
  const { decision, quantity, material, lotId } = line.record;
  const what = `${qty.format(quantity)} of ${material} ${custody === 'wip' ? 'in production' : `lot ${lotId}`}`;
  const keepBlocked = (why: string): LineStep => ({
    id: 'sap-qi-to-blocked',
    kind: 'sap_inspection_lot',
    system: 'sap',
    to: 'blocked',
    quantity,
    summary: `Post ${what} from quality inspection to blocked stock in SAP (${why})`,
  });
  const odooWhole: LineStep = {
    id: 'odoo-note',
    kind: 'note',
    system: 'odoo',
    summary: `Odoo keeps lot ${lotId} whole in Quarantine: it has no per-quantity location split`,
  };
  switch (decision) {
    case 'use_as_is':
      return [];
    case 'scrap':
      if (custody === 'wip') {
        return [
          {
            id: 'odoo-scrap',
            kind: 'odoo_scrap_wip',
            system: 'odoo',
            quantity,
            summary: `Scrap ${what} in Odoo (from production)`,
          },
          {
            id: 'sap-note',
            kind: 'note',
            system: 'sap',
            summary: "SAP holds no stock of units in production: the order's confirmations carry them",
          },
        ];
      }
      return [
        custody === 'lot_workflow'
          ? {
              id: 'sap-scrap',
              kind: 'sap_inspection_lot',
              system: 'sap',
              to: 'scrap',
              quantity,
              summary: `Scrap ${what} from its inspection lot in SAP (553)`,
            }
          : {
              id: 'sap-scrap',
              kind: 'sap_movement',
              system: 'sap',
              movementType: '555',
              quantity,
              summary: `Scrap ${what} from blocked stock in SAP (555)`,
            },
        { id: 'odoo-scrap', kind: 'odoo_scrap_lot', system: 'odoo', quantity, summary: `Scrap ${what} in Odoo` },
      ];
    case 'rework':
      return [
        ...(custody === 'lot_workflow' ? [keepBlocked('to rework'), odooWhole] : []),
        {
          id: 'rework-order',
          kind: 'rework_order',
          system: 'plantflow',
          quantity,
          summary: `Create and release a rework order for ${what}`,
        },
      ];
    case 'return_to_vendor':
    case 'regrade':
      return [
        ...(custody === 'lot_workflow'
          ? [keepBlocked(decision === 'regrade' ? 'to regrade' : 'to return'), odooWhole]
          : []),
        {
          id: 'confirmation',
          kind: 'confirmation',
          system: 'person',
          summary:
            decision === 'regrade'
              ? `Confirm ${what} was regraded to ${line.record.regradeTo}`
              : `Confirm ${what} was returned to ${line.record.returnTo}`,
        },
      ];
  }
}

export type ReleaseStep =
  | { id: string; kind: 'lift_lot_hold'; summary: string }
  | { id: string; kind: 'sap_movement'; movementType: '343'; quantity: Quantity; summary: string }
  | { id: string; kind: 'sap_unrestrict'; summary: string }
  | { id: string; kind: 'odoo_release'; summary: string }
  | { id: string; kind: 'note'; summary: string };

/**
 * Giving an affected lot back once its decisions are carried out: a running lot workflow gets its hold
 * lifted (QA releases the use-as-is quantity there); a directly blocked lot gets its use-as-is
 * quantity back to unrestricted (343) and leaves Odoo's Quarantine if nothing else of it stays blocked.
 */
export function lotReleasePlan(lot: ContainedLot, lines: DispositionLine[]): ReleaseStep[] {
  const mine = lines.filter((l) => l.status !== 'withdrawn' && lineLotKey(l) === lot.key);
  if (lot.custody === 'wip') return [];
  if (lot.custody === 'lot_workflow')
    return [
      {
        id: 'lift-hold',
        kind: 'lift_lot_hold',
        summary: `Lift the NCR hold on lot ${lot.lotId}: its release goes back to QA in the lot workflow`,
      },
    ];
  const steps: ReleaseStep[] = [];
  const unit = lot.sapBlocked?.uom ?? mine[0]?.record.quantity.uom;
  const usable = unit
    ? qty.sum(
        mine.filter((l) => l.record.decision === 'use_as_is').map((l) => l.record.quantity),
        unit,
      )
    : undefined;
  if (lot.sapBlocked && usable && !qty.isZero(usable)) {
    steps.push({
      id: 'sap-unblock',
      kind: 'sap_movement',
      movementType: '343',
      quantity: qty.min(usable, lot.sapBlocked),
      summary: `Return ${qty.format(qty.min(usable, lot.sapBlocked))} of lot ${lot.lotId} from blocked to unrestricted stock in SAP (343, use as is)`,
    });
  }
  if (lot.sapRestricted)
    steps.push({
      id: 'sap-unrestrict',
      kind: 'sap_unrestrict',
      summary: `Lift the restricted status of batch ${lot.lotId} in SAP`,
    });
  const stays = mine.some((l) => l.record.decision !== 'use_as_is' && l.record.decision !== 'scrap');
  if (lot.odooMoved && !stays && usable && !qty.isZero(usable)) {
    steps.push({
      id: 'odoo-release',
      kind: 'odoo_release',
      summary: `Move lot ${lot.lotId} out of Quarantine in Odoo (use as is)`,
    });
  } else if (lot.odooMoved && stays) {
    steps.push({
      id: 'odoo-note',
      kind: 'note',
      summary: `Odoo keeps lot ${lot.lotId} in Quarantine: part of it is to be reworked, returned or regraded`,
    });
  }
  return steps;
}

/** Undoing the containment of a descendant at closure: only what the NCR itself changed. */
export function descendantReleasePlan(lot: ContainedLot): ReleaseStep[] {
  if (lot.custody === 'lot_workflow')
    return lot.holdPlaced
      ? [{ id: 'lift-hold', kind: 'lift_lot_hold', summary: `Lift the NCR hold on downstream lot ${lot.lotId}` }]
      : [];
  if (lot.custody === 'wip') return [];
  const steps: ReleaseStep[] = [];
  if (lot.sapRestricted)
    steps.push({
      id: 'sap-unrestrict',
      kind: 'sap_unrestrict',
      summary: `Lift the restricted status of downstream batch ${lot.lotId} in SAP`,
    });
  if (lot.odooMoved)
    steps.push({
      id: 'odoo-release',
      kind: 'odoo_release',
      summary: `Move downstream lot ${lot.lotId} out of Quarantine in Odoo`,
    });
  return steps;
}

/** An affected lot may be released once every unit of the NCR is decided and its other decisions are done. */
export function lotReadyForRelease(lot: ContainedLot, lines: DispositionLine[], allDispositioned: boolean): boolean {
  if (!allDispositioned || lot.released || lot.role !== 'affected') return false;
  return lines
    .filter((l) => l.status !== 'withdrawn' && lineLotKey(l) === lot.key && l.record.decision !== 'use_as_is')
    .every((l) => l.status === 'executed');
}
