// The plantflow client library: typed access for TypeScript services (docs/architecture.md §1).
import type { Client } from '@temporalio/client';
import type { PlantflowConfig } from '../runtime/config';
import { ExceptionsClient } from './exceptions';
import { LotRecords } from './lot-record/build';
import { LotClient, type LotClientOptions } from './lots';
import { NcrClient, type NcrClientOptions } from './ncrs';
import { OrderClient, type OrderClientOptions } from './orders';

export { connectClient } from '../runtime/connection';
export { PlantflowInputError } from './errors';
export { OrderClient } from './orders';
export { LotClient } from './lots';
export { NcrClient } from './ncrs';
export { EdgeClient } from './edges';
export { ExceptionsClient } from './exceptions';

export type PlantflowClientOptions = OrderClientOptions & LotClientOptions & NcrClientOptions;

/** The plant's configured policies (PLANTFLOW_NCR_POLICY, PLANTFLOW_LOT_RELEASE_WITHIN) as client options. */
export function policyOptions(config: Pick<PlantflowConfig, 'policies'>): PlantflowClientOptions {
  return {
    policy: config.policies.ncr,
    releaseWithin: config.policies.lotReleaseWithin,
    orphanEventsGrace: config.policies.orphanEventsGrace,
  };
}

export class PlantflowClient {
  readonly orders: OrderClient;
  readonly lots: LotClient;
  readonly ncrs: NcrClient;
  readonly exceptions: ExceptionsClient;
  /** The lot's reviewed record (client/lot-record). */
  readonly records: LotRecords;

  constructor(
    readonly temporal: Client,
    options: PlantflowClientOptions = {},
  ) {
    this.orders = new OrderClient(temporal, options);
    this.lots = new LotClient(temporal, options);
    this.ncrs = new NcrClient(temporal, options);
    this.exceptions = new ExceptionsClient(temporal);
    this.records = new LotRecords(temporal, this);
  }
}
