// Reconciliation: the scheduled run per site, its outcome, and the repair of one drift.
import type { DriftRepair } from '../../domain/reconciliation';
import type { RetryTuning } from '../../domain/tuning';

export const RECONCILE_WORKFLOW_TYPE = 'reconcileSite';
export const DRIFT_REPAIR_WORKFLOW_TYPE = 'driftRepair';

/** The Temporal Schedule of a site's reconciliation (pause, trigger and backfill it in the Web UI). */
export function reconciliationScheduleId(site: string): string {
  return `reconcile:${site}`;
}

/** One repair per drift exception: a second reapply of the same exception joins the first. */
export function driftRepairWorkflowId(site: string, exceptionId: string): string {
  return `drift-repair:${site}:${exceptionId}`;
}

export interface ReconcileInput {
  site: string;
  /** Closed orders and lots are compared while they closed within this duration ("7 days"). */
  lookback: string;
  /** Re-apply drift plantflow provably caused (recorded as posted, absent in the system) without asking. */
  autoReapply?: boolean;
  tuning?: Partial<RetryTuning>;
}

export interface ReconcileOutcome {
  site: string;
  at: string;
  orders: number;
  lots: number;
  drifts: number;
  /** Drifts found, by reason code (ConfirmationCancelled, BatchRestriction, OdooOrderStatus…). */
  byReason: Record<string, number>;
  reapplied: number;
}

export interface DriftRepairInput {
  site: string;
  exceptionId: string;
  repair: DriftRepair;
  /** Who decided and why (the operator's reapply, or automatic). */
  reason: string;
}

export interface DriftRepairOutcome {
  exceptionId: string;
  outcome: 'repaired' | 'refused';
  detail: string;
}
