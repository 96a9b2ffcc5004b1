import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { z } from 'zod';
import { m2oName, m2oSchema, OdooClient } from '../../activities/odoo/client';
import type { GenealogyNode, GenealogyTrace } from '../../domain/lot-genealogy';
import { buildApiServer } from '../../client/api/server';
import { seedUsersFile } from '../../client/api/signing/seed-users';
import { DEMO_PEOPLE } from '../../simulators/shared/demo-plant';
import { createLogger } from '../../runtime/logger';
import { eventually } from './eventually';
import { FAST_TUNING } from '../workflows/support/order-harness';
import { bearer, TEST_KEYS } from './api';
import type { PlantStack } from './stack';

/** What Odoo holds for a lot: where its stock is, how much, and how much was scrapped. */
export async function odooLot(
  stack: PlantStack,
  material: string,
  lot: string,
): Promise<{ location: string | null; quantity: number; scrapped: number }> {
  const odoo = OdooClient.fromConnection({ ...stack.config.odoo, timeoutMs: 10_000 });
  const [product] = await odoo.search('product.product', [['default_code', '=', material]]);
  const row = await odoo.searchOne(
    'stock.lot',
    [
      ['name', '=', lot],
      ['product_id', '=', product!],
    ],
    ['location_id', 'product_qty'],
    z.object({ id: z.number(), location_id: m2oSchema, product_qty: z.number() }).loose(),
  );
  if (!row) throw new Error(`Odoo has no lot ${lot} of ${material}`);
  const scraps = await odoo.searchRead(
    'stock.scrap',
    [
      ['lot_id', '=', row.id],
      ['state', '=', 'done'],
    ],
    ['scrap_qty'],
    z.object({ scrap_qty: z.number() }).loose(),
  );
  return {
    location: m2oName(row.location_id) ?? null,
    quantity: row.product_qty,
    scrapped: scraps.reduce((a, s) => a + s.scrap_qty, 0),
  };
}

/**
 * The given lots as a forward trace from a component lot finds them (through visibility, so it waits for
 * them); other scenarios on the shared dev server consume the same demo lots, so only these are kept.
 */
export async function forwardTo(api: SigningApi, component: string, lotIds: string[]): Promise<GenealogyNode[]> {
  const mine = (t: GenealogyTrace) => t.root.links.filter((l) => lotIds.includes(l.lotId));
  const trace = await eventually(
    () =>
      api
        .get(`/lots/${component}/genealogy?direction=forward&depth=1`, TEST_KEYS.viewer)
        .then((r) => r.json() as GenealogyTrace),
    (t) => mine(t).length === lotIds.length,
    30_000,
  );
  return mine(trace);
}

/** Journal counts of every simulator, to prove that a refused request changed nothing. */
export async function allWriteCounts(stack: PlantStack): Promise<Record<string, Record<string, number>>> {
  const systems = ['odoo', 'sap', 'qms', 'mes'] as const;
  const counts = await Promise.all(systems.map(async (s) => [s, await stack.writeCounts(s)] as const));
  return Object.fromEntries(counts);
}

export interface SigningApi {
  app: FastifyInstance;
  passwords: Record<string, string>;
  post(path: string, key: string, body: unknown): Promise<LightMyRequestResponse>;
  get(path: string, key: string): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** The HTTP API as `npm start` runs it: signers re-authenticate against a seeded users file. */
export async function signingApi(stack: PlantStack): Promise<SigningApi> {
  const dir = mkdtempSync(join(tmpdir(), 'pf-signers-'));
  const usersFile = join(dir, 'users.json');
  const passwords = seedUsersFile(usersFile, join(dir, 'signer-passwords.json'), DEMO_PEOPLE);
  const app = await buildApiServer({
    config: { ...stack.config, usersFile },
    temporal: stack.client,
    logger: createLogger('silent'),
    clientOptions: { tuning: FAST_TUNING },
  });
  await app.ready();
  return {
    app,
    passwords,
    post: (path, key, body) =>
      app.inject({ method: 'POST', url: path, headers: bearer(key), payload: body as Record<string, unknown> }),
    get: (path, key) => app.inject({ method: 'GET', url: path, headers: bearer(key) }),
    close: () => app.close(),
  };
}
