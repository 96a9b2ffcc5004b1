// Plant edge record: the central site's memory of one edge — its last report and when it came.
import { allHandlersFinished, condition, continueAsNew, setHandler, upsertMemo } from '@temporalio/workflow';
import { edgeContactQuery, edgeReportedSignal, type EdgeWorkflowInput } from './messages/edge';

/** Reports between continue-as-new: an edge reports every 30 s when idle, so this is about four hours. */
const REPORTS_PER_RUN = 500;

/**
 * Workflow type EDGE_WORKFLOW_TYPE, id edge:<site>:<edgeId>. The last report is also the run's memo, so
 * /health and the plant health page read every edge with one visibility list, even while no worker runs.
 */
export async function plantEdge(input: EdgeWorkflowInput): Promise<void> {
  let last = input.last;
  let reports = 0;
  if (last) upsertMemo({ edge: last });
  setHandler(edgeContactQuery, () => last);
  setHandler(edgeReportedSignal, (contact) => {
    // A late signal never rolls the record back.
    if (last && contact.lastContactAt < last.lastContactAt) return;
    last = contact;
    reports += 1;
    upsertMemo({ edge: contact });
  });
  await condition(() => reports >= (input.reportsPerRun ?? REPORTS_PER_RUN));
  await condition(allHandlersFinished);
  await continueAsNew<typeof plantEdge>({ ...input, last });
}
