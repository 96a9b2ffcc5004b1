import Decimal from 'decimal.js';
import type {
  Dispatch,
  DispatchRequest,
  HoldResult,
  Plant,
  RecallResult,
  ReleaseHoldResult,
} from '../../contracts/mes';
import { businessRule, conflict, notFound } from '../shared/rest-kit/errors';
import { dispatchKey, nowIso, type MesState } from './state';

export function plantOf(state: MesState, site: string): Plant {
  const plant = state.plants[site];
  if (!plant) throw notFound('site_not_found', `no plant ${site} in this MES`, { site });
  return plant;
}

export function dispatchOf(state: MesState, site: string, orderRef: string): Dispatch {
  plantOf(state, site);
  const d = state.dispatches[dispatchKey(site, orderRef)];
  if (!d)
    throw notFound('dispatch_not_found', `order ${orderRef} was never dispatched to plant ${site}`, { site, orderRef });
  return d;
}

function validate(plant: Plant, req: DispatchRequest): void {
  if (new Decimal(req.quantity.value).lte(0))
    throw businessRule('invalid_quantity', 'order quantity must be greater than zero');
  const known = new Set(plant.workCenters.map((w) => w.code));
  const unknownWc = req.operations.filter((o) => !known.has(o.workCenter)).map((o) => o.workCenter);
  if (unknownWc.length > 0) {
    throw businessRule(
      'unknown_work_center',
      `work center(s) ${unknownWc.join(', ')} do not exist at plant ${plant.site}`,
      { unknown: unknownWc },
    );
  }
  const ops = req.operations.map((o) => o.operation);
  if (new Set(ops).size !== ops.length) throw businessRule('duplicate_operation', 'operation numbers must be unique');
  const strayOps = (req.components ?? []).filter((c) => c.operation !== undefined && !ops.includes(c.operation));
  if (strayOps.length > 0) {
    throw businessRule(
      'unknown_operation',
      `components reference operations not in the routing: ${strayOps.map((c) => c.operation).join(', ')}`,
    );
  }
}

/** The reason a dispatch is refused on the floor, if a test arranged one (per order, per material, or all). */
function rejectionReason(state: MesState, req: DispatchRequest, rejectAll: string): string | undefined {
  return state.rejections.orders[req.orderRef] ?? state.rejections.materials[req.material] ?? (rejectAll || undefined);
}

export function dispatchOrder(state: MesState, site: string, req: DispatchRequest, rejectAll: string): Dispatch {
  const plant = plantOf(state, site);
  const key = dispatchKey(site, req.orderRef);
  const existing = state.dispatches[key];
  if (existing && existing.status !== 'recalled') {
    throw conflict(
      'dispatch_exists',
      `order ${req.orderRef} is already dispatched to plant ${site} as ${existing.dispatchId}`,
      {
        dispatchId: existing.dispatchId,
        status: existing.status,
      },
    );
  }
  validate(plant, req);
  const reason = rejectionReason(state, req, rejectAll);
  if (reason) throw businessRule('dispatch_rejected', reason, { site, orderRef: req.orderRef, reason });
  if (existing) state.superseded.push(existing);
  state.counters.dispatch += 1;
  const at = nowIso();
  const first = req.operations[0]!.operation;
  const dispatch: Dispatch = {
    dispatchId: `DSP-${site}-${String(state.counters.dispatch).padStart(6, '0')}`,
    site,
    orderRef: req.orderRef,
    material: req.material,
    quantity: req.quantity,
    operations: req.operations,
    components: (req.components ?? []).map((c) => ({
      material: c.material,
      quantity: c.quantity,
      operation: c.operation ?? first,
      lotIds: c.lotIds ?? [],
    })),
    dueAt: req.dueAt ?? null,
    status: 'dispatched',
    activeHoldIds: [],
    holds: [],
    dispatchedAt: at,
    recalledAt: null,
    recallReason: null,
    history: [{ at, status: 'dispatched', note: 'dispatched to the floor' }],
  };
  state.dispatches[key] = dispatch;
  return dispatch;
}

/** Compensation of a dispatch: tolerant of an order the MES never saw, and of a second recall. */
export function recallOrder(state: MesState, site: string, orderRef: string, reason: string): RecallResult {
  plantOf(state, site);
  const d = state.dispatches[dispatchKey(site, orderRef)];
  if (!d) return { outcome: 'not_dispatched', dispatch: null };
  if (d.status === 'recalled') return { outcome: 'already_recalled', dispatch: d };
  const at = nowIso();
  d.status = 'recalled';
  d.recalledAt = at;
  d.recallReason = reason;
  d.history.push({ at, status: 'recalled', note: reason });
  return { outcome: 'recalled', dispatch: d };
}

/** Holds stack; each is idempotent by its holdId. */
export function holdOrder(
  state: MesState,
  site: string,
  orderRef: string,
  req: { holdId: string; reason: string; placedBy?: string },
): HoldResult {
  const d = dispatchOf(state, site, orderRef);
  const known = d.holds.find((h) => h.holdId === req.holdId);
  if (known && known.releasedAt === null) return { outcome: 'already_held', dispatch: d };
  if (known)
    throw businessRule('hold_released', `hold ${req.holdId} was already released; a new hold needs a new id`, {
      holdId: req.holdId,
    });
  if (d.status === 'recalled')
    throw businessRule('order_recalled', `order ${orderRef} was recalled from the floor`, { orderRef });
  const at = nowIso();
  d.holds.push({
    holdId: req.holdId,
    reason: req.reason,
    placedBy: req.placedBy ?? null,
    placedAt: at,
    releasedAt: null,
    releasedBy: null,
  });
  d.activeHoldIds.push(req.holdId);
  if (d.status !== 'held') d.history.push({ at, status: 'held', note: req.reason });
  d.status = 'held';
  return { outcome: 'held', dispatch: d };
}

export function releaseHold(
  state: MesState,
  site: string,
  orderRef: string,
  holdId: string,
  releasedBy?: string,
): ReleaseHoldResult {
  const d = dispatchOf(state, site, orderRef);
  const hold = d.holds.find((h) => h.holdId === holdId);
  if (!hold || hold.releasedAt !== null) return { outcome: 'not_held', dispatch: d };
  const at = nowIso();
  hold.releasedAt = at;
  hold.releasedBy = releasedBy ?? null;
  d.activeHoldIds = d.activeHoldIds.filter((id) => id !== holdId);
  if (d.activeHoldIds.length > 0) return { outcome: 'still_held', dispatch: d };
  if (d.status === 'held') {
    d.status = 'dispatched';
    d.history.push({ at, status: 'dispatched', note: `hold ${holdId} released` });
  }
  return { outcome: 'resumed', dispatch: d };
}
