import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import type { PlantflowConfig } from './config';
import { createDataConverter } from './data-converter';

type TemporalConfig = PlantflowConfig['temporal'];

export function tlsOptions(temporal: TemporalConfig): ConnectionOptions['tls'] {
  if (!temporal.tls) return undefined;
  const { serverName, serverRootCACertificate, clientCert, clientKey } = temporal.tls;
  return {
    serverNameOverride: serverName,
    serverRootCACertificate: serverRootCACertificate ? Buffer.from(serverRootCACertificate) : undefined,
    clientCertPair: clientCert && clientKey ? { crt: Buffer.from(clientCert), key: Buffer.from(clientKey) } : undefined,
  };
}

/** A typed Temporal client for services: same TLS, API key and payload codec as the workers. */
export async function connectClient(config: Pick<PlantflowConfig, 'temporal' | 'codec'>): Promise<Client> {
  const connection = await Connection.connect({
    address: config.temporal.address,
    tls: tlsOptions(config.temporal),
    apiKey: config.temporal.apiKey,
  });
  return new Client({
    connection,
    namespace: config.temporal.namespace,
    dataConverter: createDataConverter(config.codec),
  });
}
