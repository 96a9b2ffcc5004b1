import { z } from 'zod';
import type { ProductionReading } from '../../domain/reconciliation';
import type { OdooClient } from './client';
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
