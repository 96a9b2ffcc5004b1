import type { Client } from '@temporalio/client';
import type { Registry } from 'prom-client';
import type { Logger } from 'pino';
import type { PlantflowConfig } from '../../runtime/config';
import type { PlantflowClientOptions } from '../index';
import type { Reauthenticator } from './signing/reauth';

/** What the HTTP API needs from the outside world; tests pass their own. */
export interface ApiDeps {
  config: PlantflowConfig;
  temporal: Client;
  logger: Logger;
  /** Embedded stack only: let a browser on this machine use the codec endpoint without a key. */
  codecOpenOnLoopback?: boolean;
  /** Options for the runs the API starts (tests shorten retry intervals). */
  clientOptions?: PlantflowClientOptions;
  /** Re-authentication of signers; default: built from config (users file and/or OIDC issuer). */
  reauthenticator?: Reauthenticator;
  /** Checks of the systems only their adapters can make, for /health (handed in by the process). */
  /** The workers' business metrics when they run in this process (npm start): /metrics shows both. */
  workerMetrics?: Registry;
  /** How long the plant-health counts are kept (default 15 s); tests shorten it instead of waiting it out. */
  healthCacheMs?: number;
}
