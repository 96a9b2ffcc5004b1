import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import axios, { type AxiosInstance } from 'axios';
import { Client, Connection } from '@temporalio/client';
import { PlantflowClient } from '../../client';
import { loadConfig, type PlantflowConfig, type WorkerGroup } from '../../runtime/config';
import { createDataConverter } from '../../runtime/data-converter';
import type { MemoryReport, MemoryRequest } from './worker';
import { spawnSimulators, type SimulatorProcess } from '../../test/support/sim-process';
import { freePort } from '../../test/support/ports';

const ROOT = resolve(__dirname, '../..');
const GROUPS: WorkerGroup[] = ['workflows', 'odoo', 'sap', 'qms', 'plant'];

export const BENCH_KEYS = {
  planner: 'bench-planner-key-000000000000',
  mes: 'bench-mes-key-00000000000000000',
  viewer: 'bench-viewer-key-0000000000000',
};

export interface PlantOptions {
  temporalAddress: string;
  dir: string;
  /** The bench workflow bundle (plantflow's workflows plus the baseline). */
  workflowBundle: string;
  /** The workflow worker's sticky cache (PLANTFLOW_WORKER_MAX_CACHED_WORKFLOWS); default: the config's. */
  maxCachedWorkflows?: number;
  /** --max-old-space-size of the workflow worker, MiB; default: node's. */
  workerHeapMb?: number;
  /** Extra environment for every plantflow process. */
  env?: Record<string, string>;
}

/** One production process: its child, a log file, and how to read its memory. */
export class PlantProcess {
  child!: ChildProcess;
  private exited!: Promise<void>;
  constructor(
    readonly name: string,
    private readonly args: string[],
    private readonly env: Record<string, string>,
    private readonly logFile: string,
    private readonly readyText: string,
  ) {}

  async start(): Promise<void> {
    const log = createWriteStream(this.logFile, { flags: 'a' });
    this.child = spawn(process.execPath, this.args, {
      cwd: ROOT,
      env: { ...process.env, ...this.env },
      // The IPC channel is the memory probe's (bench/stack/worker.ts); the other processes ignore it.
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.exited = new Promise((done) => this.child.once('exit', () => done()));
    this.child.stderr!.pipe(log);
    let seen = '';
    await new Promise<void>((ready, fail) => {
      const timer = setTimeout(() => fail(new Error(`${this.name} not ready in 90 s (see ${this.logFile})`)), 90_000);
      this.child.stdout!.on('data', (chunk: Buffer) => {
        log.write(chunk);
        seen = (seen + chunk.toString()).slice(-4096);
        if (seen.includes(this.readyText)) {
          clearTimeout(timer);
          ready();
        }
      });
      this.child.once('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`${this.name} exited with ${code} (see ${this.logFile})`));
      });
    });
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resident set size now, bytes (Linux /proc). */
  rss(): number {
    const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status);
    return kb ? Number(kb[1]) * 1024 : 0;
  }

  /** Heap after a full GC (the worker runs with --expose-gc), optionally with a heap snapshot written to `path`. */
  memory(snapshotPath?: string): Promise<MemoryReport> {
    const request: MemoryRequest = snapshotPath ? { type: 'snapshot', path: snapshotPath } : { type: 'memory' };
    return new Promise((answer, fail) => {
      const timer = setTimeout(() => fail(new Error(`${this.name}: no memory report in 120 s`)), 120_000);
      this.child.once('message', (report: MemoryReport) => {
        clearTimeout(timer);
        answer(report);
      });
      this.child.send(request);
    });
  }

  async signal(sig: NodeJS.Signals): Promise<void> {
    if (this.running) this.child.kill(sig);
    await this.exited;
  }
}

/**
 * plantflow as production runs it, on one machine: the simulators, the HTTP API and one worker process per
 * group (docker-compose.yml's topology), all compiled (`npm run build`), against the given Temporal server.
 */
export class Plant {
  sims!: SimulatorProcess;
  api!: PlantProcess;
  workers: PlantProcess[] = [];
  config!: PlantflowConfig;
  env!: Record<string, string>;
  apiUrl!: string;
  /** The raw client path: a Temporal client with the workers' codec, in the load generator's process. */
  plantflow!: PlantflowClient;
  temporal!: Client;

  constructor(private readonly options: PlantOptions) {}

  static async start(options: PlantOptions): Promise<Plant> {
    if (!existsSync(join(ROOT, 'dist/bench/stack/worker.js')))
      throw new Error('dist/ is missing the bench worker: run `npm run build` first');
    const plant = new Plant(options);
    await plant.boot();
    return plant;
  }

  private async boot(): Promise<void> {
    const { dir } = this.options;
    mkdirSync(dir, { recursive: true });
    this.sims = await spawnSimulators({ dataDir: join(dir, 'plant'), compiled: true });
    const apiPort = await freePort();
    const codec = `bench:${randomBytes(32).toString('base64')}`;
    this.env = {
      TEMPORAL_ADDRESS: this.options.temporalAddress,
      PLANTFLOW_DATA_DIR: join(dir, 'plant'),
      PLANTFLOW_SIM_ODOO_PORT: String(this.sims.ports.odoo),
      PLANTFLOW_SIM_SAP_PORT: String(this.sims.ports.sap),
      PLANTFLOW_SIM_QMS_PORT: String(this.sims.ports.qms),
      PLANTFLOW_SIM_MES_PORT: String(this.sims.ports.mes),
      PLANTFLOW_API_PORT: String(apiPort),
      PLANTFLOW_API_KEYS: JSON.stringify({
        [BENCH_KEYS.planner]: ['planner', 'viewer'],
        [BENCH_KEYS.mes]: ['mes'],
        [BENCH_KEYS.viewer]: ['viewer'],
      }),
      PLANTFLOW_CODEC_KEYS: codec,
      PLANTFLOW_LOG_FORMAT: 'json',
      PLANTFLOW_LOG_LEVEL: 'info',
      // The rate limits protect real ERPs; the bench compares with a baseline that has none.
      PLANTFLOW_ODOO_MAX_ACTIVITIES_PER_SECOND: '100000',
      PLANTFLOW_SAP_MAX_ACTIVITIES_PER_SECOND: '100000',
      PLANTFLOW_QMS_MAX_ACTIVITIES_PER_SECOND: '100000',
      PLANTFLOW_MES_MAX_ACTIVITIES_PER_SECOND: '100000',
      ...(this.options.maxCachedWorkflows
        ? { PLANTFLOW_WORKER_MAX_CACHED_WORKFLOWS: String(this.options.maxCachedWorkflows) }
        : {}),
      ...this.options.env,
    };
    this.config = loadConfig({ ...process.env, ...this.env });
    this.apiUrl = `http://127.0.0.1:${apiPort}`;
    this.api = new PlantProcess('api', ['dist/client/api/main.js'], this.env, join(dir, 'api.log'), 'Server listening');
    for (const group of GROUPS) {
      const heap = group === 'workflows' && this.options.workerHeapMb;
      this.workers.push(
        new PlantProcess(
          `${group} worker`,
          ['--expose-gc', ...(heap ? [`--max-old-space-size=${heap}`] : []), 'dist/bench/stack/worker.js'],
          {
            ...this.env,
            PLANTFLOW_WORKERS: group,
            ...(group === 'workflows' ? { PLANTFLOW_BENCH_WORKFLOW_BUNDLE: this.options.workflowBundle } : {}),
          },
          join(dir, `worker-${group}.log`),
          'workers polling',
        ),
      );
    }
    await Promise.all([this.api.start(), ...this.workers.map((w) => w.start())]);
    const connection = await Connection.connect({ address: this.options.temporalAddress });
    this.temporal = new Client({ connection, dataConverter: createDataConverter(this.config.codec) });
    this.plantflow = new PlantflowClient(this.temporal);
  }

  get workflowWorker(): PlantProcess {
    return this.workers.find((w) => w.name === 'workflows worker')!;
  }

  /** An HTTP client of the API with a role's key; non-2xx answers are returned, not thrown. */
  http(role: keyof typeof BENCH_KEYS): AxiosInstance {
    return axios.create({
      baseURL: this.apiUrl,
      headers: { authorization: `Bearer ${BENCH_KEYS[role]}` },
      timeout: 120_000,
      validateStatus: () => true,
    });
  }

  /** Chaos R1: every worker process killed at once, then started again. */
  /** Worker processes that exited while starting and were started again, as a supervisor would. */
  restartsAfterExit = 0;

  async killWorkers(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.signal('SIGKILL')));
    await Promise.all(this.workers.map((w) => this.startSupervised(w)));
  }

  /**
   * Starts a worker again until it stays up (for up to a minute, 2 s apart), as the deployment's supervisor does:
   * a worker that starts while the Temporal server restarts (on PostgreSQL, several seconds) can lose its
   * connection before it is ready.
   */
  private async startSupervised(worker: PlantProcess, tries = 30): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await worker.start();
      } catch (err) {
        if (attempt >= tries) throw err;
        this.restartsAfterExit++;
        await new Promise((r) => setTimeout(r, 2_000));
      }
    }
  }

  async stop(): Promise<void> {
    await this.temporal?.connection.close().catch(() => undefined);
    await Promise.all([this.api, ...this.workers].map((p) => p?.child && p.signal('SIGTERM')));
    await this.sims?.stop();
  }
}
