import {
  WithStartWorkflowOperation,
  WorkflowNotFoundError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { mesEventDigest, mesEventSchema, type MesEventInput } from '../domain/events';
import { recordHash } from '../domain/signature';
import { orderWorkflowId } from '../domain/ids';
import {
  orderAmendmentSchema,
  productionOrderSchema,
  type OrderAmendment,
  type ProductionOrder,
  type ProductionOrderInput,
} from '../domain/order';
import type { HoldRequest, LiftHoldRequest } from '../domain/notices';
import type { RetryTuning } from '../domain/tuning';
import { resolveParkedStepUpdate, type ResolveParkedStepRequest } from '../workflows/messages/shared';
import {
  amendOrderUpdate,
  cancelOrderUpdate,
  completeOrderUpdate,
  liftOrderHoldUpdate,
  orderStatusQuery,
  orderTimelineQuery,
  placeOrderHoldUpdate,
  releaseOrderUpdate,
  reportMesEventUpdate,
  reportMesEventsUpdate,
  ORDER_WORKFLOW_TYPE,
  type CancelOrderRequest,
  type CompleteOrderRequest,
  type MesBatchResult,
  type MesEventResult,
  type OrderWorkflowInput,
  type ReleaseOrderAccepted,
} from '../workflows/messages/order';
import type { productionOrder } from '../workflows/order';
import type { OrderStatusView, TimelineEntry } from '../workflows/order/state';
import { MaterialAttr, OrderRefAttr, OrderStatusAttr, SiteAttr } from '../workflows/search-attributes';
import { abnormalEnd, withRealEnd, type StatusReport } from './run-end';

export type OrderStatusReport = StatusReport<OrderStatusView>;
import { TaskQueue } from '../workflows/task-queues';
import { PlantflowInputError } from './errors';
import { ExceptionsClient } from './exceptions';
import { mesExceptionReport, mesRefusalOf, mesRefusalOfCode, recordRefusal } from './refusals';

/** Statuses an order run can end with that leave nothing made: the order may be released again. */
const RELEASABLE_AGAIN = ['release_failed', 'aborted', 'cancelled'];

/** The run a re-release follows (in the new run's memo, `releasedAgain`). */
export interface PreviousRun {
  workflowId: string;
  runId: string;
  end: string;
  failure?: string;
}

export interface OrderClientOptions {
  /** Retry tuning passed to new order runs (tests shorten it). */
  tuning?: Partial<RetryTuning>;
  maxHistoryEvents?: number;
  /** How long events for an order never released wait before they are an exception (PLANTFLOW_ORPHAN_EVENTS_GRACE). */
  orphanEventsGrace?: string;
}

/** What links an order run to the run that released it (a rework order to its NCR): memo and summary. */
export interface OrderLink {
  memo?: Record<string, unknown>;
  summary?: string;
  /** Set from the order itself. */
  material?: string;
}

/** Typed access to production order runs: release, shop-floor events, holds, completion, parking. */
export class OrderClient {
  private readonly exceptions: ExceptionsClient;

  constructor(
    private readonly client: Client,
    private readonly options: OrderClientOptions = {},
  ) {
    this.exceptions = new ExceptionsClient(client);
  }

  /**
   * The start operation shared by release and events: whichever arrives first starts the run, the
   * other joins it (update-with-start), so an MES event never races the release. A closed order's id
   * is never reused (REJECT_DUPLICATE): events for it are refused instead of starting a new run.
   */
  private startOperation(
    site: string,
    orderRef: string,
    link?: OrderLink,
    tuning: Partial<RetryTuning> | undefined = this.options.tuning,
    releasedAgain?: PreviousRun,
  ): WithStartWorkflowOperation<typeof productionOrder> {
    const input: OrderWorkflowInput = {
      site,
      orderRef,
      tuning,
      maxHistoryEvents: this.options.maxHistoryEvents,
      ...(this.options.orphanEventsGrace ? { orphanEventsGrace: this.options.orphanEventsGrace } : {}),
    };
    return new WithStartWorkflowOperation<typeof productionOrder>(ORDER_WORKFLOW_TYPE, {
      workflowId: orderWorkflowId(site, orderRef),
      taskQueue: TaskQueue.workflows,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      // Only a release may reuse the id, and only after a run that failed, was terminated or was aborted.
      workflowIdReusePolicy: releasedAgain ? 'ALLOW_DUPLICATE' : 'REJECT_DUPLICATE',
      typedSearchAttributes: [
        { key: OrderRefAttr, value: orderRef },
        { key: SiteAttr, value: site },
        ...(link?.material ? [{ key: MaterialAttr, value: link.material }] : []),
      ],
      ...(link?.memo || releasedAgain ? { memo: { ...link?.memo, ...(releasedAgain && { releasedAgain }) } } : {}),
      staticSummary: link?.summary ?? `Production order ${orderRef} at plant ${site}`,
    });
  }

  /** Validates the order here (bad input starts nothing), then releases it; `tuning` overrides the client's. */
  async release(
    order: ProductionOrderInput,
    link?: OrderLink,
    options: { tuning?: Partial<RetryTuning> } = {},
  ): Promise<ReleaseOrderAccepted> {
    const parsed = productionOrderSchema.safeParse(order);
    if (!parsed.success) throw PlantflowInputError.fromZod('order', parsed.error);
    const { site, orderRef } = parsed.data;
    return this.client.workflow.executeUpdateWithStart(releaseOrderUpdate, {
      args: [{ order: parsed.data }],
      startWorkflowOperation: this.startOperation(
        site,
        orderRef,
        link && { ...link, material: parsed.data.material },
        options.tuning ?? this.options.tuning,
        await this.releasableAgain(site, orderRef),
      ),
    });
  }

  /**
   * The order's last run when it ended without making the order (failed, terminated, timed out, cancelled
   * through Temporal, or ended aborted, release_failed or cancelled): a new release starts a new run that
   * links it. A running, completed or closed order's id is not reused.
   */
  private async releasableAgain(site: string, orderRef: string): Promise<PreviousRun | undefined> {
    const handle = this.handle(site, orderRef);
    let described;
    try {
      described = await handle.describe();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
    const previous = { workflowId: described.workflowId, runId: described.runId };
    const ended = await abnormalEnd(handle);
    if (ended) return { ...previous, end: ended.end, failure: ended.failure };
    const status = described.typedSearchAttributes.get(OrderStatusAttr);
    if (described.status.name === 'COMPLETED' && status && RELEASABLE_AGAIN.includes(status)) {
      return { ...previous, end: status };
    }
    return undefined;
  }

  /**
   * Reports one MES event. The update id is the event id with the payload's digest, so a resend of the
   * same event is answered once, and a resend with another payload reaches the order and is refused
   * (EventConflict). Refusals the exception record keeps are recorded before the caller hears of them.
   */
  async reportMesEvent(event: MesEventInput): Promise<MesEventResult> {
    const parsed = mesEventSchema.safeParse(event);
    if (!parsed.success) throw PlantflowInputError.fromZod('MES event', parsed.error);
    const e = parsed.data;
    try {
      return await this.client.workflow.executeUpdateWithStart(reportMesEventUpdate, {
        args: [e],
        updateId: `${e.eventId}:${mesEventDigest(e)}`,
        startWorkflowOperation: this.startOperation(e.site, e.correlation.orderRef),
      });
    } catch (err) {
      const refusal = mesRefusalOf(err, e.site, e.correlation.orderRef);
      if (!refusal) throw err;
      throw await recordRefusal(this.exceptions, mesExceptionReport(e, refusal, new Date()));
    }
  }

  /**
   * Reports events for one order in one call (up to 500); each gets its own outcome, and an impossible
   * one is refused alone. A stable update id (the first and last event ids) makes a resent batch answer once.
   */
  async reportMesEvents(events: MesEventInput[]): Promise<MesBatchResult[]> {
    const parsed = events.map((event, i) => {
      const result = mesEventSchema.safeParse(event);
      if (!result.success) throw PlantflowInputError.fromZod(`MES event ${i}`, result.error);
      return result.data;
    });
    if (parsed.length === 0) return [];
    const { site, correlation } = parsed[0]!;
    if (parsed.some((e) => e.site !== site || e.correlation.orderRef !== correlation.orderRef)) {
      throw new PlantflowInputError('a batch carries events of one order only', []);
    }
    const digest = recordHash(parsed.map(mesEventDigest)).slice(0, 16);
    let results: MesBatchResult[];
    try {
      results = await this.client.workflow.executeUpdateWithStart(reportMesEventsUpdate, {
        args: [parsed],
        updateId: `batch:${parsed[0]!.eventId}:${parsed[parsed.length - 1]!.eventId}:${parsed.length}:${digest}`,
        startWorkflowOperation: this.startOperation(site, correlation.orderRef),
      });
    } catch (err) {
      // The whole batch refused for the order's state: each event answered and recorded as alone.
      const refusal = mesRefusalOf(err, site, correlation.orderRef);
      if (!refusal) throw err;
      results = parsed.map((e) => ({
        outcome: 'rejected',
        eventId: e.eventId,
        code: refusal.code,
        reason: refusal.message,
      }));
    }
    const at = new Date();
    for (const [i, r] of results.entries()) {
      if (r.outcome !== 'rejected') continue;
      const refusal = mesRefusalOfCode(r.code, r.reason);
      if (refusal) await this.exceptions.report(mesExceptionReport(parsed[i]!, refusal, at));
    }
    return results;
  }

  handle(site: string, orderRef: string): WorkflowHandle<typeof productionOrder> {
    return this.client.workflow.getHandle<typeof productionOrder>(orderWorkflowId(site, orderRef));
  }

  /** The order's status; for a run Temporal ended (failed, terminated …), that end and its failure. */
  status(site: string, orderRef: string): Promise<OrderStatusReport> {
    const handle = this.handle(site, orderRef);
    return withRealEnd(handle, () => handle.query(orderStatusQuery));
  }

  /** Corrects the ERP references of an order whose master data check is parked, and retries the check. */
  async amend(
    site: string,
    orderRef: string,
    req: OrderAmendment,
  ): Promise<{ status: string; erp: ProductionOrder['erp'] }> {
    const parsed = orderAmendmentSchema.safeParse(req);
    if (!parsed.success) throw PlantflowInputError.fromZod('amendment', parsed.error);
    return this.handle(site, orderRef).executeUpdate(amendOrderUpdate, { args: [parsed.data] });
  }

  timeline(site: string, orderRef: string): Promise<TimelineEntry[]> {
    return this.handle(site, orderRef).query(orderTimelineQuery);
  }

  placeHold(site: string, orderRef: string, hold: HoldRequest): Promise<{ holds: number }> {
    return this.handle(site, orderRef).executeUpdate(placeOrderHoldUpdate, { args: [hold] });
  }

  liftHold(site: string, orderRef: string, req: LiftHoldRequest): Promise<{ holds: number }> {
    return this.handle(site, orderRef).executeUpdate(liftOrderHoldUpdate, { args: [req] });
  }

  complete(site: string, orderRef: string, req: CompleteOrderRequest): Promise<{ status: string }> {
    return this.handle(site, orderRef).executeUpdate(completeOrderUpdate, { args: [req] });
  }

  cancel(site: string, orderRef: string, req: CancelOrderRequest): Promise<{ status: string }> {
    return this.handle(site, orderRef).executeUpdate(cancelOrderUpdate, { args: [req] });
  }

  resolveParkedStep(
    site: string,
    orderRef: string,
    req: ResolveParkedStepRequest,
  ): Promise<{ step: string; action: string }> {
    return this.handle(site, orderRef).executeUpdate(resolveParkedStepUpdate, { args: [req] });
  }
}
