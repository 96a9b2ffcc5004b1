import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { startEdge, type RunningEdge } from '../../edge/edge';
import { loadConfig, type EdgeConfig } from '../../runtime/config';
import { createLogger } from '../../runtime/logger';
import type { MesEventInput } from '../../domain/events';

/** The edge's own keys in tests: the MES posts, a viewer reads, an operator requeues refusals. */
export const EDGE_KEYS = {
  mes: 'edge-mes-key-0000000000000000',
  viewer: 'edge-viewer-key-0000000000000',
  operator: 'edge-operator-key-00000000000',
} as const;

/** Environment of a test edge (PLANTFLOW_EDGE_*), for loadConfig here or for an edge child process. */
export function edgeEnv(
  centralUrl: string,
  centralKey: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    PLANTFLOW_EDGE_DB: join(mkdtempSync(join(tmpdir(), 'pf-edge-')), 'edge.sqlite'),
    PLANTFLOW_EDGE_PORT: '0',
    PLANTFLOW_EDGE_CENTRAL_URL: centralUrl,
    PLANTFLOW_EDGE_CENTRAL_API_KEY: centralKey,
    PLANTFLOW_EDGE_API_KEYS: JSON.stringify({
      [EDGE_KEYS.mes]: ['mes'],
      [EDGE_KEYS.viewer]: ['viewer'],
      [EDGE_KEYS.operator]: ['operator'],
    }),
    PLANTFLOW_EDGE_RETRY_INITIAL_MS: '50',
    PLANTFLOW_EDGE_RETRY_MAX_MS: '400',
    PLANTFLOW_EDGE_TIMEOUT_MS: '2000',
    PLANTFLOW_EDGE_REPORT_EVERY_MS: '500',
    PLANTFLOW_LOG_LEVEL: 'silent',
    ...extra,
  };
}

export function edgeConfig(env: Record<string, string>): EdgeConfig {
  return loadConfig(env).edge;
}

/** An edge in this process (for contract tests; crash tests run it as a child process). */
export function startTestEdge(env: Record<string, string>): Promise<RunningEdge> {
  return startEdge(edgeConfig(env), createLogger('silent'));
}

export interface EdgeProcess {
  child: ChildProcess;
  pid: number;
  url: string;
  exited: Promise<void>;
  /** SIGKILL: no clean-up of any kind, as a power cut or an OOM kill. */
  kill(): Promise<void>;
  /** SIGTERM: the edge settles the batch in flight and closes its store. */
  stop(): Promise<void>;
}

/** The edge as its own process (`edge/main.ts`), ready once it listens; its log goes to `log`. */
export async function spawnEdgeProcess(env: Record<string, string>, log: string[] = []): Promise<EdgeProcess> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register', 'edge/main.ts'], {
    cwd: resolve(__dirname, '../..'),
    env: { ...process.env, ...env, PLANTFLOW_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = await new Promise<string>((ready, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // never leave an edge behind
      fail(new Error(`edge did not start in time: ${log.slice(-5).join('\n')}`));
    }, 60_000);
    let pending = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        log.push(line);
        let entry: { msg?: string; url?: string };
        try {
          entry = JSON.parse(line) as typeof entry;
        } catch {
          continue;
        }
        if (entry.msg === 'plant edge listening for the MES' && entry.url) {
          clearTimeout(timer);
          ready(entry.url);
        }
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => log.push(chunk.toString()));
    void exited.then(() => fail(new Error(`edge exited before listening: ${log.slice(-5).join('\n')}`)));
  });
  return {
    child,
    pid: child.pid!,
    url,
    exited,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export const asMes = { authorization: `Bearer ${EDGE_KEYS.mes}` };
export const asViewer = { authorization: `Bearer ${EDGE_KEYS.viewer}` };
export const asOperator = { authorization: `Bearer ${EDGE_KEYS.operator}` };

/** A plain MES event for the edge tests (the S-scenarios use test/support/orders.ts's mes helpers). */
export function plantEvent(
  orderRef: string,
  effectiveAt: string,
  type: 'OperationStarted' | 'OperationCompleted' | 'MaterialConsumed' = 'OperationStarted',
  operation = '0010',
): MesEventInput {
  const envelope = {
    eventId: randomUUID(),
    effectiveAt,
    recordedAt: effectiveAt,
    source: { system: 'mes' as const, instance: 'mes-1710' },
    site: '1710',
  };
  if (type === 'OperationCompleted') {
    return {
      ...envelope,
      type,
      correlation: { orderRef, operation },
      payload: { yield: { value: '10', uom: 'EA' }, final: false },
    };
  }
  if (type === 'MaterialConsumed') {
    return {
      ...envelope,
      type,
      correlation: { orderRef, operation, lotId: 'H-1001' },
      payload: { material: 'RM-300', quantity: { value: '10', uom: 'EA' } },
    };
  }
  return { ...envelope, type, correlation: { orderRef, operation }, payload: {} };
}
