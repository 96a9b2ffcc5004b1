import assert from 'node:assert/strict';
import * as edge from '../../../workflows/messages/edge';
import * as exceptions from '../../../workflows/messages/exceptions';
import * as legacy from '../../../workflows/messages/legacy';
import * as lot from '../../../workflows/messages/lot';
import * as ncr from '../../../workflows/messages/ncr';
import * as order from '../../../workflows/messages/order';
import * as shared from '../../../workflows/messages/shared';
import { materialLot, nonconformance, plantEdge, productionOrder } from '../../../workflows';

const SUFFIX = { signal: 'Signal', update: 'Update', query: 'Query' } as const;
type Definition = { type: keyof typeof SUFFIX; name: string };
const isDefinition = (v: unknown): v is Definition =>
  typeof v === 'object' && v !== null && 'type' in v && 'name' in v && (v as Definition).type in SUFFIX;

describe("the processes' messages", () => {
  const modules = { order, lot, ncr, edge, exceptions, shared };
  for (const [process, exports] of Object.entries(modules)) {
    it(`${process}: each registered name is its TypeScript name without Signal, Update or Query`, () => {
      const definitions = Object.entries(exports).filter(([, v]) => isDefinition(v)) as Array<[string, Definition]>;
      assert.ok(definitions.length > 0);
      for (const [tsName, def] of definitions) assert.equal(`${def.name}${SUFFIX[def.type]}`, tsName);
    });
  }

  it('no two messages of one process share a name and a kind; queries are named for their process', () => {
    for (const exports of [order, lot, ncr]) {
      const keys = [...Object.values(exports as Record<string, unknown>), ...Object.values(shared)]
        .filter(isDefinition)
        .map((d) => `${d.type}:${d.name}`);
      assert.deepEqual(keys, [...new Set(keys)]);
    }
    assert.deepEqual(
      [order.orderStatusQuery.name, lot.lotStatusQuery.name, ncr.ncrStatusQuery.name],
      ['orderStatus', 'lotStatus', 'ncrStatus'],
    );
  });

  it('earlier wire names are still taken under legacy names only', () => {
    const names = Object.values(legacy as Record<string, unknown>)
      .filter(isDefinition)
      .map((d) => d.name);
    assert.deepEqual(names.sort(), [
      'liftLotHoldUpdate',
      'liftOrderHoldSignal',
      'placeLotHoldUpdate',
      'placeOrderHoldSignal',
    ]);
  });

  it('workflow type names are the constants the starters use', () => {
    assert.equal(productionOrder.name, order.ORDER_WORKFLOW_TYPE);
    assert.equal(materialLot.name, lot.LOT_WORKFLOW_TYPE);
    assert.equal(nonconformance.name, ncr.NCR_WORKFLOW_TYPE);
    assert.equal(plantEdge.name, edge.EDGE_WORKFLOW_TYPE);
  });
});
