import { patched } from '@temporalio/workflow';
import { idempotencyKey } from '../../domain/ids';
import { reworkDeviationNcr } from '../../domain/ncr-deviation';
import { withSummary, type SystemActivities } from '../shared/activities';
import type { ProductionOrder } from '../../domain/order';
import { closeMoOfOtherLot } from './odoo-mo';
import type { AnyPostingRequest } from './state';

export interface PostingContext {
  workflowId: string;
  order: ProductionOrder;
  acts: SystemActivities;
  /** People recorded as executing the order's steps (separation of duties at lot release). */
  executors: () => string[];
  /** An Odoo MO was marked done with its lot so the next lot could go on a backorder. */
  onOdooLotClosed: (closed: { lot: string; moName: string; backorder?: string }) => Promise<void>;
}

/** Turns one queued posting into the activity call that performs it, with its idempotency key. */
export async function performPosting(ctx: PostingContext, p: AnyPostingRequest): Promise<void> {
  const { odoo, sap, mes, plantflow } = ctx.acts;
  const key = idempotencyKey(ctx.workflowId, p.step);
  const moName = ctx.order.erp.odooMo;
  const sapOrder = ctx.order.erp.sapOrder;
  const site = ctx.order.site;
  switch (p.kind) {
    case 'startWorkorder':
      await withSummary(odoo.odooStartWorkorder, p.summary, { moName, operation: p.operation });
      return;
    case 'finishWorkorder':
      await withSummary(odoo.odooFinishWorkorder, p.summary, { moName, operation: p.operation, quantity: p.quantity });
      return;
    case 'consumption':
      await withSummary(odoo.odooRecordConsumption, p.summary, {
        moName,
        component: p.material,
        lot: p.lotId,
        quantity: p.quantity,
        idempotencyKey: key,
        eventAt: p.eventAt,
      });
      return;
    case 'production': {
      // Added after orders were already running: one finished lot per Odoo MO (see odoo-mo.ts).
      const closed = patched('odoo-one-lot-per-mo') ? await closeMoOfOtherLot(ctx, p.lotId) : undefined;
      if (closed) await ctx.onOdooLotClosed(closed);
      await withSummary(odoo.odooRecordProduction, p.summary, {
        moName,
        lot: p.lotId,
        quantity: p.quantity,
        idempotencyKey: key,
        eventAt: p.eventAt,
      });
      return;
    }
    case 'confirmation':
      await withSummary(sap.sapPostConfirmation, p.summary, {
        order: sapOrder,
        operation: p.operation,
        yield: p.yield,
        scrap: p.scrap,
        rework: p.rework,
        final: p.final,
        postingDate: p.postingDate,
        idempotencyKey: key,
        eventAt: p.eventAt,
      });
      return;
    case 'goodsIssue':
    case 'goodsReceipt':
      await withSummary(sap.sapPostGoodsMovement, p.summary, {
        movementType: p.kind === 'goodsIssue' ? '261' : '101',
        material: p.material,
        plant: site,
        batch: p.lotId,
        quantity: p.quantity,
        order: sapOrder,
        postingDate: p.postingDate,
        idempotencyKey: key,
        eventAt: p.eventAt,
      });
      return;
    case 'registerLot':
      await withSummary(plantflow.plantflowRegisterLot, p.summary, {
        material: p.material,
        lotId: p.lotId,
        site,
        quantity: p.quantity,
        parents: p.parents,
        producedAt: p.producedAt,
        producedBy: { orderRef: ctx.order.orderRef, orderWorkflowId: ctx.workflowId },
        executors: ctx.executors(),
        sourceEventId: p.eventId,
      });
      return;
    case 'openNcr':
      // Added after orders were already running: a run replaying a rework reported before it opens none.
      if (!patched('open-ncr-on-rework')) return;
      await withSummary(plantflow.plantflowOpenNcr, p.summary, {
        start: reworkDeviationNcr(ctx.order, {
          eventId: p.eventId,
          operation: p.operation,
          quantity: p.quantity,
          raisedBy: p.raisedBy,
          effectiveAt: p.effectiveAt,
        }),
      });
      return;
    case 'hold':
      await withSummary(mes.mesHoldOrder, p.summary, {
        site,
        orderRef: ctx.order.orderRef,
        holdId: p.holdId,
        reason: p.reason,
      });
      return;
    case 'resume':
      await withSummary(mes.mesResumeOrder, p.summary, { site, orderRef: ctx.order.orderRef, holdId: p.holdId });
      return;
  }
}
