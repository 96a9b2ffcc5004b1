import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import {
  exceptionDecisionSchema,
  exceptionReportSchema,
  type BusinessException,
  type ExceptionDecision,
  type ExceptionReport,
} from '../domain/exceptions';
import {
  decideExceptionUpdate,
  exceptionReportedSignal,
  exceptionsQuery,
  EXCEPTIONS_WORKFLOW_TYPE,
  type ExceptionFilter,
  type ExceptionList,
} from '../workflows/messages/exceptions';
import { TaskQueue } from '../workflows/task-queues';
import { PlantflowInputError } from './errors';

// Interim (issue 9, API half): the lead's ExceptionsClient replaces this file on merge.
const exceptionsWorkflowId = (site: string) => `exceptions:${site}`;

/** A site's business-exception record: report, list, decide. */
export class ExceptionsClient {
  constructor(private readonly client: Client) {}

  async report(report: ExceptionReport): Promise<void> {
    const parsed = exceptionReportSchema.safeParse(report);
    if (!parsed.success) throw PlantflowInputError.fromZod('exception report', parsed.error);
    await this.client.workflow.signalWithStart(EXCEPTIONS_WORKFLOW_TYPE, {
      workflowId: exceptionsWorkflowId(parsed.data.site),
      taskQueue: TaskQueue.workflows,
      args: [{ site: parsed.data.site }],
      signal: exceptionReportedSignal,
      signalArgs: [parsed.data],
    });
  }

  async list(site: string, filter: ExceptionFilter = {}): Promise<ExceptionList> {
    try {
      return await this.client.workflow.getHandle(exceptionsWorkflowId(site)).query(exceptionsQuery, filter);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return { site, exceptions: [], counts: {} };
      throw err;
    }
  }

  async decide(site: string, decision: ExceptionDecision): Promise<BusinessException> {
    const parsed = exceptionDecisionSchema.safeParse(decision);
    if (!parsed.success) throw PlantflowInputError.fromZod('decision', parsed.error);
    return this.client.workflow
      .getHandle(exceptionsWorkflowId(site))
      .executeUpdate(decideExceptionUpdate, { args: [parsed.data] });
  }
}
