import Decimal from 'decimal.js';
import { z } from 'zod';
import type { Quantity } from '../../domain/quantity';
import { uom, uomFromOdoo } from '../../domain/uom';
import { businessRuleFailure } from '../shared/failures';
import { m2oId, m2oName, m2oSchema, type OdooClient } from './client';

/** Finding the records the verbs act on, and converting quantities between plantflow and Odoo. */
export const refuse = (message: string, extra: Record<string, unknown> = {}) =>
  businessRuleFailure(message, { system: 'odoo', ...extra });

export const productionSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    state: z.enum(['draft', 'confirmed', 'progress', 'to_close', 'done', 'cancel']),
    product_id: m2oSchema,
    product_qty: z.number(),
    product_uom_id: m2oSchema,
    qty_producing: z.number(),
    origin: z.union([z.string(), z.literal(false)]),
    move_raw_ids: z.array(z.number().int()),
    move_finished_ids: z.array(z.number().int()),
    workorder_ids: z.array(z.number().int()),
    backorder_sequence: z.number().int(),
  })
  .loose();
export type ProductionRecord = z.infer<typeof productionSchema>;

const PRODUCTION_FIELDS = Object.keys(productionSchema.shape);

export function productionFields(client: OdooClient): string[] {
  return [...PRODUCTION_FIELDS, client.traits.lotProducingField];
}

/** The MO by name, or — after a backorder split renamed it — by "<name>-001". */
export async function findProduction(client: OdooClient, moName: string): Promise<ProductionRecord | undefined> {
  for (const name of [moName, `${moName}-001`]) {
    const found = await client.searchOne(
      'mrp.production',
      [
        ['name', '=', name],
        ['company_id', '=', client.companyId],
      ],
      productionFields(client),
      productionSchema,
    );
    if (found) return found;
  }
  return undefined;
}

export async function requireProduction(client: OdooClient, moName: string): Promise<ProductionRecord> {
  const mo = await findProduction(client, moName);
  if (!mo) throw refuse(`Odoo has no manufacturing order ${moName}`, { moName });
  return mo;
}

const isOpen = (mo: ProductionRecord) => mo.state !== 'done' && mo.state !== 'cancel';

/**
 * The order's MO and the backorders split off it ("<name>-001", "-002", …), oldest first. Odoo keeps
 * one finished lot per MO, so an order that fills several lots lives on such a chain.
 */
export async function productionChain(client: OdooClient, moName: string): Promise<ProductionRecord[]> {
  const mo = await requireProduction(client, moName);
  if (!(mo.backorder_sequence > 0)) return [mo];
  const base = mo.name.replace(/-\d+$/, '');
  return client.searchRead(
    'mrp.production',
    [
      ['name', '=like', `${base}-%`],
      ['backorder_sequence', '>', 0],
      ['company_id', '=', client.companyId],
    ],
    productionFields(client),
    productionSchema,
    { order: 'backorder_sequence asc, id asc' },
  );
}

/** The MO of the chain that takes postings now (the latest open one), or — none open — the latest. */
export async function openProduction(client: OdooClient, moName: string): Promise<ProductionRecord> {
  const chain = await productionChain(client, moName);
  return [...chain].reverse().find(isOpen) ?? chain[chain.length - 1]!;
}

export function readProduction(client: OdooClient, id: number): Promise<ProductionRecord> {
  return client.readOne('mrp.production', id, productionFields(client), productionSchema);
}

/** The order must be confirmed and not finished to take postings. */
export function requireOpen(mo: ProductionRecord, what: string): void {
  if (!['confirmed', 'progress', 'to_close'].includes(mo.state)) {
    throw refuse(`Odoo manufacturing order ${mo.name} is ${mo.state}: cannot ${what}`, {
      moName: mo.name,
      state: mo.state,
    });
  }
}

export const productSchema = z
  .object({
    id: z.number().int(),
    default_code: z.union([z.string(), z.literal(false)]),
    uom_id: m2oSchema,
    tracking: z.enum(['serial', 'lot', 'none']),
  })
  .loose();
export type ProductRecord = z.infer<typeof productSchema>;
const PRODUCT_FIELDS = Object.keys(productSchema.shape);

export async function requireProduct(client: OdooClient, code: string): Promise<ProductRecord> {
  const product = await client.searchOne(
    'product.product',
    [['default_code', '=', code]],
    PRODUCT_FIELDS,
    productSchema,
  );
  if (!product) throw refuse(`Odoo has no product with internal reference ${code}`, { material: code });
  return product;
}

export function readProduct(client: OdooClient, id: number): Promise<ProductRecord> {
  return client.readOne('product.product', id, PRODUCT_FIELDS, productSchema);
}

export const lotSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    product_id: m2oSchema,
    location_id: m2oSchema,
    product_qty: z.number(),
  })
  .loose();
export type LotRecord = z.infer<typeof lotSchema>;
export const LOT_FIELDS = Object.keys(lotSchema.shape);

export function findLot(client: OdooClient, productId: number, name: string): Promise<LotRecord | undefined> {
  return client.searchOne(
    'stock.lot',
    [
      ['name', '=', name],
      ['product_id', '=', productId],
    ],
    LOT_FIELDS,
    lotSchema,
  );
}

export async function requireLot(client: OdooClient, product: ProductRecord, name: string): Promise<LotRecord> {
  const lot = await findLot(client, product.id, name);
  if (!lot) throw refuse(`Odoo has no lot ${name} of ${String(product.default_code)}`, { lot: name });
  return lot;
}

const locationSchema = z.object({ id: z.number().int(), complete_name: z.string() }).loose();

/** WH/Stock of the company's warehouse. */
export async function stockLocation(client: OdooClient): Promise<{ id: number; name: string }> {
  const wh = await client.searchOne(
    'stock.warehouse',
    [['company_id', '=', client.companyId]],
    ['lot_stock_id'],
    z.object({ lot_stock_id: m2oSchema }).loose(),
  );
  const id = wh && m2oId(wh.lot_stock_id);
  if (!wh || id === undefined) throw refuse(`Odoo company ${client.companyId} has no warehouse with a stock location`);
  return { id, name: m2oName(wh.lot_stock_id)! };
}

/**
 * The internal "Quarantine" location. It must sit outside WH/Stock: stock under WH/Stock is reserved by
 * every standard flow, which is exactly what a restricted lot must not be.
 */
export async function quarantineLocation(client: OdooClient): Promise<{ id: number; name: string }> {
  const stock = await stockLocation(client);
  const found = await client.searchOne(
    'stock.location',
    [
      ['usage', '=', 'internal'],
      ['name', '=', 'Quarantine'],
      '|',
      ['company_id', '=', client.companyId],
      ['company_id', '=', false],
    ],
    ['complete_name'],
    locationSchema,
  );
  if (!found)
    throw refuse(
      'Odoo has no internal location named "Quarantine": create one outside the stock location (e.g. WH/Quarantine)',
    );
  if (found.complete_name.startsWith(`${stock.name}/`)) {
    throw refuse(
      `Odoo location ${found.complete_name} lies inside ${stock.name}, where its stock would be reservable: move it outside`,
    );
  }
  return { id: found.id, name: found.complete_name };
}

export async function productionLocation(client: OdooClient): Promise<number> {
  const found = await client.searchOne(
    'stock.location',
    [['usage', '=', 'production'], '|', ['company_id', '=', client.companyId], ['company_id', '=', false]],
    ['complete_name'],
    locationSchema,
  );
  if (!found) throw refuse('Odoo has no production (virtual) location');
  return found.id;
}

/** A plantflow quantity as the JSON number Odoo takes, refusing a unit that is not the Odoo record's. */
export function toOdooQuantity(q: Quantity, odooUom: z.infer<typeof m2oSchema>, what: string): number {
  const name = m2oName(odooUom);
  if (uom(q.uom).odoo !== name)
    throw refuse(`${what} is kept in "${String(name)}" in Odoo, the quantity came in ${q.uom}`);
  return new Decimal(q.value).toNumber();
}

/** An Odoo float in its unit as a decimal-safe Quantity (rounded to the unit's decimals). */
export function fromOdooQuantity(value: number, odooUom: z.infer<typeof m2oSchema>): Quantity {
  const name = m2oName(odooUom) ?? '';
  const unit = uomFromOdoo(name);
  if (!unit) throw refuse(`Odoo unit of measure "${name}" has no mapping in domain/uom.ts`);
  return { value: new Decimal(value).toDecimalPlaces(unit.decimals).toFixed(), uom: unit.code };
}

export function sumQuantities(values: number[]): number {
  return values.reduce((acc, v) => acc.plus(v), new Decimal(0)).toNumber();
}
