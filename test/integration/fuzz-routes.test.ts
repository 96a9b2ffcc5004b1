import assert from 'node:assert/strict';
import { Client, type WorkflowClientInterceptor } from '@temporalio/client';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { buildApiServer } from '../../client/api/server';
import { ALL_ROLES } from '../../domain/roles';
import { createLogger } from '../../runtime/logger';
import { testDataConverter } from '../setup/temporal-env';
import { allWriteCounts } from '../support/lot-systems';
import { demoOrderInput, mes } from '../support/orders';
import { scenarioPlant } from '../support/scenario-plant';
import type { PlantStack } from '../support/stack';

/**
 * Every route of the API against malformed input (property-based, seeded, bounded): never a 5xx, every
 * refusal a JSON {code, message}, no workflow started, signalled or updated (the API's Temporal client
 * refuses any such call and records it), no write in any simulator.
 */
const FUZZ_KEY = 'fuzz-key-with-every-role-000000';
const SEED = 20261204;
const WRITES = ['start', 'startWithDetails', 'startUpdate', 'startUpdateWithStart', 'signal', 'signalWithStart'];

interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  /** Properties the body schema requires (empty when it has no body). */
  required: string[];
  hasBody: boolean;
}

/** The routes as the OpenAPI document describes them (every route but the documentation's own). */
function routesOf(doc: {
  paths?: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: unknown }> } }>>;
}): Route[] {
  return Object.entries(doc.paths ?? {}).flatMap(([path, ops]) =>
    Object.entries(ops)
      .filter(([method]) => ['get', 'post', 'put', 'delete'].includes(method))
      .map(([method, op]) => {
        const schema = op.requestBody?.content?.['application/json']?.schema as
          { required?: string[]; anyOf?: Array<{ required?: string[] }> } | undefined;
        const required = schema?.required ?? schema?.anyOf?.[0]?.required ?? [];
        return { method: method.toUpperCase() as Route['method'], url: path, required, hasBody: Boolean(schema) };
      }),
  );
}

/** Path parameters: ids as a viewer might type them, quote characters and backslashes included. */
const hostileId = fc.oneof(
  fc.constantFrom('"', "'", '\\', 'a"b', "a'b", 'a\\b', '%22', ' ', '..', 'x'.repeat(300), '1710', 'FG-100'),
  fc.string({ minLength: 1, maxLength: 40 }),
);
const notDecimal = fc.oneof(
  fc.constantFrom('abc', '', '10,5', '1e5', ' ', '--1', '1.', '.5', 'NaN', 'Infinity', '0x10'),
  fc.string({ maxLength: 12 }).filter((s) => !/^\s*-?\d+(\.\d+)?\s*$/.test(s)),
);
const notAnObject = fc.oneof(fc.constant(null), fc.integer(), fc.string({ maxLength: 20 }), fc.array(fc.integer()));

function fill(url: string, ids: string[]): string {
  let i = 0;
  return url.replace(/\{[^}]+\}/g, () => encodeURIComponent(ids[i++ % ids.length] ?? 'x'));
}

/** An object that lacks at least one required property, with whatever else in it. */
function lacking(required: string[]) {
  return fc
    .tuple(fc.constantFrom(...required), fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 })))
    .map(([missing, rest]) => {
      const body: Record<string, unknown> = { ...rest };
      delete body[missing];
      return body;
    });
}

/** Near-valid bodies of the write routes, broken where parsing used to throw: decimals and empty lists. */
function nearValid(): fc.Arbitrary<{ url: string; body: unknown }> {
  const order = (quantity: unknown) => ({ ...demoOrderInput({ orderRef: 'FUZZ-1' }), quantity });
  const consumed = (value: string) => mes.consumed('RM-300', 'H-1001', value, 'EA', { orderRef: 'FUZZ-1' });
  const ncr = (lots: unknown) => ({
    severity: 'major',
    site: '1710',
    material: 'FG-100',
    lots,
    description: 'fuzz',
    raisedBy: 'qa.lena',
  });
  return fc.oneof(
    notDecimal.map((value) => ({ url: '/orders', body: order({ value, uom: 'EA' }) })),
    notDecimal.map((value) => ({ url: '/mes/events', body: consumed(value) })),
    notDecimal.map((value) => ({ url: '/mes/events', body: { events: [consumed('1'), consumed(value)] } })),
    fc.constant({ url: '/mes/events', body: { events: [] } }),
    notDecimal.map((value) => ({ url: '/ncrs', body: ncr([{ lotId: 'FG-1', quantity: { value, uom: 'EA' } }]) })),
    fc.constant({ url: '/ncrs', body: ncr([]) }),
    fc.constant({ url: '/ncrs', body: { ...ncr([]), quantity: { value: '5', uom: 'EA' } } }),
    notDecimal.map((value) => ({
      url: '/lots',
      body: { material: 'FG-200', lotId: 'FZ1', site: '1710', quantity: { value, uom: 'EA' }, receivedBy: 'x' },
    })),
  );
}

describe('API fuzz: malformed input on every route is a clear 4xx and changes nothing — dev server, simulators', function () {
  this.timeout(120_000);
  const writes: string[] = [];
  let app: FastifyInstance;
  const plant = scenarioPlant(async (stack: PlantStack) => {
    // The API's Temporal client reads as usual but refuses (and records) anything that would change a run.
    const refuse = (name: string) => async (input: { workflowType?: string; workflowExecution?: unknown }) => {
      writes.push(`${name} ${input.workflowType ?? JSON.stringify(input.workflowExecution ?? '')}`);
      throw new Error(`fuzz: ${name} reached Temporal`);
    };
    const interceptor = Object.fromEntries(WRITES.map((w) => [w, refuse(w)])) as WorkflowClientInterceptor;
    const temporal = new Client({
      connection: stack.client.connection,
      namespace: stack.namespace,
      dataConverter: testDataConverter,
      interceptors: { workflow: [interceptor] },
    });
    const config = { ...stack.config, api: { ...stack.config.api, keys: { [FUZZ_KEY]: [...ALL_ROLES] } } };
    app = await buildApiServer({ config, temporal, logger: createLogger('silent') });
    await app.ready();
    return app;
  });

  it('no 5xx, JSON {code, message}, no workflow started or signalled, no write in Odoo, SAP, QMS or MES', async () => {
    const { stack } = plant;
    const routes = routesOf(app.swagger() as never).filter((r) => !r.url.startsWith('/codec'));
    assert.ok(routes.length >= 30, `every route is fuzzed (${routes.length} found)`);
    const journalsBefore = await allWriteCounts(stack);
    const workflowsBefore = (await stack.client.workflow.count()).count;
    const seen = new Map<string, number>();

    const request = fc.oneof(
      // Any route, hostile ids in the path and the query, a body that cannot be valid.
      fc
        .tuple(
          fc.constantFrom(...routes),
          fc.array(hostileId, { minLength: 3, maxLength: 3 }),
          fc.dictionary(fc.constantFrom('site', 'material', 'status', 'kind', 'lotId', 'parent', 'limit'), hostileId),
        )
        .chain(([route, ids, query]) =>
          (route.required.length ? fc.oneof(notAnObject, lacking(route.required)) : notAnObject).map((body) => ({
            method: route.method,
            url: `${fill(route.url, ids)}?${new URLSearchParams(query).toString()}`,
            body: route.hasBody ? body : undefined,
            template: `${route.method} ${route.url}`,
          })),
        ),
      nearValid().map(({ url, body }) => ({
        method: 'POST' as const,
        url,
        body,
        template: `POST ${url} (near valid)`,
      })),
    );

    await fc.assert(
      fc.asyncProperty(request, async ({ method, url, body, template }) => {
        seen.set(template, (seen.get(template) ?? 0) + 1);
        const res = await app.inject({
          method,
          url,
          headers: { authorization: `Bearer ${FUZZ_KEY}`, 'content-type': 'application/json' },
          ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
        });
        assert.ok(res.statusCode < 500, `${method} ${url} ${JSON.stringify(body)} → ${res.statusCode} ${res.body}`);
        if (res.statusCode >= 400) {
          const error = res.json() as { code?: unknown; message?: unknown };
          assert.equal(typeof error.code, 'string', res.body);
          assert.equal(typeof error.message, 'string', res.body);
        }
        assert.deepEqual(writes, [], `${method} ${url} reached Temporal with a write`);
      }),
      { seed: SEED, numRuns: 1500, endOnFailure: true },
    );

    assert.ok(seen.size >= routes.length, `every route was tried (${seen.size} of ${routes.length})`);
    assert.deepEqual(await allWriteCounts(stack), journalsBefore, 'no simulator took a write');
    assert.equal((await stack.client.workflow.count()).count, workflowsBefore, 'no workflow started');
  });
});
