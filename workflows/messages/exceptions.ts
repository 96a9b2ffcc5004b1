// Business exception messages: the workflow type of a site's exception record, how processes and the API
// report an exception, how operators decide on one, and how anyone reads them.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  BusinessException,
  ExceptionDecision,
  ExceptionKind,
  ExceptionReport,
  ExceptionSubject,
} from '../../domain/exceptions';

/** Workflow type of a site's exception record (workflows/exceptions.ts), id exceptions:<site>. */
export const EXCEPTIONS_WORKFLOW_TYPE = 'businessExceptions';

/** Reported with signal-with-start, so the first exception of a site opens its record. */
export const exceptionReportedSignal = defineSignal<[ExceptionReport]>('exceptionReported');

/** An operator's decision; refused (validator) for an unknown exception or an action its kind does not offer. */
export const decideExceptionUpdate = defineUpdate<BusinessException, [ExceptionDecision]>('decideException');

export interface ExceptionFilter {
  status?: 'open' | 'resolved';
  kind?: ExceptionKind;
  subject?: Partial<ExceptionSubject>;
  limit?: number;
}

export interface ExceptionList {
  site: string;
  exceptions: BusinessException[];
  /** Per kind: open now, and every exception the record has kept. */
  counts: Partial<Record<ExceptionKind, { open: number; total: number }>>;
}
export const exceptionsQuery = defineQuery<ExceptionList, [ExceptionFilter?]>('exceptions');
