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
    status: run.state.status,
    disposition: LOT_STATUS_MAPPING[run.state.status].isa95,
    systems: LOT_STATUS_MAPPING[run.state.status],
    origin: input.received ? 'received' : 'produced',
    quantity: run.quantity,
    production: run.state.genealogy.production,
    received: input.received,
    parents: run.parents(),
    children: run.state.genealogy.children,
    executors: run.state.genealogy.executors,
    registration: { ...run.state.registration, planLoaded: run.state.plan !== undefined },
    plan: run.state.plan,
    inspections: run.inspectionSummary(),
    results: run.state.inspections.slice(-RECENT_RESULTS),
    refusedResults: run.state.refusedResults,
    inspectionTasks: run.state.tasks.length,
    fingerprint: run.fingerprint,
    requiredNotPassed: requiredNotPassed(run.state.plan ?? null, run.state.inspections),
    onHold: run.state.holds.length > 0,
    holds: run.state.holds,
    ncrs: run.state.ncrs,
    openNcrs: run.openNcrs,
    dispositions: run.state.dispositions,
    decided: run.state.decided,
    execution: { pending: run.state.toExecute, steps: run.state.executed },
    orderNotifications: run.state.notifications,
    needsAttention: run.parking.needsAttention,
    parked: run.parking.parked,
    resolvedParkings: run.parking.resolved,
    sla: { ...run.state.sla, overdue: run.state.sla.escalatedAt !== undefined && !run.decidedFinal },
    timeline: run.state.timeline,
    failure: run.state.failure,
    runs: run.state.runs,
  };
}
