// Every workflow the plantflow worker runs (the bundle entry point).
export { productionOrder } from './order';
export { materialLot } from './lot';
export { nonconformance } from './nonconformance';
export { plantEdge } from './edge';
export { reconcileSite, driftRepair } from './reconciliation';
export { businessExceptions } from './exceptions';
export { signerSecurity } from './signer';
