import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { NcrView } from '../../workflows/nonconformance/state';
import { as, signingApi as ncrSigningApi } from './ncr-signers';
import type { OdooVersion } from '../../runtime/config';
import { startPlantStack, type PlantStack } from './stack';

/**
 * The plant of one scenario file (call inside `describe`): the dev-server stack with the API the
 * scenario talks to, every simulator reset before each test, both closed at the end.
 */
export function scenarioPlant<A extends { close(): Promise<unknown> }>(
  openApi: (stack: PlantStack) => Promise<A>,
  options: { odooVersion?: OdooVersion } = {},
) {
  let stack: PlantStack | undefined;
  let api: A | undefined;
  before(async () => {
    stack = await startPlantStack(options);
    api = await openApi(stack);
  });
  after(async () => {
    await api?.close();
    await stack?.teardown();
  });
  beforeEach(async () => {
    for (const sim of Object.values(stack!.sims)) await sim.reset();
  });
  return {
    get stack(): PlantStack {
      return stack!;
    },
    get api(): A {
      return api!;
    },
  };
}

/** An NCR scenario's plant: signers re-authenticate by password, plus the API calls the scenarios make. */
export function ncrScenarioPlant(options: { odooVersion?: OdooVersion } = {}) {
  const base = scenarioPlant<FastifyInstance>(ncrSigningApi, options);
  const plant = {
    get stack(): PlantStack {
      return base.stack;
    },
    get api(): FastifyInstance {
      return base.api;
    },
    /** A call that must succeed; its JSON answer. */
    async call<T>(method: 'GET' | 'POST', url: string, headers: Record<string, string>, payload?: unknown): Promise<T> {
      const res = await base.api.inject({ method, url, headers, payload: payload as never });
      assert.ok(res.statusCode < 300, `${method} ${url} → ${res.statusCode} ${res.body}`);
      return res.json() as T;
    },
    post: (url: string, headers: Record<string, string>, payload: unknown) =>
      plant.call<unknown>('POST', url, headers, payload),
    /** The NCR through the API; a stand-in naming the status code while its run does not exist yet. */
    async ncrView(ncrId: string): Promise<NcrView> {
      const res = await base.api.inject({ method: 'GET', url: `/ncrs/${ncrId}`, headers: as.viewer });
      return (
        res.statusCode === 200
          ? res.json()
          : { status: `http ${res.statusCode}`, containment: { runs: 0, lots: [], actions: [] }, timeline: [] }
      ) as NcrView;
    },
  };
  return plant;
}
