import { z } from 'zod';
import type { OdooClient } from './client';
import { m2oId, m2oSchema } from './client';
import { openProduction, readProduct, refuse, toOdooQuantity, type ProductionRecord } from './lookup';
import type { OdooFinishWorkorderInput, OdooWorkorderInput, OdooWorkorderResult } from './types';

/**
 * Work orders by plant operation code. Mapping (documented in docs/odoo-simulator.md): a leading
 * 4-digit code in the routing operation's name ("0010 Assemble…") wins; otherwise the operation's
 * sequence, zero-padded to 4 digits (sequence 10 ↔ SAP operation 0010).
 */
export function operationCode(name: string, sequence: number | undefined): string {
  const prefixed = /^(\d{4})(?:\D|$)/.exec(name.trim());
  if (prefixed) return prefixed[1]!;
  return sequence === undefined ? '' : String(sequence).padStart(4, '0');
}

const workorderSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    state: z.string(),
    operation_id: m2oSchema,
    qty_produced: z.number(),
  })
  .loose();

export interface WorkorderRecord {
  id: number;
  name: string;
  state: string;
  operation: string;
  qtyProduced: number;
}

export async function readWorkorders(client: OdooClient, mo: ProductionRecord): Promise<WorkorderRecord[]> {
  const rows = await client.read(
    'mrp.workorder',
    mo.workorder_ids,
    Object.keys(workorderSchema.shape),
    workorderSchema,
  );
  for (const row of rows) {
    if (!client.traits.workorderStates.includes(row.state)) {
      throw refuse(
        `Odoo work order ${row.name} is in state "${row.state}", unknown to Odoo ${client.traits.version}: check PLANTFLOW_ODOO_VERSION`,
      );
    }
  }
  const opIds = [...new Set(rows.map((r) => m2oId(r.operation_id)).filter((id): id is number => id !== undefined))];
  const ops = await client.read(
    'mrp.routing.workcenter',
    opIds,
    ['name', 'sequence'],
    z.object({ id: z.number(), name: z.string(), sequence: z.number() }).loose(),
  );
  const byId = new Map(ops.map((o) => [o.id, o]));
  return rows.map((row) => {
    const op = byId.get(m2oId(row.operation_id) ?? -1);
    return {
      id: row.id,
      name: row.name,
      state: row.state,
      operation: operationCode(op?.name ?? row.name, op?.sequence),
      qtyProduced: row.qty_produced,
    };
  });
}

async function requireWorkorder(
  client: OdooClient,
  input: OdooWorkorderInput,
): Promise<{ mo: ProductionRecord; wo: WorkorderRecord }> {
  // Work orders of the MO that takes postings now: after a lot change that is the backorder.
  const mo = await openProduction(client, input.moName);
  const all = await readWorkorders(client, mo);
  const wo = all.find((w) => w.operation === input.operation);
  if (!wo) {
    throw refuse(
      `Odoo manufacturing order ${mo.name} has no work order for operation ${input.operation} (it has ${all.map((w) => w.operation).join(', ') || 'none'})`,
      {
        moName: mo.name,
      },
    );
  }
  return { mo, wo };
}

async function reread(client: OdooClient, id: number): Promise<string> {
  const [row] = await client.read('mrp.workorder', [id], ['state'], z.object({ state: z.string() }).loose());
  return row?.state ?? 'unknown';
}

/** button_start, guarded by state (it returns None, so the state is read back). */
export async function startWorkorder(client: OdooClient, input: OdooWorkorderInput): Promise<OdooWorkorderResult> {
  const { mo, wo } = await requireWorkorder(client, input);
  const base = { moName: mo.name, operation: input.operation, workorderId: wo.id };
  if (wo.state === 'progress' || wo.state === 'done') return { ...base, state: wo.state, changed: false };
  if (wo.state === 'cancel') throw refuse(`Odoo work order ${wo.name} of ${mo.name} is cancelled`, { moName: mo.name });
  await client.call('mrp.workorder', 'button_start', { ids: [wo.id] });
  return { ...base, state: await reread(client, wo.id), changed: true };
}

/**
 * button_finish. Odoo picks every component of the operation nobody picked with its BoM quantity, so
 * actual consumption must be posted before; the reported quantity is kept as the work order's output.
 */
export async function finishWorkorder(
  client: OdooClient,
  input: OdooFinishWorkorderInput,
): Promise<OdooWorkorderResult> {
  const { mo, wo } = await requireWorkorder(client, input);
  const base = { moName: mo.name, operation: input.operation, workorderId: wo.id };
  if (wo.state === 'done') return { ...base, state: wo.state, changed: false };
  if (wo.state === 'cancel') throw refuse(`Odoo work order ${wo.name} of ${mo.name} is cancelled`, { moName: mo.name });
  const product = await readProduct(client, m2oId(mo.product_id)!);
  const quantity = toOdooQuantity(input.quantity, product.uom_id, `${String(product.default_code)}`);
  if (wo.qtyProduced !== quantity) await client.write('mrp.workorder', [wo.id], { qty_produced: quantity });
  await client.call('mrp.workorder', 'button_finish', { ids: [wo.id] });
  return { ...base, state: await reread(client, wo.id), changed: true };
}
