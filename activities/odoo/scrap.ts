import { z } from 'zod';
import { m2oId, type OdooClient } from './client';
import { keyMarker } from './keys';
import {
  productionLocation,
  quarantineLocation,
  refuse,
  requireLot,
  requireProduct,
  requireProduction,
  stockLocation,
  toOdooQuantity,
  type LotRecord,
  type ProductRecord,
  type ProductionRecord,
} from './lookup';
import { producingLots } from './manufacturing-order';
import type { OdooScrapInput, OdooScrapLocationKind, OdooScrapLotInput, OdooScrapResult } from './types';

/**
 * stock.scrap: created with the key's marker in `origin` (searched before creating, so a retry finds
 * it, even a draft one left by a lost answer) then validated. Odoo answers action_validate with its
 * insufficient-quantity wizard when the location holds too little: a distinct outcome, not an error.
 */
const scrapSchema = z.object({ id: z.number().int(), name: z.string(), state: z.enum(['draft', 'done']) }).loose();
type ScrapRecord = z.infer<typeof scrapSchema>;

interface ScrapPlan {
  key: string;
  product: ProductRecord;
  lot: LotRecord | undefined;
  quantity: number;
  locationId: number;
  /** A virtual location holds no quants: Odoo's availability check makes no sense there. */
  skipAvailabilityCheck: boolean;
  production?: ProductionRecord;
}

async function findScrap(client: OdooClient, marker: string): Promise<ScrapRecord | undefined> {
  return client.searchOne(
    'stock.scrap',
    [
      ['origin', 'ilike', marker],
      ['company_id', '=', client.companyId],
    ],
    ['name', 'state'],
    scrapSchema,
  );
}

async function readScrap(client: OdooClient, id: number): Promise<ScrapRecord> {
  return client.readOne('stock.scrap', id, ['name', 'state'], scrapSchema);
}

async function executeScrap(client: OdooClient, plan: ScrapPlan): Promise<OdooScrapResult> {
  const marker = keyMarker(plan.key);
  let scrap = await findScrap(client, marker);
  const created = !scrap;
  if (scrap?.state === 'done') return { status: 'done', scrapId: scrap.id, scrapName: scrap.name, created: false };
  if (!scrap) {
    const id = await client.create('stock.scrap', {
      product_id: plan.product.id,
      product_uom_id: m2oId(plan.product.uom_id),
      scrap_qty: plan.quantity,
      lot_id: plan.lot?.id ?? false,
      location_id: plan.locationId,
      production_id: plan.production?.id ?? false,
      origin: plan.production ? `${plan.production.name} ${marker}` : marker,
      company_id: client.companyId,
    });
    scrap = await readScrap(client, id);
  }
  const answer = await client.call('stock.scrap', plan.skipAvailabilityCheck ? 'do_scrap' : 'action_validate', {
    ids: [scrap.id],
  });
  const after = await readScrap(client, scrap.id);
  if (after.state === 'done') return { status: 'done', scrapId: after.id, scrapName: after.name, created };
  const wizard = z.object({ res_model: z.string() }).loose().safeParse(answer);
  if (wizard.success && wizard.data.res_model === 'stock.warn.insufficient.qty.scrap') {
    return { status: 'insufficient_quantity', scrapId: after.id, scrapName: after.name, created };
  }
  throw refuse(
    `Odoo left scrap ${after.name} in state ${after.state} (answer ${JSON.stringify(answer).slice(0, 120)})`,
  );
}

async function locationOf(client: OdooClient, kind: OdooScrapLocationKind): Promise<number> {
  if (kind === 'production') return productionLocation(client);
  return kind === 'quarantine' ? (await quarantineLocation(client)).id : (await stockLocation(client)).id;
}

export async function scrap(client: OdooClient, input: OdooScrapInput): Promise<OdooScrapResult> {
  const existing = await findScrap(client, keyMarker(input.idempotencyKey));
  if (existing?.state === 'done')
    return { status: 'done', scrapId: existing.id, scrapName: existing.name, created: false };
  const product = await requireProduct(client, input.product);
  const production = input.moName ? await requireProduction(client, input.moName) : undefined;
  const ownProduct = production !== undefined && m2oId(production.product_id) === product.id;
  const kind = input.locationKind ?? (ownProduct ? 'production' : 'stock');
  let lot = input.lot ? await requireLot(client, product, input.lot) : undefined;
  if (!lot && product.tracking !== 'none') {
    // A tracked product can only be scrapped with its lot: the order's producing lot when it has one.
    const lots = production && ownProduct ? await producingLots(client, production) : [];
    if (lots.length !== 1) {
      throw refuse(
        `Odoo needs the lot of ${input.product} to scrap it${production ? ` (order ${production.name} produces ${lots.length} lots)` : ''}`,
      );
    }
    lot = await requireLot(client, product, lots[0]!);
  }
  return executeScrap(client, {
    key: input.idempotencyKey,
    product,
    lot,
    quantity: toOdooQuantity(input.quantity, product.uom_id, input.product),
    locationId: await locationOf(client, kind),
    skipAvailabilityCheck: kind === 'production',
    production,
  });
}

/** Scraps a rejected lot where it lies (Quarantine, normally), all of it unless a quantity is given. */
export async function scrapLot(client: OdooClient, input: OdooScrapLotInput): Promise<OdooScrapResult> {
  const existing = await findScrap(client, keyMarker(input.idempotencyKey));
  if (existing?.state === 'done')
    return { status: 'done', scrapId: existing.id, scrapName: existing.name, created: false };
  const product = await requireProduct(client, input.material);
  const lot = await requireLot(client, product, input.lot);
  const locationId = m2oId(lot.location_id);
  if (locationId === undefined) {
    throw refuse(
      lot.product_qty > 0
        ? `Odoo lot ${input.lot} lies in several locations: scrap it per location`
        : `Odoo lot ${input.lot} holds no stock to scrap`,
    );
  }
  const quantity = input.quantity ? toOdooQuantity(input.quantity, product.uom_id, input.material) : lot.product_qty;
  return executeScrap(client, {
    key: input.idempotencyKey,
    product,
    lot,
    quantity,
    locationId,
    skipAvailabilityCheck: false,
  });
}
