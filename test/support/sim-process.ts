import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { SimulatedSystem } from '../../simulators';

const ROOT = resolve(__dirname, '../..');

/** The four simulators in a process of their own (`npm run simulators`), for tests and benches that kill it. */
export interface SimulatorProcess {
  child: ChildProcess;
  urls: Record<SimulatedSystem, string>;
  ports: Record<SimulatedSystem, number>;
  /** SIGKILL: no flush, no goodbye — what a crash or an OOM kill does. */
  kill(): Promise<void>;
  /** SIGTERM: the planned stop. */
  stop(): Promise<void>;
}

/**
 * Starts the simulators with their state under `dataDir` (the compiled entry of `npm run build` when
 * `compiled`, else the TypeScript one) on the given ports (0: free ones), and resolves once all four listen.
 */
export async function spawnSimulators(opts: {
  dataDir: string;
  ports?: Partial<Record<SimulatedSystem, number>>;
  compiled?: boolean;
  env?: Record<string, string>;
}): Promise<SimulatorProcess> {
  const port = (s: SimulatedSystem) => String(opts.ports?.[s] ?? 0);
  const args = opts.compiled ? ['dist/simulators/main.js'] : ['-r', 'ts-node/register', 'simulators/main.ts'];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PLANTFLOW_DATA_DIR: opts.dataDir,
      PLANTFLOW_LOG_LEVEL: 'warn',
      PLANTFLOW_SIM_ODOO_PORT: port('odoo'),
      PLANTFLOW_SIM_SAP_PORT: port('sap'),
      PLANTFLOW_SIM_QMS_PORT: port('qms'),
      PLANTFLOW_SIM_MES_PORT: port('mes'),
      ...opts.env,
    },
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const urls: Partial<Record<SimulatedSystem, string>> = {};
  let output = '';
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`simulators did not start within 60 s:\n${output}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      for (const m of output.matchAll(/^(odoo|sap|qms|mes)\s+simulator\s+(\S+)\n/gm))
        urls[m[1] as SimulatedSystem] = m[2]!;
      if (Object.keys(urls).length === 4) {
        clearTimeout(timer);
        ready();
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`simulators exited with ${code} before listening:\n${output}`));
    });
  });
  const all = urls as Record<SimulatedSystem, string>;
  const signal = async (sig: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    await exited;
  };
  return {
    child,
    urls: all,
    ports: Object.fromEntries(Object.entries(all).map(([s, u]) => [s, Number(new URL(u).port)])) as Record<
      SimulatedSystem,
      number
    >,
    kill: () => signal('SIGKILL'),
    stop: () => signal('SIGTERM'),
  };
}
