import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { NcrView } from '../../workflows/nonconformance/state';
import { as, signingApi } from './ncr-signers';
import { startPlantStack, type PlantStack } from './stack';

/**
 * The plant of one NCR scenario (call inside `describe`): the dev-server stack with a signing API,
 * every simulator reset before each test, and the API calls the scenarios make.
 */
export function ncrScenarioPlant() {
  let stack: PlantStack | undefined;
  let api: FastifyInstance | undefined;
  before(async () => {
    stack = await startPlantStack();
    api = await signingApi(stack);
  });
  after(async () => {
    await api?.close();
    await stack?.teardown();
  });
  beforeEach(async () => {
    for (const sim of Object.values(stack!.sims)) await sim.reset();
  });
  const plant = {
    get stack(): PlantStack {
      return stack!;
    },
    get api(): FastifyInstance {
      return api!;
    },
    /** A call that must succeed; its JSON answer. */
    async call<T>(method: 'GET' | 'POST', url: string, headers: Record<string, string>, payload?: unknown): Promise<T> {
      const res = await plant.api.inject({ method, url, headers, payload: payload as never });
      assert.ok(res.statusCode < 300, `${method} ${url} → ${res.statusCode} ${res.body}`);
      return res.json() as T;
    },
    post: (url: string, headers: Record<string, string>, payload: unknown) => plant.call<unknown>('POST', url, headers, payload),
    /** The NCR through the API; a stand-in naming the status code while its run does not exist yet. */
    async ncrView(ncrId: string): Promise<NcrView> {
      const res = await plant.api.inject({ method: 'GET', url: `/ncrs/${ncrId}`, headers: as.viewer });
      return (res.statusCode === 200 ? res.json() : { status: `http ${res.statusCode}`, containment: { runs: 0, lots: [], actions: [] }, timeline: [] }) as NcrView;
    },
  };
  return plant;
}
