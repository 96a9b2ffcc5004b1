import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApiServer } from '../../client/api/server';
import { hashPassword } from '../../client/api/signing/user-directory';
import { createLogger } from '../../runtime/logger';
import { FAST_TUNING } from '../workflows/support/order-harness';
import { bearer, TEST_KEYS } from './api';
import type { PlantStack } from './stack';

/** The quality people of the demo plant, with the passwords they re-authenticate with at signing. */
export const SIGNERS = {
  'qa.anna': { printedName: 'Anna Berger', roles: ['qa'], password: 'anna-signs-2026' },
  'qp.marc': { printedName: 'Marc Dubois', roles: ['qp', 'qa'], password: 'marc-signs-2026' },
} as const;
export type SignerId = keyof typeof SIGNERS;

/** A users file (scrypt hashes) as the embedded default writes it. */
export async function writeUsersFile(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'plantflow-signers-'));
  const users = await Promise.all(
    Object.entries(SIGNERS).map(async ([userId, s]) => ({
      userId,
      printedName: s.printedName,
      roles: [...s.roles],
      passwordHash: await hashPassword(s.password, { N: 1024, r: 8, p: 1 }),
    })),
  );
  const file = join(dir, 'users.json');
  writeFileSync(file, JSON.stringify(users));
  return file;
}

/** The HTTP API of the stack with signer re-authentication from a users file. */
export async function signingApi(stack: PlantStack): Promise<FastifyInstance> {
  const app = await buildApiServer({
    config: { ...stack.config, usersFile: await writeUsersFile() },
    temporal: stack.client,
    logger: createLogger('silent'),
    clientOptions: { tuning: FAST_TUNING },
  });
  await app.ready();
  return app;
}

/** The `signer` part of a signed request: user id and password again. */
export const proof = (userId: SignerId) => ({ userId, password: SIGNERS[userId].password });

export const as = {
  qa: bearer(TEST_KEYS.qa),
  qp: bearer(TEST_KEYS.qp),
  qms: bearer(TEST_KEYS.qms),
  viewer: bearer(TEST_KEYS.viewer),
  operator: bearer(TEST_KEYS.operator),
};
