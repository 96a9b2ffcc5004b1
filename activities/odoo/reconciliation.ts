import { z } from 'zod';
import type { OdooLotReading, ProductionReading } from '../../domain/reconciliation';
import { m2oId, m2oName, m2oSchema, type OdooClient } from './client';
import { LOT_FIELDS, lotSchema, quarantineLocation, stockLocation } from './lookup';
import { businessRuleFailure } from '../shared/failures';

/** Reconciliation's read of Odoo: one search_read for a chunk of MOs (one activity on the rate-limited queue). */
export const MAX_MOS_PER_READ = 200;

export const readProductionsInput = z.object({
  names: z.array(z.string().min(1)).max(MAX_MOS_PER_READ),
});
export type OdooReadProductionsInput = z.infer<typeof readProductionsInput>;

const productionRow = z.object({ name: z.string(), state: z.string() });

/** The state of each named MO; an MO Odoo does not hold is left out (reconciliation reports nothing for it). */
export async function readProductions(
  client: OdooClient,
  input: OdooReadProductionsInput,
): Promise<ProductionReading[]> {
  const parsed = readProductionsInput.safeParse(input);
  if (!parsed.success) throw businessRuleFailure(`odooReadProductions: ${parsed.error.message}`, { system: 'odoo' });
  const { names } = parsed.data;
  if (names.length === 0) return [];
  const rows = await client.searchRead('mrp.production', [['name', 'in', names]], ['name', 'state'], productionRow, {
    limit: names.length,
  });
  return rows.map((r) => ({ name: r.name, state: r.state }));
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
