// Plant edge messages: its workflow type and input, and how the central site keeps each edge's last report.
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { EdgeContact } from '../../domain/edge';
import type { EdgeStart } from '../../domain/starts';

/** Workflow type of the plant edge record (workflows/edge.ts), id edge:<site>:<edgeId>. */
export const EDGE_WORKFLOW_TYPE = 'plantEdge';

export interface EdgeWorkflowInput extends EdgeStart {
  /** The state a continued run hands to its successor: the last report. */
  last?: EdgeContact;
  /** Continue-as-new after this many reports (default REPORTS_PER_RUN; tests use fewer). */
  reportsPerRun?: number;
}

/** The edge reported its state (sent with signal-with-start by PUT /edges/:site/:edgeId). */
export const edgeReportedSignal = defineSignal<[EdgeContact]>('edgeReported');
export const edgeContactQuery = defineQuery<EdgeContact | undefined>('edgeContact');
