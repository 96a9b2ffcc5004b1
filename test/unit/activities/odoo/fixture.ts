import assert from 'node:assert/strict';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { createOdooActivities } from '../../../../activities/odoo/activities';
import { OdooClient, type OdooConnection } from '../../../../activities/odoo/client';
import type { Quantity } from '../../../../domain/quantity';
import { createOdooSimulator, type OdooSimulator, type OdooVersion } from '../../../../simulators/odoo';
import type { Env } from '../../../../simulators/odoo/orm/env';
import type { FaultPlanInput } from '../../../../simulators/shared/faults';

/** A simulator of one version plus the activities pointed at it; reset before every test. */
export interface OdooFixture {
  version: OdooVersion;
  sim: OdooSimulator;
  deps: OdooConnection;
  acts: ReturnType<typeof createOdooActivities>;
  client: OdooClient;
  /** The simulator's database as Odoo would see it now. */
  db(): Env;
  /** Applied writes of one journal operation, e.g. 'stock.move.line.load'. */
  applied(operation: string): number;
  faults(plan: FaultPlanInput): void;
  /** Creates a manufacturing order through the real API, as the ERP planner would. */
  createOrder(material: string, quantity: number, options?: { confirm?: boolean; origin?: string }): Promise<string>;
  /** Passes the MO's to-do quality checks in Odoo, as the line does for a point checked on every MO (FG-200 LEAK). */
  passChecks(moName: string): Promise<void>;
}

export function useOdoo(version: OdooVersion): () => OdooFixture {
  let fx: OdooFixture | undefined;
  before(async () => {
    const sim = createOdooSimulator({ version });
    const url = await sim.server.start(0);
    const deps: OdooConnection = {
      url,
      version,
      database: 'demo',
      login: 'admin',
      apiKey: sim.apiKey,
      companyId: 1,
      timeoutMs: 5000,
    };
    const client = OdooClient.fromConnection(deps);
    fx = {
      version,
      sim,
      deps,
      acts: createOdooActivities(deps),
      client,
      db: () => sim.env(),
      applied: (operation) => sim.server.journal.list({ operation, applied: true }).length,
      faults: (plan) => sim.server.faults.set(plan),
      createOrder: async (material, quantity, options = {}) => {
        const [product] = await client.search('product.product', [['default_code', '=', material]]);
        const [bom] = await client.search('mrp.bom', [['product_tmpl_id.default_code', '=', material]]);
        const id = await client.create('mrp.production', {
          product_id: product,
          product_qty: quantity,
          bom_id: bom,
          origin: options.origin ?? 'SAP 1000001',
        });
        const [mo] = await client.read('mrp.production', [id], ['name'], z.object({ name: z.string() }).loose());
        if (options.confirm) await client.call('mrp.production', 'action_confirm', { ids: [id] });
        return mo!.name;
      },
      passChecks: async (moName) => {
        const mos = await client.search('mrp.production', [['name', 'in', [moName, `${moName}-001`]]]);
        const todo = await client.search('quality.check', [
          ['production_id', 'in', mos],
          ['quality_state', '=', 'none'],
        ]);
        if (todo.length > 0) await client.call('quality.check', 'do_pass', { ids: todo });
      },
    };
  });
  beforeEach(() => fx!.sim.server.reset());
  after(async () => fx?.sim.server.stop());
  return () => fx!;
}

export const ea = (value: string): Quantity => ({ value, uom: 'EA' });
export const kg = (value: string): Quantity => ({ value, uom: 'KGM' });

/** Awaits a rejection and checks it is the typed ApplicationFailure the workflows act on. */
export async function expectFailure(
  promise: Promise<unknown>,
  type: string,
  message?: RegExp,
): Promise<ApplicationFailure> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ApplicationFailure, `expected an ApplicationFailure, got ${String(err)}`);
    assert.equal(err.type, type, err.message);
    if (message) assert.match(err.message, message);
    return err;
  }
  assert.fail(`expected a ${type} failure`);
}

/** The MO record in the simulator's database, by its (possibly renamed) name. */
export function orderIn(db: Env, name: string) {
  const mo = db.all('mrp.production').find((m) => m.name === name || m.name === `${name}-001`);
  assert.ok(mo, `no MO ${name} in the simulator`);
  return mo;
}
