import type { Client } from '@temporalio/client';
import { loadConfig, type PlantflowConfig } from '../../runtime/config';
import { connectClient } from '../../runtime/connection';

/** Opens a Temporal client from the environment, runs the command, and always closes the connection. */
export async function withClient<T>(fn: (client: Client, config: PlantflowConfig) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const client = await connectClient(config);
  try {
    return await fn(client, config);
  } finally {
    await client.connection.close();
  }
}

export function print(value: unknown, json: boolean, human: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}
