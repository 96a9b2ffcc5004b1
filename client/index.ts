// The plantflow client library: typed access for TypeScript services (DESIGN §1).
import type { Client } from '@temporalio/client';
import { LotClient } from './lots';
import { NcrClient } from './ncrs';
import { OrderClient, type OrderClientOptions } from './orders';

export { connectClient } from './connection';
export { PlantflowInputError } from './errors';
export { OrderClient } from './orders';
export { LotClient } from './lots';
export { NcrClient } from './ncrs';

export type PlantflowClientOptions = OrderClientOptions;

export class PlantflowClient {
  readonly orders: OrderClient;
  readonly lots: LotClient;
  readonly ncrs: NcrClient;

  constructor(
    readonly temporal: Client,
    options: PlantflowClientOptions = {},
  ) {
    this.orders = new OrderClient(temporal, options);
    this.lots = new LotClient(temporal, options);
    this.ncrs = new NcrClient(temporal, options);
  }
}
