import { WithStartWorkflowOperation, type Client, type WorkflowHandle } from '@temporalio/client';
import { mesEventDigest, mesEventSchema, type MesEventInput } from '../domain/events';
import { recordHash } from '../domain/signature';
import { orderWorkflowId } from '../domain/ids';
import { productionOrderSchema, type ProductionOrderInput } from '../domain/order';
import type { HoldRequest, LiftHoldRequest } from '../domain/notices';
import type { RetryTuning } from '../domain/tuning';
import { resolveParkedStepUpdate, type ResolveParkedStepRequest } from '../workflows/messages/shared';
import {
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
import { MaterialAttr, OrderRefAttr, SiteAttr } from '../workflows/search-attributes';
import { TaskQueue } from '../workflows/task-queues';
import { PlantflowInputError } from './errors';
import { ExceptionsClient } from './exceptions';
import { mesExceptionReport, mesRefusalOf, mesRefusalOfCode, recordRefusal } from './refusals';

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
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [
        { key: OrderRefAttr, value: orderRef },
        { key: SiteAttr, value: site },
        ...(link?.material ? [{ key: MaterialAttr, value: link.material }] : []),
      ],
      ...(link?.memo ? { memo: link.memo } : {}),
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
    return this.client.workflow.executeUpdateWithStart(releaseOrderUpdate, {
      args: [{ order: parsed.data }],
      startWorkflowOperation: this.startOperation(
        parsed.data.site,
        parsed.data.orderRef,
        link && { ...link, material: parsed.data.material },
        options.tuning ?? this.options.tuning,
      ),
    });
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

  status(site: string, orderRef: string): Promise<OrderStatusView> {
    return this.handle(site, orderRef).query(orderStatusQuery);
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
