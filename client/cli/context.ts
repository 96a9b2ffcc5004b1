import type { SystemProbes } from '../../activities/probes';
import { ConfigError, loadConfig, type PlantflowConfig } from '../../runtime/config';
import { connectClient } from '../../runtime/connection';
import { withEmbeddedDefaults } from '../../runtime/embedded-data';
import { PlantflowHttpClient } from '../http';
import { httpOperations, temporalOperations, type CliOperations } from './operations';

/** Where the CLI acts: through the HTTP API (`--api-url` and a key), or straight to Temporal. */
export interface CliTarget {
  apiUrl?: string;
  apiKey?: string;
}

let target: CliTarget = {};
let probes: SystemProbes | undefined;

export function setCliTarget(options: CliTarget): void {
  target = options;
}

/** The system checks `plantflow status` makes when it goes straight to Temporal (handed in by main.ts). */
export function setCliProbes(given: SystemProbes): void {
  probes = given;
}

/** The configuration of the workers, completed with what `npm start` keeps in the data directory. */
export function cliConfig(): PlantflowConfig {
  return loadConfig(withEmbeddedDefaults(process.env));
}

/** The HTTP API named by `--api-url` / PLANTFLOW_API_URL, or undefined to go straight to Temporal. */
export function apiClient(): PlantflowHttpClient | undefined {
  const apiUrl = target.apiUrl ?? process.env.PLANTFLOW_API_URL;
  if (!apiUrl) return undefined;
  const key = target.apiKey ?? process.env.PLANTFLOW_API_KEY;
  if (!key) throw new ConfigError('PLANTFLOW_API_KEY', 'acting through --api-url needs an API key (--api-key <key>)');
  return new PlantflowHttpClient(apiUrl, key);
}

/** Runs the command against the chosen target and always closes the Temporal connection it opened. */
export async function withOperations<T>(fn: (ops: CliOperations, config: PlantflowConfig) => Promise<T>): Promise<T> {
  const config = cliConfig();
  const http = apiClient();
  if (http) return fn(httpOperations(http), config);
  const client = await connectClient(config);
  try {
    return await fn(temporalOperations(client, config, probes), config);
  } finally {
    await client.connection.close();
  }
}

export function print(value: unknown, json: boolean, human: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}

/** Reads everything piped in (a signer's password), trimmed. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

/** `--wait <status>`: how long a show command waits for the run to get there. */
export const WAIT_TIMEOUT_MS = 180_000;
