// Plant edge messages: how the central site keeps each edge's last report.
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { EdgeContact } from '../../domain/edge';

/** Workflow type name of the plant edge record (workflows/edge.ts), for starts from outside the bundle. */
export const EDGE_WORKFLOW_TYPE = 'plantEdge';

export interface EdgeWorkflowStart {
  site: string;
  edgeId: string;
  /** The last report, carried across continue-as-new. */
  last?: EdgeContact;
  /** Continue-as-new after this many reports (default REPORTS_PER_RUN; tests use fewer). */
  reportsPerRun?: number;
}

/** The edge reported its state (sent with signal-with-start by PUT /edges/:site/:edgeId). */
export const edgeReportedSignal = defineSignal<[EdgeContact]>('edgeReported');
export const edgeContactQuery = defineQuery<EdgeContact | undefined>('edgeContact');
