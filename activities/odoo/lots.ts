import type { ApplicationFailure } from '@temporalio/common';
import { m2oId, m2oName, type OdooClient } from './client';
import { XMLID_MODULE, keyXmlid } from './keys';
import {
  findLot,
  fromOdooQuantity,
  LOT_FIELDS,
  lotSchema,
  quarantineLocation,
  refuse,
  requireLot,
  requireProduct,
  stockLocation,
  type LotRecord,
  type ProductRecord,
} from './lookup';
import type { OdooLotInput, OdooLotLocationResult, OdooLotResult } from './types';
import { z } from 'zod';

/**
 * Lots: find-or-create (stock.lot uniqueness is a Python check only, so a concurrent creation surfaces
 * as a "must be unique" ValidationError: the lot exists, search again), and the restricted status as a
 * location outside WH/Stock (17+: writing stock.lot.location_id relocates its quants).
 */
export async function ensureLot(
  client: OdooClient,
  product: ProductRecord,
  name: string,
): Promise<{ lot: LotRecord; created: boolean }> {
  if (product.tracking === 'none') throw refuse(`Odoo product ${String(product.default_code)} is not tracked by lots`);
  const existing = await findLot(client, product.id, name);
  if (existing) return { lot: existing, created: false };
  try {
    const id = await client.create('stock.lot', { name, product_id: product.id, company_id: client.companyId });
    return { lot: await client.readOne('stock.lot', id, LOT_FIELDS, lotSchema), created: true };
  } catch (err) {
    const failure = err as ApplicationFailure;
    const details = failure.details?.[0] as { code?: string } | undefined;
    if (details?.code === 'odoo.exceptions.ValidationError' && /unique/i.test(failure.message)) {
      const raced = await findLot(client, product.id, name);
      if (raced) return { lot: raced, created: false };
    }
    throw err;
  }
}

export async function findOrCreateLot(client: OdooClient, input: OdooLotInput): Promise<OdooLotResult> {
  const product = await requireProduct(client, input.material);
  const { lot, created } = await ensureLot(client, product, input.lot);
  return { lotId: lot.id, created };
}

async function relocate(
  client: OdooClient,
  input: OdooLotInput,
  direction: 'in' | 'out',
): Promise<OdooLotLocationResult> {
  const product = await requireProduct(client, input.material);
  const lot = await requireLot(client, product, input.lot);
  const quarantine = await quarantineLocation(client);
  const target = direction === 'in' ? quarantine : await stockLocation(client);
  const quantity = fromOdooQuantity(lot.product_qty, product.uom_id);
  const here = m2oId(lot.location_id);
  const result = (status: OdooLotLocationResult['status'], location: string | null) => ({
    status,
    lotId: lot.id,
    location,
    quantity,
  });
  if (here === target.id) return result('already_there', target.name);
  if (!(lot.product_qty > 0)) return result('no_stock', null);
  if (direction === 'out' && here !== quarantine.id)
    return result('not_in_quarantine', m2oName(lot.location_id) ?? null);
  await client.write('stock.lot', [lot.id], { location_id: target.id });
  const [after] = await client.read(
    'stock.lot',
    [lot.id],
    ['location_id'],
    z.object({ location_id: lotSchema.shape.location_id }).loose(),
  );
  if (!after || m2oId(after.location_id) !== target.id) {
    throw refuse(
      `Odoo did not move lot ${input.lot} to ${target.name} (it is in ${after ? String(m2oName(after.location_id)) : '?'})`,
    );
  }
  return result('moved', target.name);
}

/** Puts the lot's stock in the Quarantine location (restricted); a no-op when already there. */
export function moveLotToQuarantine(client: OdooClient, input: OdooLotInput): Promise<OdooLotLocationResult> {
  return relocate(client, input, 'in');
}

/** Back to WH/Stock (unrestricted), only from Quarantine. */
export function releaseLotFromQuarantine(client: OdooClient, input: OdooLotInput): Promise<OdooLotLocationResult> {
  return relocate(client, input, 'out');
}

/** The record a keyed write created, from its external id plantflow.pf_<hash>. */
/** Which of these records plantflow created under an idempotency key (an external id of its module). */
export async function keyedRecords(client: OdooClient, model: string, ids: number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await client.searchRead(
    'ir.model.data',
    [
      ['module', '=', XMLID_MODULE],
      ['model', '=', model],
      ['res_id', 'in', ids],
    ],
    ['res_id'],
    z.object({ res_id: z.number().int() }).loose(),
  );
  return new Set(rows.map((r) => r.res_id));
}

export async function recordOfKey(client: OdooClient, model: string, key: string): Promise<number | undefined> {
  const xmlid = keyXmlid(key);
  const found = await client.searchOne(
    'ir.model.data',
    [
      ['module', '=', xmlid.module],
      ['name', '=', xmlid.name],
      ['model', '=', model],
    ],
    ['res_id'],
    z.object({ res_id: z.number().int() }).loose(),
  );
  return found?.res_id;
}
