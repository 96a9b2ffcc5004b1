import { z } from 'zod';
import type { Quantity } from '../../domain/quantity';
import { m2oId, type OdooClient } from './client';
import { keyMarker } from './keys';
import { requireProduct, toOdooQuantity } from './lookup';

/**
 * Rework manufacturing orders for nonconformances: find-or-create an mrp.production whose `origin`
 * carries the idempotency key's marker (Odoo explodes the product's BoM and routing at create), left in
 * draft for the rework order workflow to confirm like any released order.
 */
export interface OdooCreateReworkOrderInput {
  idempotencyKey: string;
  /** default_code of the product reworked. */
  material: string;
  quantity: Quantity;
  /** Human reference written before the marker in `origin`, e.g. "NCR-… rework PO-1001-RW1". */
  reference: string;
}

export interface OdooCreateReworkOrderResult {
  moName: string;
  moId: number;
  state: string;
  created: boolean;
}

const moSchema = z.object({ id: z.number().int(), name: z.string(), state: z.string() }).loose();

export async function createReworkOrder(
  client: OdooClient,
  input: OdooCreateReworkOrderInput,
): Promise<OdooCreateReworkOrderResult> {
  const marker = keyMarker(input.idempotencyKey);
  const find = () =>
    client.searchOne(
      'mrp.production',
      [
        ['origin', 'ilike', marker],
        ['company_id', '=', client.companyId],
      ],
      ['name', 'state'],
      moSchema,
    );
  const existing = await find();
  if (existing) return { moName: existing.name, moId: existing.id, state: existing.state, created: false };
  const product = await requireProduct(client, input.material);
  const id = await client.create('mrp.production', {
    product_id: product.id,
    product_qty: toOdooQuantity(input.quantity, product.uom_id, input.material),
    product_uom_id: m2oId(product.uom_id),
    origin: `${input.reference.slice(0, 120)} ${marker}`,
    company_id: client.companyId,
  });
  const mo = await client.readOne('mrp.production', id, ['name', 'state'], moSchema);
  return { moName: mo.name, moId: mo.id, state: mo.state, created: true };
}
