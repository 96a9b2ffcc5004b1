import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { PLANTFLOW_SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

export interface DevServer {
  address: string;
  uiUrl: string;
  stop(): Promise<void>;
}

const SA_TYPE: Record<string, string> = {
  KEYWORD: 'Keyword',
  KEYWORD_LIST: 'KeywordList',
  BOOL: 'Bool',
  TEXT: 'Text',
  INT: 'Int',
  DOUBLE: 'Double',
  DATETIME: 'Datetime',
};

/**
 * Starts the Temporal CLI dev server (built from the Go module proxy by scripts/temporal-cli.sh) with
 * its history in a SQLite file, plantflow's search attributes, and the Web UI decoding payloads through
 * plantflow's codec endpoint. Loopback only.
 */
export async function startDevServer(opts: {
  dataDir: string;
  port: number;
  uiPort: number;
  codecEndpoint?: string;
}): Promise<DevServer> {
  const root = resolve(__dirname, '..');
  const cli =
    process.env.TEMPORAL_CLI_PATH ||
    execFileSync('bash', [join(root, 'scripts/temporal-cli.sh')], { stdio: ['ignore', 'pipe', 'inherit'] })
      .toString()
      .trim();
  mkdirSync(opts.dataDir, { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    '--ui-port',
    String(opts.uiPort),
    '--db-filename',
    join(opts.dataDir, 'temporal.db'),
    '--namespace',
    'default',
    '--log-level',
    'warn',
    '--dynamic-config-value',
    'frontend.enableExecuteMultiOperation=true',
    '--dynamic-config-value',
    'frontend.enableUpdateWorkflowExecution=true',
    ...PLANTFLOW_SEARCH_ATTRIBUTES.flatMap((sa) => ['--search-attribute', `${sa.name}=${SA_TYPE[sa.type]}`]),
    ...(opts.codecEndpoint ? ['--ui-codec-endpoint', opts.codecEndpoint] : []),
  ];
  const log = createWriteStream(join(opts.dataDir, 'temporal.log'), { flags: 'a' });
  const child: ChildProcess = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  const address = `127.0.0.1:${opts.port}`;
  await waitUntilServing(address, child);
  return {
    address,
    uiUrl: `http://localhost:${opts.uiPort}`,
    stop: () =>
      new Promise((done) => {
        process.removeListener('exit', killOnExit);
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}

/** Resolves once a Temporal frontend answers on `address`; fails when `child` (the server) exits first. */
export async function waitUntilServing(address: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < until) {
    if (child.exitCode !== null)
      throw new Error(
        `Temporal server exited with code ${child.exitCode} (see its log, .data/temporal.log for npm start)`,
      );
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = (err as Error).message;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  throw new Error(`Temporal server did not answer on ${address}: ${lastError}`);
}
