import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { msToTs } from '@temporalio/common/lib/time';
import { startDevServer, waitUntilServing } from '../../scripts/dev-server';
import { PLANTFLOW_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { startPostgres, type PostgresServer } from './postgres';
import { freeLowPort, freePort } from '../../test/support/ports';

export type ServerKind = 'dev' | 'postgres';

/** A Temporal server the bench runs against: restartable (chaos R2), stopped at the end. */
export interface TemporalServer {
  kind: ServerKind;
  address: string;
  /** What it is, for the results: binary, persistence, shards. */
  description: string;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const ROOT = resolve(__dirname, '../..');

export async function startTemporal(kind: ServerKind, dir: string): Promise<TemporalServer> {
  return kind === 'dev' ? startDev(dir) : startOnPostgres(dir);
}

/** The CLI's dev server (SQLite file), as `npm start` runs it. */
async function startDev(dir: string): Promise<TemporalServer> {
  const port = await freePort();
  const uiPort = await freePort();
  const start = () => startDevServer({ dataDir: dir, port, uiPort });
  let server = await start();
  return {
    kind: 'dev',
    address: server.address,
    description: 'Temporal CLI dev server v1.5.1 (server 1.29.1, SQLite file)',
    async restart() {
      await server.stop();
      server = await start();
    },
    stop: () => server.stop(),
  };
}

const SHARDS = 4;

/**
 * The production server (built by scripts/temporal-server.sh) on PostgreSQL, 4 history shards, all four
 * services in one process, SQL visibility with plantflow's search attributes and the `default` namespace.
 */
async function startOnPostgres(dir: string): Promise<TemporalServer> {
  const bin = execFileSync('bash', [join(ROOT, 'scripts/temporal-server.sh')], { stdio: ['ignore', 'pipe', 'inherit'] })
    .toString()
    .trim();
  const pg = await startPostgres();
  try {
    const sql = (db: string, ...args: string[]) =>
      execFileSync(
        join(bin, 'temporal-sql-tool'),
        [
          '--plugin',
          'postgres12',
          '--ep',
          '127.0.0.1',
          '-p',
          String(pg.port),
          '-u',
          pg.user,
          '--pw',
          pg.password,
          '--db',
          db,
          ...args,
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
    sql('temporal', 'create-database');
    sql('temporal', 'setup-schema', '-s', 'postgresql/v12/temporal', '-v', '1.18');
    sql('temporal_visibility', 'create-database');
    sql('temporal_visibility', 'setup-schema', '-s', 'postgresql/v12/visibility', '-v', '1.9');
  } catch (err) {
    await pg.stop();
    throw err;
  }
  const ports = {
    frontend: await freePort(),
    history: await freePort(),
    matching: await freePort(),
    worker: await freePort(),
  };
  const membership = {
    frontend: await freeLowPort(),
    history: await freeLowPort(),
    matching: await freeLowPort(),
    worker: await freeLowPort(),
  };
  const configDir = join(dir, 'config');
  mkdirSync(join(configDir, 'dynamicconfig'), { recursive: true });
  writeFileSync(join(configDir, 'development.yaml'), serverConfig(pg, ports, membership, configDir));
  writeFileSync(
    join(configDir, 'dynamicconfig', 'bench.yaml'),
    [
      'frontend.enableUpdateWorkflowExecution:\n  - value: true',
      'frontend.enableExecuteMultiOperation:\n  - value: true',
      'system.forceSearchAttributesCacheRefreshOnRead:\n  - value: true',
    ].join('\n') + '\n',
  );
  const address = `127.0.0.1:${ports.frontend}`;
  let child: ChildProcess;
  const start = async () => {
    const log = createWriteStream(join(dir, 'temporal-server.log'), { flags: 'a' });
    child = spawn(
      join(bin, 'temporal-server'),
      ['--root', dir, '--config', 'config', '--env', 'development', '--allow-no-auth', 'start'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    await waitUntilServing(address, child, 90_000);
  };
  const stopServer = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
    });
  try {
    await start();
    await registerNamespaceAndAttributes(address);
  } catch (err) {
    await stopServer();
    await pg.stop();
    throw err;
  }
  return {
    kind: 'postgres',
    address,
    description: `Temporal server 1.29.1 (built from the Go module proxy) on PostgreSQL ${pgVersion()}, ${SHARDS} history shards`,
    async restart() {
      await stopServer();
      await start();
    },
    async stop() {
      await stopServer();
      await pg.stop();
    },
  };
}

function pgVersion(): string {
  try {
    return /(\d+\.\d+)/.exec(execFileSync('psql', ['--version']).toString())?.[1] ?? '';
  } catch {
    return '';
  }
}

type Ports = Record<'frontend' | 'history' | 'matching' | 'worker', number>;

function serverConfig(pg: PostgresServer, grpc: Ports, membership: Ports, configDir: string): string {
  const store = (db: string, conns: number) => `
      sql:
        pluginName: "postgres12"
        databaseName: "${db}"
        connectAddr: "127.0.0.1:${pg.port}"
        connectProtocol: "tcp"
        user: "${pg.user}"
        password: "${pg.password}"
        maxConns: ${conns}
        maxIdleConns: ${conns}
        maxConnLifetime: "1h"`;
  const service = (name: keyof Ports) => `
  ${name}:
    rpc:
      grpcPort: ${grpc[name]}
      membershipPort: ${membership[name]}
      bindOnLocalHost: true`;
  return `log:
  stdout: true
  level: warn
persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: ${SHARDS}
  datastores:
    postgres-default:${store('temporal', 20)}
    postgres-visibility:${store('temporal_visibility', 10)}
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "127.0.0.1"
services:${service('frontend')}${service('matching')}${service('history')}${service('worker')}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: "active"
  currentClusterName: "active"
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: "frontend"
      rpcAddress: "127.0.0.1:${grpc.frontend}"
dcRedirectionPolicy:
  policy: "noop"
dynamicConfigClient:
  filepath: "${join(configDir, 'dynamicconfig', 'bench.yaml')}"
  pollInterval: "10s"
`;
}

const { IndexedValueType } = temporal.api.enums.v1;
const SA_TYPES: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  KEYWORD: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  KEYWORD_LIST: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
  BOOL: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
};

/** What the compose file's admin-tools container does: the namespace and plantflow's search attributes. */
async function registerNamespaceAndAttributes(address: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    const until = Date.now() + 60_000;
    for (;;) {
      try {
        await connection.workflowService.registerNamespace({
          namespace: 'default',
          workflowExecutionRetentionPeriod: msToTs('1 day'),
        });
        break;
      } catch (err) {
        if (/already exists/i.test((err as Error).message)) break;
        if (Date.now() > until) throw err;
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
    await connection.operatorService.addSearchAttributes({
      namespace: 'default',
      searchAttributes: Object.fromEntries(PLANTFLOW_SEARCH_ATTRIBUTES.map((sa) => [sa.name, SA_TYPES[sa.type]!])),
    });
    // Visibility takes the new attributes after its cache refresh: wait until a query naming one succeeds.
    for (;;) {
      try {
        await connection.workflowService.countWorkflowExecutions({ namespace: 'default', query: "OrderRef = 'x'" });
        return;
      } catch (err) {
        if (Date.now() > until) throw err;
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
  } finally {
    await connection.close();
  }
}
