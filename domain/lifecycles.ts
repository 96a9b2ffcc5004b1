import { LOT_STATUSES, type LotStatus } from './lot';
import { NCR_STATUSES, type NcrStatus } from './ncr';
import { ORDER_STATUSES, type OrderStatus } from './order';

/**
 * The paths a run's status moves along, so a caller waiting for "completed" knows whether the run is
 * not there yet, got there (or past it: "closed" comes after "completed"), or took a turn that never
 * leads there (an order whose release failed will not complete). Pure.
 */
export type RunKind = 'order' | 'lot' | 'ncr';

const ORDER_PATHS: OrderStatus[][] = [
  ['awaiting_order', 'validating', 'releasing', 'released', 'in_progress', 'completing', 'completed', 'closed'],
  ['awaiting_order', 'validating', 'releasing', 'release_failed'],
  ['awaiting_order', 'validating', 'releasing', 'released', 'cancelled'],
];
const LOT_PATHS: LotStatus[][] = [
  ['registering', 'restricted', 'on_hold', 'releasing', 'released'],
  ['registering', 'restricted', 'on_hold', 'rejecting', 'rejected'],
];
const NCR_PATHS: NcrStatus[][] = [['open', 'contained', 'dispositioned', 'executed', 'closed']];

const LIFECYCLES: Record<RunKind, { statuses: readonly string[]; paths: string[][]; final: string[] }> = {
  order: { statuses: ORDER_STATUSES, paths: ORDER_PATHS, final: ['closed', 'release_failed', 'cancelled', 'aborted'] },
  lot: { statuses: LOT_STATUSES, paths: LOT_PATHS, final: ['released', 'rejected', 'aborted'] },
  ncr: { statuses: NCR_STATUSES, paths: NCR_PATHS, final: ['closed', 'aborted'] },
};

export const statusesOf = (kind: RunKind): readonly string[] => LIFECYCLES[kind].statuses;

/** `reached`: at the target or past it on the same path; `missed`: in a status from which it never comes. */
export function statusProgress(kind: RunKind, status: string, target: string): 'reached' | 'waiting' | 'missed' {
  if (status === target) return 'reached';
  const { paths, final } = LIFECYCLES[kind];
  const onPath = paths.filter((p) => p.includes(target));
  if (onPath.some((p) => p.includes(status) && p.indexOf(status) >= p.indexOf(target))) return 'reached';
  if (final.includes(status)) return 'missed';
  const stillAhead = onPath.some((p) => p.includes(status) && p.indexOf(status) < p.indexOf(target));
  return stillAhead ? 'waiting' : 'missed';
}
