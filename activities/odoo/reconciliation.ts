import { z } from 'zod';
import type { OdooLotReading, ProductionReading } from '../../domain/reconciliation';
import { m2oId, m2oName, m2oSchema, type OdooClient } from './client';
import { fromOdooQuantity, LOT_FIELDS, lotSchema, quarantineLocation, stockLocation, sumQuantities } from './lookup';
import { businessRuleFailure } from '../shared/failures';

/** Reconciliation's read of Odoo: one search_read for a chunk of MOs (one activity on the rate-limited queue). */
export const MAX_MOS_PER_READ = 200;

export const readProductionsInput = z.object({
  names: z.array(z.string().min(1)).max(MAX_MOS_PER_READ),
});
export type OdooReadProductionsInput = z.infer<typeof readProductionsInput>;

const productionRow = z
  .object({
    name: z.string(),
    state: z.string(),
    qty_produced: z.number(),
    product_uom_id: m2oSchema,
    backorder_sequence: z.number().int(),
  })
  .loose();
type ProductionRow = z.infer<typeof productionRow>;

/**
 * Each named MO with its backorders (Odoo renames a split MO "<name>-001" and numbers the backorders on):
 * one search_read. The reading's state is the chain's latest open MO (or its latest), as postings see it;
 * its produced quantity is the chain's done quantity, given once every MO is done or cancelled (an open
 * MO's quantity is Odoo's proposal, not a count). A name Odoo does not hold is left out.
 */
export async function readProductions(
  client: OdooClient,
  input: OdooReadProductionsInput,
): Promise<ProductionReading[]> {
  const parsed = readProductionsInput.safeParse(input);
  if (!parsed.success) throw businessRuleFailure(`odooReadProductions: ${parsed.error.message}`, { system: 'odoo' });
  const { names } = parsed.data;
  if (names.length === 0) return [];
  const backorders = names.map((n) => ['name', '=like', `${n}-%`]);
  const domain = [...names.map(() => '|'), ['name', 'in', names], ...backorders];
  const rows = await client.searchRead('mrp.production', domain, Object.keys(productionRow.shape), productionRow, {
    order: 'backorder_sequence asc, id asc',
  });
  return names.flatMap((name): ProductionReading[] => {
    const chain = rows.filter((r) => r.name === name || (r.backorder_sequence > 0 && r.name.startsWith(`${name}-`)));
    if (chain.length === 0) return [];
    const current = [...chain].reverse().find(isOpen) ?? chain[chain.length - 1]!;
    return [{ name, state: current.state, ...(chain.some(isOpen) ? {} : { produced: doneQuantity(chain) }) }];
  });
}

const isOpen = (mo: ProductionRow) => mo.state !== 'done' && mo.state !== 'cancel';

function doneQuantity(chain: ProductionRow[]) {
  const done = chain.filter((mo) => mo.state === 'done');
  return fromOdooQuantity(sumQuantities(done.map((mo) => mo.qty_produced)), (done[0] ?? chain[0]!).product_uom_id);
}

export const MAX_LOTS_PER_READ = 40;

export const readLotLocationsInput = z.object({
  lots: z.array(z.object({ material: z.string().min(1), lot: z.string().min(1) }).strict()).max(MAX_LOTS_PER_READ),
});
export type OdooReadLotLocationsInput = z.infer<typeof readLotLocationsInput>;

const productRow = z.object({ id: z.number().int(), default_code: z.union([z.string(), z.literal(false)]) }).loose();
const moveLineRow = z.object({ id: z.number().int(), lot_id: m2oSchema }).loose();

/**
 * Where Odoo holds each lot's stock: the products, the lots and their done move lines in three search_reads
 * (plus the Quarantine and stock locations), one rate-limited activity for up to 40 lots.
 */
export async function readLotLocations(
  client: OdooClient,
  input: OdooReadLotLocationsInput,
): Promise<OdooLotReading[]> {
  const parsed = readLotLocationsInput.safeParse(input);
  if (!parsed.success) throw businessRuleFailure(`odooReadLotLocations: ${parsed.error.message}`, { system: 'odoo' });
  const { lots } = parsed.data;
  if (lots.length === 0) return [];
  const codes = [...new Set(lots.map((l) => l.material))];
  const products = await client.searchRead(
    'product.product',
    [['default_code', 'in', codes]],
    ['default_code'],
    productRow,
  );
  const productOf = new Map(products.map((p) => [String(p.default_code), p.id]));
  const codeOf = new Map(products.map((p) => [p.id, String(p.default_code)]));
  const names = [...new Set(lots.map((l) => l.lot))];
  const rows =
    products.length === 0
      ? []
      : await client.searchRead(
          'stock.lot',
          [
            ['name', 'in', names],
            ['product_id', 'in', products.map((p) => p.id)],
          ],
          LOT_FIELDS,
          lotSchema,
        );
  const quarantine = await quarantineLocation(client);
  const stock = await stockLocation(client);
  const lines =
    rows.length === 0
      ? []
      : await client.searchRead(
          'stock.move.line',
          [
            ['lot_id', 'in', rows.map((r) => r.id)],
            ['state', '=', 'done'],
          ],
          ['lot_id'],
          moveLineRow,
        );
  const lastLine = new Map<number, number>();
  for (const line of lines) {
    const lot = m2oId(line.lot_id);
    if (lot !== undefined) lastLine.set(lot, Math.max(lastLine.get(lot) ?? 0, line.id));
  }
  const found = new Map(rows.map((r) => [`${codeOf.get(m2oId(r.product_id) ?? -1) ?? ''}:${r.name}`, r]));
  return lots.map(({ material, lot }) => {
    const row = productOf.has(material) ? found.get(`${material}:${lot}`) : undefined;
    if (!row) return { material, lot, place: 'missing', location: null, lastMoveLine: null };
    const at = m2oId(row.location_id);
    const place: OdooLotReading['place'] = !(row.product_qty > 0)
      ? 'none'
      : at === undefined
        ? 'split'
        : at === quarantine.id
          ? 'quarantine'
          : at === stock.id
            ? 'stock'
            : 'elsewhere';
    return {
      material,
      lot,
      place,
      location: at === undefined ? null : (m2oName(row.location_id) ?? null),
      lastMoveLine: lastLine.get(row.id) ?? null,
    };
  });
}
