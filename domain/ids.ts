import { z } from 'zod';
import type { Quantity } from './quantity';

// Business ids are workflow ids (docs/architecture.md §2): one run per order, lot and nonconformance.

/** A plant (site) code, as SAP plants and the task queues name it. */
export const siteSchema = z.string().regex(/^[A-Za-z0-9_-]{1,20}$/, 'site codes are letters, digits, - and _');

/** The name of a plant edge (PLANTFLOW_EDGE_ID), part of its record's workflow id. */
export const edgeIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits and . _ - only, at most 64 characters');

const SAFE = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/;

export const businessRefSchemaPattern = SAFE;

export function orderWorkflowId(site: string, orderRef: string): string {
  return `order:${site}:${orderRef}`;
}

export function lotWorkflowId(material: string, lotId: string): string {
  return `lot:${material}:${lotId}`;
}

export function ncrWorkflowId(ncrId: string): string {
  return `ncr:${ncrId}`;
}

/** The central site's record of one plant edge. */
export function edgeWorkflowId(site: string, edgeId: string): string {
  return `edge:${site}:${edgeId}`;
}

/** A signer's security record (failed re-authentications, lockout). */
export function signerWorkflowId(userId: string): string {
  return `signer:${userId}`;
}

/** A site's business-exception record. */
export function exceptionsWorkflowId(site: string): string {
  return `exceptions:${site}`;
}

/**
 * Idempotency key of one external write: the workflow id plus the step or source event that caused it.
 * The same key on a retried activity finds the record the first attempt created.
 */
export function idempotencyKey(workflowId: string, step: string): string {
  return `${workflowId}/${step}`;
}

/** How a lot is named across materials: the value of the ParentLots keyword-list search attribute. */
export function lotKey(material: string, lotId: string): string {
  return `${material}:${lotId}`;
}

/**
 * Lot ids are SAP batch numbers too (CHARG): 1–10 characters, upper-case letters, digits, `-` and `_`,
 * never starting with `-` or `_`. One id then names the lot in Odoo, SAP, the QMS and the MES.
 */
const LOT_ID = /^[A-Z0-9][A-Z0-9_-]{0,9}$/;

export function isLotId(value: string): boolean {
  return LOT_ID.test(value);
}

export const lotIdSchema = z
  .string()
  .regex(LOT_ID, 'lot ids are SAP batch numbers: 1–10 upper-case letters, digits, - or _, not starting with - or _');

/** A quantity of one lot of one material (consumed, produced, a parent of a lot). */
export interface LotQuantity {
  material: string;
  lotId: string;
  quantity: Quantity;
}
