import { executeChild, ParentClosePolicy, patched, WorkflowIdReusePolicy } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { durationToMs } from '../../domain/duration';
import { exceptionIdOf } from '../../domain/exceptions';
import {
  chunks,
  confirmationReads,
  findDrifts,
  repairOf,
  type Drift,
  type DriftRepair,
  type LotFacts,
  type OrderFacts,
  type SiteReadings,
} from '../../domain/reconciliation';
import type { RetryTuning } from '../../domain/tuning';
import { systemActivities, type SystemActivities } from '../shared/activities';
import {
  DRIFT_REPAIR_WORKFLOW_TYPE,
  driftRepairWorkflowId,
  type DriftRepairInput,
  type ReconcileInput,
  type ReconcileOutcome,
} from '../messages/reconciliation';
import { SiteAttr } from '../search-attributes';

/** Keys per SAP read (one `$filter` GET) and MOs per Odoo search_read: each read is one rate-limited activity. */
const SAP_ORDERS_PER_READ = 40;
const SAP_ITEMS_PER_READ = 400;
const SAP_BATCHES_PER_READ = 40;
const ODOO_MOS_PER_READ = 200;
const ODOO_LOTS_PER_READ = 40;
const SAP_MOVEMENTS_PER_READ = 10;

/**
 * One reconciliation of a site: page by page through the orders and lots plantflow recorded (open, or
 * closed within the look-back), read what SAP and Odoo hold for that page in batched reads, and report each
 * difference as a Drift business exception. Drift plantflow provably caused is repaired when configured.
 */
export async function reconcileSiteRun(input: ReconcileInput): Promise<ReconcileOutcome> {
  const acts = systemActivities(input.tuning as Partial<RetryTuning> | undefined, input.site);
  const at = new Date().toISOString();
  const since = new Date(Date.now() - durationToMs(input.lookback)).toISOString();
  const outcome: ReconcileOutcome = { site: input.site, at, orders: 0, lots: 0, drifts: 0, byReason: {}, reapplied: 0 };

  // Drift an operator accepted or ignored stays settled; drift being re-applied is in flight, not drift.
  const settled = await acts.plantflow.plantflowSettledDrift({ site: input.site });
  const quiet = new Set([...settled.accepted, ...settled.repairing]);

  const settle = async (drifts: Drift[]) => {
    for (const drift of drifts) {
      if (quiet.has(exceptionIdOf(drift.report))) continue;
      outcome.drifts += 1;
      const code = drift.report.reason.code;
      outcome.byReason[code] = (outcome.byReason[code] ?? 0) + 1;
      await acts.plantflow.plantflowReportException(drift.report);
      const repair = repairOf(drift.report.expected);
      if (input.autoReapply && drift.provablyOurs && repair) {
        await repairDrift(
          input.site,
          exceptionIdOf(drift.report),
          repair,
          'automatic: plantflow recorded it as posted',
        );
        outcome.reapplied += 1;
      }
    }
  };

  for (const what of ['orders', 'lots'] as const) {
    let pageToken: string | undefined;
    do {
      const page = await acts.plantflow.plantflowReconciliationFacts({ site: input.site, what, since, pageToken });
      pageToken = page.nextPageToken;
      outcome.orders += page.orders.length;
      outcome.lots += page.lots.length;
      const read = await readSystems(acts, page.orders, page.lots);
      await settle(findDrifts(input.site, page.orders, page.lots, read, at));
    } while (pageToken);
  }
  return outcome;
}

/** Every read of one page at once: the task queues' rate limits pace them, not the workflow. */
async function readSystems(acts: SystemActivities, orders: OrderFacts[], lots: LotFacts[]): Promise<SiteReadings> {
  const items = orders.flatMap((o) =>
    o.sapOrder ? o.confirmations.map((c) => ({ order: o.sapOrder!, key: c.key })) : [],
  );
  const mos = [...new Set(orders.flatMap((o) => (o.odooMo ? [o.odooMo] : [])))];
  const batches = lots.filter((l) => l.settled).map((l) => ({ material: l.material, batch: l.lotId }));
  // Runs recorded before lots were compared with Odoo replay without that read.
  const odooLots = patched('reconcile-odoo-lot-locations')
    ? lots.filter((l) => l.settled && l.odooQuarantined).map((l) => ({ material: l.material, lot: l.lotId }))
    : [];
  const movements = patched('reconcile-material-documents')
    ? orders.flatMap((o) => (o.sapOrder ? (o.goodsMovements ?? []).map((g) => g.key) : []))
    : [];
  // Runs recorded before produced quantities were compared read confirmations without SAP's yields.
  const withYields = patched('reconcile-produced-quantities');
  const readConfirmations = async (chunk: typeof items) =>
    withYields
      ? acts.sap.sapReadConfirmations({ items: chunk })
      : { confirmations: await acts.sap.sapCheckConfirmations({ items: chunk }), yields: undefined };
  const [confirmations, productions, batchReadings, odooLotReadings, documents] = await Promise.all([
    Promise.all(confirmationReads(items, SAP_ORDERS_PER_READ, SAP_ITEMS_PER_READ).map(readConfirmations)),
    Promise.all(chunks(mos, ODOO_MOS_PER_READ).map((names) => acts.odoo.odooReadProductions({ names }))),
    Promise.all(chunks(batches, SAP_BATCHES_PER_READ).map((b) => acts.sap.sapReadBatches({ batches: b }))),
    Promise.all(chunks(odooLots, ODOO_LOTS_PER_READ).map((l) => acts.odoo.odooReadLotLocations({ lots: l }))),
    Promise.all(chunks(movements, SAP_MOVEMENTS_PER_READ).map((keys) => acts.sap.sapCheckMaterialDocuments({ keys }))),
  ]);
  return {
    confirmations: confirmations.flatMap((c) => c.confirmations),
    ...(withYields ? { sapYields: confirmations.flatMap((c) => c.yields ?? []) } : {}),
    productions: productions.flat(),
    batches: batchReadings.flat(),
    odooLots: odooLotReadings.flat(),
    materialDocuments: documents.flat(),
  };
}

/** Re-applies through a child run whose id is the exception's: a second request for it joins, never posts again. */
async function repairDrift(site: string, exceptionId: string, repair: DriftRepair, reason: string): Promise<void> {
  const args: [DriftRepairInput] = [{ site, exceptionId, repair, reason }];
  try {
    await executeChild(DRIFT_REPAIR_WORKFLOW_TYPE, {
      workflowId: driftRepairWorkflowId(site, exceptionId),
      args,
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      typedSearchAttributes: [{ key: SiteAttr, value: site }],
    });
  } catch (err) {
    // Started before (an operator's reapply, an earlier run): that run does the repair.
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}
