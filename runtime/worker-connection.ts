import { NativeConnection } from '@temporalio/worker';
import { tlsOptions } from './connection';
import type { PlantflowConfig } from './config';

/** The Rust-core connection workers poll with: same address, TLS and API key as the client. */
export async function connectWorkers(config: Pick<PlantflowConfig, 'temporal'>): Promise<NativeConnection> {
  return NativeConnection.connect({
    address: config.temporal.address,
    tls: tlsOptions(config.temporal),
    apiKey: config.temporal.apiKey,
  });
}
