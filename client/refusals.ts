import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { exceptionIdOf, type ExceptionKind, type ExceptionReport } from '../domain/exceptions';
import { mesEventDigest, type MesEvent } from '../domain/events';
import { SiteAttr } from '../workflows/search-attributes';
import type { ExceptionsClient } from './exceptions';

/**
 * A request plantflow cannot apply, refused with its reason and kept in the site's exception record: the
 * caller is told which exception holds it, the operator finds it in `GET /exceptions`.
 */
export class RecordedRefusal extends Error {
  constructor(
    readonly code: ExceptionKind,
    message: string,
    readonly exceptionId: string,
    readonly site: string,
  ) {
    super(message);
    this.name = 'RecordedRefusal';
  }
}

/** The MES refusals that are business exceptions (an impossible event, EventRejected, is the MES's to fix). */
const MES_EXCEPTIONS = ['EventForClosedOrder', 'EventForCompletingOrder', 'EventConflict'] as const;
type MesExceptionKind = (typeof MES_EXCEPTIONS)[number];
export interface MesRefusal {
  code: MesExceptionKind;
  message: string;
}

/** Whether a failed report of an MES event is one of the refusals the exception record keeps. */
export function mesRefusalOf(err: unknown, site: string, orderRef: string): MesRefusal | undefined {
  // The order's run has closed: its id is never reused, so the event cannot start a new one.
  if (err instanceof WorkflowExecutionAlreadyStartedError)
    return {
      code: 'EventForClosedOrder',
      message: `order ${orderRef} at ${site} has ended; no more events are accepted`,
    };
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    return mesRefusalOfCode(err.cause.type ?? '', err.cause.message);
  }
  return undefined;
}

/** A batch's per-event refusal code, when the exception record keeps it. */
export function mesRefusalOfCode(code: string, message: string): MesRefusal | undefined {
  return MES_EXCEPTIONS.includes(code as MesExceptionKind) ? { code: code as MesExceptionKind, message } : undefined;
}

export function mesExceptionReport(event: MesEvent, refusal: MesRefusal, at: Date): ExceptionReport {
  const { site, eventId, correlation } = event;
  // A conflicting resend is one exception per distinct payload; the others, one per event.
  const key = `${site}/${correlation.orderRef}/${eventId}${refusal.code === 'EventConflict' ? `/${mesEventDigest(event)}` : ''}`;
  const lot = 'lotId' in correlation ? { lotId: correlation.lotId } : {};
  const material = 'material' in event.payload ? { material: event.payload.material } : {};
  return {
    kind: refusal.code,
    key,
    site,
    subject: { orderRef: correlation.orderRef, eventId, system: 'mes', ...lot, ...material },
    summary: `MES ${event.type} ${eventId} for order ${correlation.orderRef} not applied`,
    reason: { code: refusal.code, message: refusal.message },
    arrived: event,
    at: at.toISOString(),
  };
}

/** Records the refusal and returns the error the caller is answered with. */
export async function recordRefusal(exceptions: ExceptionsClient, report: ExceptionReport): Promise<RecordedRefusal> {
  await exceptions.report(report);
  return new RecordedRefusal(report.kind, report.reason.message, exceptionIdOf(report), report.site);
}

/**
 * A disposition, hold or inspection result for a lot whose run has ended: a LateLotRequest. Any other
 * failure (the lot never existed, a refusal by a running lot) is returned as it is.
 */
export async function lateLotRefusal(
  client: Client,
  exceptions: ExceptionsClient,
  err: unknown,
  request: { workflowId: string; material: string; lotId: string; what: string; ref: string; arrived: unknown },
): Promise<unknown> {
  if (!(err instanceof WorkflowNotFoundError)) return err;
  let status: string;
  let site: string | undefined;
  try {
    const run = await client.workflow.getHandle(request.workflowId).describe();
    status = run.status.name;
    site = run.typedSearchAttributes.get(SiteAttr);
  } catch {
    return err; // no such lot: a plain 404
  }
  if (status === 'RUNNING' || !site) return err;
  const at = new Date();
  const message = `lot ${request.lotId} of ${request.material} has closed (${status.toLowerCase()}); the ${request.what} is not applied`;
  return recordRefusal(exceptions, {
    kind: 'LateLotRequest',
    key: `${request.material}/${request.lotId}/${request.what}/${request.ref}`,
    site,
    subject: { material: request.material, lotId: request.lotId, system: 'api' },
    summary: `${request.what} for closed lot ${request.lotId} (${request.material})`,
    reason: { code: 'LateLotRequest', message },
    arrived: request.arrived,
    at: at.toISOString(),
  });
}
