import { lotKey, type LotQuantity } from './ids';
import { qty, type Quantity } from './quantity';

/**
 * Lot genealogy (ISA-95 MaterialLot assembly / B2MML MaterialLot links): where a lot came from and what
 * was made from it. The producing order reports its consumption cumulatively with every production, so
 * parents are merged per order by the largest quantity seen, and produced quantities count once per
 * source event.
 */

export type { LotQuantity };

export interface ProductionEntry {
  sourceEventId: string;
  quantity: Quantity;
  orderRef: string;
  orderWorkflowId: string;
  producedAt: string;
}

export interface ChildLink {
  material: string;
  lotId: string;
  /** How much of this lot the child's order had consumed when it told us. */
  quantity?: Quantity;
  orderRef?: string;
  learnedAt: string;
}

export interface GenealogyState {
  production: ProductionEntry[];
  /** Consumption per producing order workflow id, as last reported (cumulative). */
  parentsByOrder: Record<string, LotQuantity[]>;
  /** Parents declared when a lot was received from outside. */
  declaredParents: LotQuantity[];
  children: ChildLink[];
  executors: string[];
}

export function emptyGenealogy(): GenealogyState {
  return { production: [], parentsByOrder: {}, declaredParents: [], children: [], executors: [] };
}

export interface ProducedNotice {
  sourceEventId: string;
  quantity: Quantity;
  parents: LotQuantity[];
  producedBy: { orderRef: string; orderWorkflowId: string };
  executors: string[];
  producedAt: string;
}

function mergeMax(current: LotQuantity[], reported: LotQuantity[]): LotQuantity[] {
  const merged = current.map((p) => ({ ...p }));
  for (const r of reported) {
    const same = merged.find((p) => p.material === r.material && p.lotId === r.lotId);
    if (!same) merged.push({ ...r });
    else if (same.quantity.uom === r.quantity.uom && qty.gt(r.quantity, same.quantity)) same.quantity = r.quantity;
  }
  return merged;
}

/** Applies one production notice; a notice for a source event already counted changes nothing but parents. */
export function applyProducedNotice(
  state: GenealogyState,
  notice: ProducedNotice,
): { state: GenealogyState; counted: boolean } {
  const orderId = notice.producedBy.orderWorkflowId;
  const counted = !state.production.some((p) => p.sourceEventId === notice.sourceEventId);
  const production = counted
    ? [
        ...state.production,
        {
          sourceEventId: notice.sourceEventId,
          quantity: notice.quantity,
          orderRef: notice.producedBy.orderRef,
          orderWorkflowId: orderId,
          producedAt: notice.producedAt,
        },
      ]
    : state.production;
  return {
    counted,
    state: {
      ...state,
      production,
      parentsByOrder: {
        ...state.parentsByOrder,
        [orderId]: mergeMax(state.parentsByOrder[orderId] ?? [], notice.parents),
      },
      executors: [...new Set([...state.executors, ...notice.executors])],
    },
  };
}

export interface ParentLink extends LotQuantity {
  /** Orders that consumed it into this lot (empty for declared parents of a received lot). */
  orders: string[];
}

/** Every parent once, quantities added across producing orders. */
export function parentsOf(state: GenealogyState): ParentLink[] {
  const out: ParentLink[] = [];
  const add = (p: LotQuantity, order?: string) => {
    const same = out.find((o) => o.material === p.material && o.lotId === p.lotId);
    if (!same) out.push({ ...p, orders: order ? [order] : [] });
    else {
      if (same.quantity.uom === p.quantity.uom) same.quantity = qty.add(same.quantity, p.quantity);
      if (order && !same.orders.includes(order)) same.orders.push(order);
    }
  };
  for (const [orderId, parents] of Object.entries(state.parentsByOrder)) {
    const orderRef = state.production.find((p) => p.orderWorkflowId === orderId)?.orderRef ?? orderId;
    for (const p of parents) add(p, orderRef);
  }
  for (const p of state.declaredParents) add(p);
  return out;
}

/** ParentLots search attribute values ("RM-300:H-1001"), sorted so upserts are stable. */
export function parentKeys(state: GenealogyState): string[] {
  return [...new Set(parentsOf(state).map((p) => lotKey(p.material, p.lotId)))].sort();
}

/** Produced quantity: each source event once. Null when nothing has been reported yet. */
export function producedQuantity(state: GenealogyState): Quantity | null {
  if (state.production.length === 0) return null;
  return qty.sum(
    state.production.map((p) => p.quantity),
    state.production[0]!.quantity.uom,
  );
}

/** Adds or refreshes a child; returns false when nothing changed. */
export function learnChild(state: GenealogyState, child: ChildLink): boolean {
  const same = state.children.find((c) => c.material === child.material && c.lotId === child.lotId);
  if (!same) {
    state.children.push(child);
    return true;
  }
  if (
    child.quantity &&
    (!same.quantity || (same.quantity.uom === child.quantity.uom && qty.gt(child.quantity, same.quantity)))
  ) {
    same.quantity = child.quantity;
    return true;
  }
  return false;
}

/** One node of a genealogy trace; `links` are its parents (backward) or children (forward). */
export interface GenealogyNode {
  material: string;
  lotId: string;
  key: string;
  /** Quantity on the edge to the node above: consumed into it (backward) or of it (forward). */
  quantity?: Quantity;
  /** Lot status when plantflow runs the lot; absent for lots it only knows by name (seeded stock). */
  status?: string;
  tracked: boolean;
  links: GenealogyNode[];
  /** Not expanded further: the depth limit, or a lot already shown higher in this trace. */
  truncated?: 'depth' | 'repeat';
}

export interface GenealogyTrace {
  direction: 'backward' | 'forward';
  depth: number;
  root: GenealogyNode;
  /** Every distinct lot in the trace, root excluded. */
  lots: string[];
}

/** A lot found by tracing forward from the lots an NCR names, and whether a lot run still guards it. */
export interface GenealogyLot {
  material: string;
  lotId: string;
  key: string;
  /** 0 for the lots asked about, 1 for lots made from them, … */
  depth: number;
  via?: string;
  workflowId: string;
  /**
   * `none`: no lot workflow was ever started (a purchased lot, or one from before plantflow). A running
   * workflow that already decided its lot (releasing, rejecting) counts as closed: it takes no holds.
   */
  workflow: 'running' | 'closed' | 'none';
  /** The final decision a still-running lot workflow has taken. */
  decided?: string;
}

export interface ForwardTraceRequest {
  roots: Array<{ material: string; lotId: string }>;
  maxDepth: number;
  /** Stop after this many lots (a runaway genealogy is an operator matter). */
  maxLots?: number;
}

export interface ForwardTrace {
  lots: GenealogyLot[];
  truncated: boolean;
}
