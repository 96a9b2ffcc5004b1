// Every workflow the plantflow worker runs (the bundle entry point).
//
// The SDK evaluates the bundle's modules once per run, in a module cache of the run's own (module state
// must not leak between runs). Each entry below requires its workflow's modules when a run of it starts,
// so a lot run evaluates the lot's modules only, not the order's, the NCR's or their zod schemas: a
// cached run is that much smaller, and a replay (a query on an evicted run) that much faster.
// bench/memory.ts measures it. A synchronous require, so a run starts exactly as before: no extra await.
/* eslint-disable no-restricted-globals, @typescript-eslint/no-require-imports */
import type * as Edge from './edge';
import type * as Exceptions from './exceptions';
import type * as Lot from './lot';
import type * as Ncr from './nonconformance';
import type * as Order from './order';
import type * as Reconciliation from './reconciliation';
import type * as Signer from './signer';

export const productionOrder: typeof Order.productionOrder = (input) =>
  (require('./order') as typeof Order).productionOrder(input);
export const materialLot: typeof Lot.materialLot = (input) => (require('./lot') as typeof Lot).materialLot(input);
export const nonconformance: typeof Ncr.nonconformance = (input) =>
  (require('./nonconformance') as typeof Ncr).nonconformance(input);
export const plantEdge: typeof Edge.plantEdge = (input) => (require('./edge') as typeof Edge).plantEdge(input);
export const reconcileSite: typeof Reconciliation.reconcileSite = (input) =>
  (require('./reconciliation') as typeof Reconciliation).reconcileSite(input);
export const driftRepair: typeof Reconciliation.driftRepair = (input) =>
  (require('./reconciliation') as typeof Reconciliation).driftRepair(input);
export const businessExceptions: typeof Exceptions.businessExceptions = (input) =>
  (require('./exceptions') as typeof Exceptions).businessExceptions(input);
export const signerSecurity: typeof Signer.signerSecurity = (input) =>
  (require('./signer') as typeof Signer).signerSecurity(input);
