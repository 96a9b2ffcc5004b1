import type { Client } from '@temporalio/client';
import type { ReconciliationFactsInput, ReconciliationFactsPage, SettledDrift } from '../activities/plantflow/runs';
import { DRIFT_REPAIR_WORKFLOW_TYPE, driftRepairWorkflowId } from '../workflows/messages/reconciliation';
import type { PlantflowClient } from './index';
import { qty } from '../domain/quantity';
import { idempotencyKey } from '../domain/ids';
import { LOT_WORKFLOW_TYPE, lotStatusQuery } from '../workflows/messages/lot';
import { ORDER_WORKFLOW_TYPE, orderStatusQuery } from '../workflows/messages/order';
import { listRuns, quoted, type VisibilityCondition } from './visibility';

/** Runs one page asks about: small enough that a page of facts stays a modest activity result. */
export const FACTS_PAGE_SIZE = 100;
/** Runs queried at once: bounded so a long look-back does not flood the workflow worker with replays. */
const QUERY_CONCURRENCY = 8;

/**
 * One page of what plantflow recorded for a site's orders or lots: listed from visibility (open, or closed
 * within the look-back), then each run's status query. A run continued-as-new is listed once per run, asked once.
 */
export async function reconciliationFacts(
  temporal: Client,
  input: ReconciliationFactsInput,
): Promise<ReconciliationFactsPage> {
  const type = input.what === 'orders' ? ORDER_WORKFLOW_TYPE : LOT_WORKFLOW_TYPE;
  const query =
    `WorkflowType = ${quoted(type)} AND Site = ${quoted(input.site)} AND ` +
    `(ExecutionStatus = 'Running' OR CloseTime >= ${quoted(input.since)})`;
  const page = await temporal.workflowService.listWorkflowExecutions({
    namespace: temporal.options.namespace,
    query,
    pageSize: FACTS_PAGE_SIZE,
    nextPageToken: input.pageToken ? Buffer.from(input.pageToken, 'base64') : undefined,
  });
  const ids = [...new Set((page.executions ?? []).map((e) => e.execution?.workflowId ?? ''))].filter(Boolean);
  const next = page.nextPageToken && page.nextPageToken.length > 0 ? Buffer.from(page.nextPageToken) : undefined;
  const result: ReconciliationFactsPage = {
    orders: [],
    lots: [],
    nextPageToken: next?.toString('base64'),
  };
  await inBatches(ids, QUERY_CONCURRENCY, async (workflowId) => {
    const handle = temporal.workflow.getHandle(workflowId);
    if (input.what === 'orders') {
      const v = await handle.query(orderStatusQuery);
      result.orders.push({
        workflowId,
        orderRef: v.orderRef,
        status: v.status,
        sapOrder: v.order?.erp.sapOrder,
        odooMo: v.order?.erp.odooMo,
        confirmations: (v.postings.confirmations ?? []).map((c) => ({ ...c, key: idempotencyKey(workflowId, c.step) })),
        goodsMovements: (v.postings.goodsMovements ?? []).map((g) => ({
          ...g,
          key: idempotencyKey(workflowId, g.step),
        })),
        ...(v.order && v.execution
          ? {
              produced: qty.sum(
                v.execution.produced.map((p) => p.quantity),
                v.order.quantity.uom,
              ),
            }
          : {}),
        postingsInFlight: v.postings.pending + v.postings.parked > 0,
      });
    } else {
      const v = await handle.query(lotStatusQuery);
      result.lots.push({
        workflowId,
        material: v.material,
        lotId: v.lotId,
        status: v.status,
        settled: v.registration.sapBatch && v.execution.pending.length === 0 && v.parked.length === 0,
        odooQuarantined: v.registration.quarantine === 'done',
      });
    }
  });
  return result;
}

/** Kept resolved exceptions are bounded by the record (it carries the newest 500 across continue-as-new). */
const SETTLED_LIMIT = 10_000;

export async function settledDrift(plantflow: PlantflowClient, site: string): Promise<SettledDrift> {
  const resolved = await plantflow.exceptions.list(site, { status: 'resolved', kind: 'Drift', limit: SETTLED_LIMIT });
  const accepted = resolved.exceptions
    .filter((e) => e.resolution?.action === 'accept' || e.resolution?.action === 'ignore')
    .map((e) => e.exceptionId);
  const prefix = driftRepairWorkflowId(site, '');
  const repairing: string[] = [];
  const running: VisibilityCondition[] = [
    ['WorkflowType', '=', DRIFT_REPAIR_WORKFLOW_TYPE],
    ['Site', '=', site],
    ['ExecutionStatus', '=', 'Running'],
  ];
  await listRuns(plantflow.temporal, running, (run) => {
    if (run.workflowId.startsWith(prefix)) repairing.push(run.workflowId.slice(prefix.length));
  });
  return { accepted, repairing };
}

async function inBatches<T>(items: T[], size: number, each: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(each));
}
