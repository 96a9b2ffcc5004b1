import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * The committed OpenAPI document must equal what the simulator generates from the zod contract.
 * Regenerate with: UPDATE_OPENAPI=1 npx mocha 'test/unit/simulators/{qms,mes}/**\/*.test.ts'
 * (shared by the QMS and MES simulator tests).
 */
export function assertCommittedOpenApi(system: 'qms' | 'mes', generated: unknown): void {
  const file = resolve(__dirname, '../../../../docs/openapi', `${system}.json`);
  const text = `${JSON.stringify(generated, null, 2)}\n`;
  if (process.env.UPDATE_OPENAPI) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return;
  }
  let committed: string;
  try {
    committed = readFileSync(file, 'utf8');
  } catch {
    assert.fail(
      `docs/openapi/${system}.json is missing: run UPDATE_OPENAPI=1 npx mocha 'test/unit/simulators/${system}/**/*.test.ts'`,
    );
  }
  assert.ok(
    committed === text,
    `docs/openapi/${system}.json differs from the contract: run UPDATE_OPENAPI=1 npx mocha 'test/unit/simulators/${system}/**/*.test.ts' and commit it`,
  );
}

interface OpenApiOperation {
  security?: unknown[];
  parameters?: { in: string; name: string }[];
}

/** Every write documents Idempotency-Key; everything but /health requires the bearer token. */
export function assertOpenApiConventions(doc: {
  paths: Record<string, Record<string, OpenApiOperation>>;
  security?: unknown[];
}): void {
  assert.deepEqual(doc.security, [{ bearerAuth: [] }]);
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      if (path === '/health') {
        assert.deepEqual(op.security, [], 'health is open');
        continue;
      }
      assert.equal(op.security, undefined, `${method} ${path} inherits bearer auth`);
      if (['post', 'put', 'patch', 'delete'].includes(method)) {
        assert.ok(
          op.parameters?.some((p) => p.in === 'header' && p.name === 'idempotency-key'),
          `${method} ${path} documents Idempotency-Key`,
        );
      }
    }
  }
}
