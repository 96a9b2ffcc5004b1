// Business exception messages: the workflow type of a site's exception record, how processes and the API
// report an exception, how operators decide on one, and how anyone reads them.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ExceptionCounts, ExceptionSelection } from '../../domain/exception-record';
import type { BusinessException, ExceptionDecision, ExceptionReport } from '../../domain/exceptions';

/** Workflow type of a site's exception record (workflows/exceptions.ts), id exceptions:<site>. */
export const EXCEPTIONS_WORKFLOW_TYPE = 'businessExceptions';

export interface ExceptionsWorkflowInput {
  site: string;
  /** What the previous run handed over at continue-as-new. */
  carried?: { exceptions: BusinessException[]; runs: number };
  /** Reports and decisions a run takes before it continues as new (tests make it small). */
  messagesPerRun?: number;
}

/** Reported with signal-with-start, so the first exception of a site opens its record. */
export const exceptionReportedSignal = defineSignal<[ExceptionReport]>('exceptionReported');

/** An operator's decision; refused (validator) for an unknown exception or an action its kind does not offer. */
export const decideExceptionUpdate = defineUpdate<BusinessException, [ExceptionDecision]>('decideException');

export type ExceptionFilter = ExceptionSelection;

export interface ExceptionList {
  site: string;
  exceptions: BusinessException[];
  /** Per kind: open now, and every exception the record has kept. */
  counts: ExceptionCounts;
}
export const exceptionsQuery = defineQuery<ExceptionList, [ExceptionFilter?]>('exceptions');
