import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import {
  exceptionDecisionSchema,
  exceptionReportSchema,
  type BusinessException,
  type ExceptionDecision,
  type ExceptionReport,
} from '../domain/exceptions';
import { exceptionsWorkflowId } from '../domain/ids';
import {
  decideExceptionUpdate,
  EXCEPTIONS_WORKFLOW_TYPE,
  exceptionReportedSignal,
  exceptionsQuery,
  type ExceptionFilter,
  type ExceptionList,
  type ExceptionsWorkflowInput,
} from '../workflows/messages/exceptions';
import { SiteAttr } from '../workflows/search-attributes';
import { TaskQueue } from '../workflows/task-queues';
import { PlantflowInputError } from './errors';

/** A site's business-exception record (workflows/exceptions.ts): report, list, decide. */
export class ExceptionsClient {
  constructor(private readonly client: Client) {}

  /** Keeps a report; the site's first report opens its record (signal-with-start). */
  async report(report: ExceptionReport): Promise<{ exceptionId: string }> {
    const parsed = exceptionReportSchema.safeParse(report);
    if (!parsed.success) throw PlantflowInputError.fromZod('exception report', parsed.error);
    const start: ExceptionsWorkflowInput = { site: parsed.data.site };
    await this.client.workflow.signalWithStart(EXCEPTIONS_WORKFLOW_TYPE, {
      workflowId: exceptionsWorkflowId(parsed.data.site),
      taskQueue: TaskQueue.workflows,
      args: [start],
      signal: exceptionReportedSignal,
      signalArgs: [parsed.data],
      typedSearchAttributes: [{ key: SiteAttr, value: parsed.data.site }],
      staticSummary: `Business exceptions of plant ${parsed.data.site}`,
    });
    return { exceptionId: `${parsed.data.kind}:${parsed.data.key}` };
  }

  /** A site that never had an exception has an empty record. */
  async list(site: string, filter?: ExceptionFilter): Promise<ExceptionList> {
    try {
      return await this.client.workflow.getHandle(exceptionsWorkflowId(site)).query(exceptionsQuery, filter);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return { site, exceptions: [], counts: {} };
      throw err;
    }
  }

  /** The operator's decision; the record refuses an unknown exception or an action its kind does not offer. */
  async decide(site: string, decision: ExceptionDecision): Promise<BusinessException> {
    const parsed = exceptionDecisionSchema.safeParse(decision);
    if (!parsed.success) throw PlantflowInputError.fromZod('decision', parsed.error);
    return this.client.workflow.getHandle(exceptionsWorkflowId(site)).executeUpdate(decideExceptionUpdate, {
      args: [parsed.data],
    });
  }
}
