import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { edgeHealth, type EdgeContact, type EdgeHealth, type EdgeReport } from '../domain/edge';
import { edgeWorkflowId } from '../domain/ids';
import type { EdgeStart } from '../domain/starts';
import { EDGE_WORKFLOW_TYPE, edgeReportedSignal } from '../workflows/messages/edge';
import { SiteAttr } from '../workflows/search-attributes';
import { TaskQueue } from '../workflows/task-queues';
import { listRuns, type VisibilityCondition } from './visibility';

/** The central site's view of the plant edges: each keeps its last report in its own run (workflows/edge.ts). */
export class EdgeClient {
  constructor(
    private readonly client: Client,
    private readonly silentAfterMs: number,
  ) {}

  /** Keeps an edge's report, stamped with the central clock; starts the edge's record on its first report. */
  async report(report: EdgeReport, receivedAt: Date): Promise<EdgeContact> {
    const contact: EdgeContact = { ...report, lastContactAt: receivedAt.toISOString() };
    const start: EdgeStart = { site: report.site, edgeId: report.edgeId };
    await this.client.workflow.signalWithStart(EDGE_WORKFLOW_TYPE, {
      workflowId: edgeWorkflowId(report.site, report.edgeId),
      taskQueue: TaskQueue.workflows,
      args: [start],
      signal: edgeReportedSignal,
      signalArgs: [contact],
      typedSearchAttributes: [{ key: SiteAttr, value: report.site }],
      staticSummary: `Plant edge ${report.edgeId} at plant ${report.site}`,
    });
    return contact;
  }

  /**
   * Ends an edge's record (decommissioned, renamed): it leaves /health and GET /edges. Its history stays in
   * Temporal; an edge that reports again starts a new record. False when no record of it is running.
   */
  async retire(site: string, edgeId: string, by: string): Promise<boolean> {
    const handle = this.client.workflow.getHandle(edgeWorkflowId(site, edgeId));
    try {
      if ((await handle.describe()).status.name !== 'RUNNING') return false;
      await handle.terminate(`plant edge ${site}/${edgeId} retired by ${by}`);
      return true;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
  }

  /** Every edge that has reported (optionally of one plant), from visibility: no worker needed to read it. */
  async list(site?: string, now = Date.now()): Promise<EdgeHealth[]> {
    const edges: EdgeHealth[] = [];
    const seen = new Set<string>();
    const conditions: VisibilityCondition[] = [
      ['WorkflowType', '=', EDGE_WORKFLOW_TYPE],
      ['ExecutionStatus', '=', 'Running'],
      site ? ['Site', '=', site] : undefined,
    ];
    await listRuns(this.client, conditions, (wf) => {
      const contact = wf.memo?.edge as EdgeContact | undefined;
      if (!contact || seen.has(wf.workflowId)) return;
      seen.add(wf.workflowId);
      edges.push(edgeHealth(contact, now, this.silentAfterMs));
    });
    return edges.sort((a, b) => a.site.localeCompare(b.site) || a.edgeId.localeCompare(b.edgeId));
  }
}
