import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../..');

function fromScript(script: string, envName: string): string {
  const preset = process.env[envName];
  if (preset) return preset;
  // The scripts return at once when the binary is cached, and build it (with progress on stderr) when not.
  const path = execFileSync('bash', [resolve(root, 'scripts', script)], { stdio: ['ignore', 'pipe', 'inherit'] })
    .toString()
    .trim();
  process.env[envName] = path;
  return path;
}

export const temporalCliPath = (): string => fromScript('temporal-cli.sh', 'TEMPORAL_CLI_PATH');
export const temporalTestServerPath = (): string => fromScript('temporal-test-server.sh', 'TEMPORAL_TEST_SERVER_PATH');
