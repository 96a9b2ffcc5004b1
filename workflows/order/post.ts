import { patched } from '@temporalio/workflow';
import { idempotencyKey } from '../../domain/ids';
import { reworkDeviationNcr } from '../../domain/ncr-deviation';
import { withSummary, type SystemActivities } from '../shared/activities';
import type { ProductionOrder } from '../../domain/order';
import { closeMoOfOtherLot } from './odoo-mo';
import type { AnyPostingRequest } from './state';

type Posting<K extends AnyPostingRequest['kind']> = Extract<AnyPostingRequest, { kind: K }>;

/** Postings of one system that travel together in one activity when several are queued (see pipeline.ts). */
export const BATCHED_KINDS: ReadonlyArray<AnyPostingRequest['kind']> = [
  'consumption',
  'confirmation',
  'goodsIssue',
  'goodsReceipt',
];

function consumptionInput(ctx: PostingContext, p: Posting<'consumption'>) {
  return {
    moName: ctx.order.erp.odooMo,
    component: p.material,
    lot: p.lotId,
    quantity: p.quantity,
    idempotencyKey: idempotencyKey(ctx.workflowId, p.step),
    eventAt: p.eventAt,
  };
}

function confirmationInput(ctx: PostingContext, p: Posting<'confirmation'>) {
  return {
    order: ctx.order.erp.sapOrder,
    operation: p.operation,
    yield: p.yield,
    scrap: p.scrap,
    rework: p.rework,
    final: p.final,
    postingDate: p.postingDate,
    idempotencyKey: idempotencyKey(ctx.workflowId, p.step),
    eventAt: p.eventAt,
  };
}

function goodsMovementInput(ctx: PostingContext, p: Posting<'goodsIssue' | 'goodsReceipt'>) {
  return {
    movementType: p.kind === 'goodsIssue' ? ('261' as const) : ('101' as const),
    material: p.material,
    plant: ctx.order.site,
    batch: p.lotId,
    quantity: p.quantity,
    order: ctx.order.erp.sapOrder,
    postingDate: p.postingDate,
    idempotencyKey: idempotencyKey(ctx.workflowId, p.step),
    eventAt: p.eventAt,
  };
}

/**
 * Several queued postings of one system in one activity call (same inputs and idempotency keys as one by
 * one). Only kinds in BATCHED_KINDS of one system come here; anything else is a programming error.
 */
export async function performPostingBatch(ctx: PostingContext, batch: AnyPostingRequest[]): Promise<void> {
  const system = batch[0]!.system;
  const summary = `${batch.length} postings: ${batch.map((p) => p.summary).join('; ')}`;
  if (system === 'odoo') {
    const consumptions = batch.map((p) => {
      if (p.kind !== 'consumption') throw new Error(`${p.kind} is not posted in an Odoo batch`);
      return consumptionInput(ctx, p);
    });
    await withSummary(ctx.acts.odoo.odooRecordConsumptions, summary, { consumptions });
    return;
  }
  const postings = batch.map((p) => {
    if (p.kind === 'confirmation') return { kind: 'confirmation' as const, confirmation: confirmationInput(ctx, p) };
    if (p.kind === 'goodsIssue' || p.kind === 'goodsReceipt')
      return { kind: 'goodsMovement' as const, goodsMovement: goodsMovementInput(ctx, p) };
    throw new Error(`${p.kind} is not posted in an SAP batch`);
  });
  await withSummary(ctx.acts.sap.sapPostBatch, summary, { postings });
}

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
  const site = ctx.order.site;
  switch (p.kind) {
    case 'startWorkorder':
      await withSummary(odoo.odooStartWorkorder, p.summary, { moName, operation: p.operation });
      return;
    case 'finishWorkorder':
      await withSummary(odoo.odooFinishWorkorder, p.summary, { moName, operation: p.operation, quantity: p.quantity });
      return;
    case 'consumption':
      await withSummary(odoo.odooRecordConsumption, p.summary, consumptionInput(ctx, p));
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
      await withSummary(sap.sapPostConfirmation, p.summary, confirmationInput(ctx, p));
      return;
    case 'goodsIssue':
    case 'goodsReceipt':
      await withSummary(sap.sapPostGoodsMovement, p.summary, goodsMovementInput(ctx, p));
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
