import { LOT_STATUS_MAPPING } from '../../domain/lot';
import { requiredNotPassed } from '../../domain/lot-inspection';
import type { LotRun } from './run';
import type { LotStatusView } from './state';

const RECENT_RESULTS = 200;

/** The lot's whole live state for the `status` query: what an operator or QA needs on one screen. */
export function lotView(run: LotRun): LotStatusView {
  const { input } = run;
  return {
    workflowId: run.workflowId,
    material: input.material,
    lotId: input.lotId,
    key: run.key,
    site: input.site,
    status: run.status,
    disposition: LOT_STATUS_MAPPING[run.status].isa95,
    systems: LOT_STATUS_MAPPING[run.status],
    origin: input.received ? 'received' : 'produced',
    quantity: run.quantity,
    production: run.genealogy.production,
    received: input.received,
    parents: run.parents(),
    children: run.genealogy.children,
    executors: run.genealogy.executors,
    registration: { ...run.registration, planLoaded: run.plan !== undefined },
    plan: run.plan,
    inspections: run.inspectionSummary(),
    results: run.inspections.slice(-RECENT_RESULTS),
    refusedResults: run.refusedResults,
    requiredNotPassed: requiredNotPassed(run.plan ?? null, run.inspections),
    onHold: run.holds.length > 0,
    holds: run.holds,
    ncrs: run.ncrs,
    openNcrs: run.openNcrs,
    dispositions: run.dispositions,
    decided: run.decided,
    execution: { pending: run.toExecute, steps: run.executed },
    orderNotifications: run.notifications,
    needsAttention: run.parking.needsAttention,
    parked: run.parking.parked,
    resolvedParkings: run.parking.resolved,
    sla: { ...run.sla, overdue: run.sla.escalatedAt !== undefined && !run.decidedFinal },
    timeline: run.timeline,
    failure: run.failure,
    runs: run.runs,
  };
}
