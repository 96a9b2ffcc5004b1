import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { DEMO_SAP_PLANTS, sapPlantsSchema, type SapCustomizing } from '../contracts/sap-customizing';
import { durationSchema, durationToMs } from '../domain/duration';
import type { SigningPolicy } from '../domain/signer-lockout';
import { edgeIdSchema, siteSchema } from '../domain/ids';
import { ncrPolicyOverridesSchema, type NcrPolicyOverrides } from '../domain/ncr';
import { roleSchema, type Role } from '../domain/roles';

/**
 * The one place that reads the environment. Every value is validated; a bad one stops start-up with a
 * message naming the variable. Secrets may come from `<NAME>_FILE` (Docker/Kubernetes secrets).
 */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const urlSchema = z.url({ protocol: /^https?$/ });
const portSchema = z.coerce.number().int().min(0).max(65535);
const boolSchema = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v));
const positiveNumber = z.coerce.number().positive();

/** Reads NAME, or the contents of the file named by NAME_FILE. */
function secret(env: Env, name: string): string | undefined {
  const direct = env[name];
  const file = env[`${name}_FILE`];
  if (direct !== undefined && file !== undefined)
    throw new ConfigError(name, `set either ${name} or ${name}_FILE, not both`);
  if (file === undefined) return direct === '' ? undefined : direct;
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new ConfigError(`${name}_FILE`, `cannot read ${file}: ${(err as Error).message}`);
  }
}

function read<T extends z.ZodType>(env: Env, name: string, schema: T, fallback?: z.input<T>): z.infer<T> {
  const raw = env[name] === '' ? undefined : env[name];
  const value = raw ?? fallback;
  const result = schema.safeParse(value);
  if (!result.success) {
    const shown = raw === undefined ? '(not set)' : JSON.stringify(raw);
    throw new ConfigError(
      name,
      `invalid value ${shown}: ${result.error.issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ')}`,
    );
  }
  return result.data;
}

/** A JSON value in a variable; a parse error becomes the variable's message. */
const jsonSchema = z.string().transform((raw, ctx) => {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not valid JSON' });
    return z.NEVER;
  }
});

const odooVersionSchema = z.enum(['17', '18', '19']);
export type OdooVersion = z.infer<typeof odooVersionSchema>;

export interface SystemEndpoint {
  /** Base URL of the real system, or of the embedded simulator when `simulated`. */
  url: string;
  simulated: boolean;
  /** Server-side activity rate limit for this system's task queue. */
  maxActivitiesPerSecond: number;
  timeoutMs: number;
}

export interface PlantflowConfig {
  temporal: {
    address: string;
    namespace: string;
    apiKey?: string;
    tls?: { serverName?: string; serverRootCACertificate?: string; clientCert?: string; clientKey?: string };
  };
  /** The Temporal Web UI: the embedded stack serves it on `port`; links to runs start at `url`. */
  webUi: { port: number; url: string };
  odoo: SystemEndpoint & { version: OdooVersion; database: string; login: string; apiKey: string; companyId: number };
  sap: SystemEndpoint & { user: string; password: string; client?: string; customizing: SapCustomizing };
  qms: SystemEndpoint & { token: string };
  mes: SystemEndpoint & { token: string };
  sites: string[];
  api: { host: string; port: number; keys: Record<string, Role[]>; publicUrl: string };
  codec: { keys: Record<string, string>; activeKeyId: string } | undefined;
  dataDir: string;
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
  /** `auto`: one readable line per event on a terminal, JSON lines otherwise. */
  logFormat: 'auto' | 'pretty' | 'json';
  metrics: { bindAddress?: string };
  /** The workers' business metrics (GET /metrics), host:port; the API serves its own on /metrics. */
  businessMetricsBind?: string;
  simulatorPorts: { odoo: number; sap: number; qms: number; mes: number };
  /** Which workers this process runs (all in the embedded default; one group per process in production). */
  workers: WorkerGroup[];
  notifyWebhookUrl?: string;
  /** The workflow worker's sticky cache: runs kept in memory between tasks (each holds its V8 state). */
  worker: { maxCachedWorkflows: number };
  /** The plant's quality policies for runs started from here (defaults in domain/). */
  policies: { ncr?: NcrPolicyOverrides; lotReleaseWithin?: string; orphanEventsGrace?: string };
  /** Signature user directory (embedded default: a JSON file of scrypt password hashes). */
  usersFile?: string;
  /** Signer lockout after failed re-authentications (PLANTFLOW_SIGNING_*; 5 in 15 minutes → 15 minutes). */
  signing: SigningPolicy;
  /** Production re-authentication at signing: an OIDC issuer whose ID tokens prove a recent login. */
  oidc?: { issuer: string; audience: string; jwksUrl?: string; maxAuthAgeSeconds: number };
  /** The plant edge process (edge/), and how the central site judges the edges that report to it. */
  edge: EdgeConfig;
  /** Scheduled reconciliation per site (workflows/reconciliation.ts). */
  reconcile: { interval: string; lookback: string; autoReapply: boolean; paused: boolean };
}

export interface EdgeConfig {
  id: string;
  /** The plant it serves: events for another site are refused. */
  site: string;
  host: string;
  port: number;
  /** The edge's own API keys (the MES posts with `mes`; `viewer`/`operator` read its status). */
  keys: Record<string, Role[]>;
  centralUrl: string;
  /** Key of the central API with the roles `mes` and `edge`; required to run an edge. */
  centralApiKey?: string;
  /** SQLite file of the backlog. */
  database: string;
  maxBacklogEvents: number;
  maxBacklogBytes: number;
  batchSize: number;
  retryInitialMs: number;
  retryMaxMs: number;
  timeoutMs: number;
  /** Idle edges still report this often, so the central site tells silence from an empty backlog. */
  reportEveryMs: number;
  /** How long forwarded event ids are remembered for the MES's resends. */
  rememberForwardedMs: number;
  /** Central side: an edge whose last contact is older than this is reported silent. */
  silentAfterMs: number;
}

export const WORKER_GROUPS = ['workflows', 'odoo', 'sap', 'qms', 'plant'] as const;
export type WorkerGroup = (typeof WORKER_GROUPS)[number];

/**
 * Measured in bench/: a cached lot run holds about 1.1 MiB of heap (bench/memory.ts; its copy of its workflow's
 * module state), and 100 runs with a 320 MiB heap (--max-old-space-size) kept the workflow worker under 512 MiB
 * RSS with 1,000 and 5,000 lots open and at 521 MiB with 15,000 (P4). A larger cache saves replays only while it holds most open runs.
 */
const DEFAULT_MAX_CACHED_WORKFLOWS = 100;

const DEFAULT_SIM_PORTS = { odoo: 8069, sap: 8071, qms: 8072, mes: 8073 } as const;

function parseApiKeys(raw: string | undefined, variable = 'PLANTFLOW_API_KEYS'): Record<string, Role[]> {
  if (raw === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError(variable, 'must be JSON: {"<key>": ["planner", "viewer"], ...}');
  }
  const result = z
    .record(z.string().min(16, 'API keys must be at least 16 characters'), z.array(roleSchema).min(1))
    .safeParse(parsed);
  if (!result.success) {
    throw new ConfigError(variable, result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  return result.data;
}

function parseCodecKeys(raw: string | undefined, activeId: string | undefined): PlantflowConfig['codec'] {
  if (raw === undefined) return undefined;
  const keys: Record<string, string> = {};
  for (const part of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [id, b64] = part.split(':');
    if (!id || !b64 || Buffer.from(b64, 'base64').length !== 32) {
      throw new ConfigError('PLANTFLOW_CODEC_KEYS', 'expected "<keyId>:<base64 of 32 bytes>[,...]"');
    }
    keys[id] = b64;
  }
  const ids = Object.keys(keys);
  if (ids.length === 0) throw new ConfigError('PLANTFLOW_CODEC_KEYS', 'no key given');
  const active = activeId ?? ids[ids.length - 1]!;
  if (!keys[active])
    throw new ConfigError('PLANTFLOW_CODEC_KEY_ID', `key id "${active}" is not among PLANTFLOW_CODEC_KEYS`);
  return { keys, activeKeyId: active };
}

function endpoint(
  env: Env,
  system: 'ODOO' | 'SAP' | 'QMS' | 'MES',
  simPort: number,
  defaultRate: number,
): SystemEndpoint {
  const url = env[`PLANTFLOW_${system}_URL`];
  return {
    url: url ? read(env, `PLANTFLOW_${system}_URL`, urlSchema) : `http://127.0.0.1:${simPort}`,
    simulated: !url,
    maxActivitiesPerSecond: read(env, `PLANTFLOW_${system}_MAX_ACTIVITIES_PER_SECOND`, positiveNumber, defaultRate),
    timeoutMs: read(env, `PLANTFLOW_${system}_TIMEOUT_MS`, z.coerce.number().int().min(100).max(600_000), 30_000),
  };
}

export function loadConfig(env: Env = process.env): PlantflowConfig {
  const simulatorPorts = {
    odoo: read(env, 'PLANTFLOW_SIM_ODOO_PORT', portSchema, DEFAULT_SIM_PORTS.odoo),
    sap: read(env, 'PLANTFLOW_SIM_SAP_PORT', portSchema, DEFAULT_SIM_PORTS.sap),
    qms: read(env, 'PLANTFLOW_SIM_QMS_PORT', portSchema, DEFAULT_SIM_PORTS.qms),
    mes: read(env, 'PLANTFLOW_SIM_MES_PORT', portSchema, DEFAULT_SIM_PORTS.mes),
  };
  const odoo = endpoint(env, 'ODOO', simulatorPorts.odoo, 20);
  const sap = endpoint(env, 'SAP', simulatorPorts.sap, 10);
  const qms = endpoint(env, 'QMS', simulatorPorts.qms, 20);
  const mes = endpoint(env, 'MES', simulatorPorts.mes, 20);

  const requireSecret = (name: string, simulated: boolean, simDefault: string): string => {
    const value = secret(env, name);
    if (value !== undefined) return value;
    if (simulated) return simDefault;
    throw new ConfigError(name, 'required when the system has a real URL configured');
  };

  const tlsEnabled = read(env, 'TEMPORAL_TLS', boolSchema, 'false');
  const clientCert = secret(env, 'TEMPORAL_TLS_CERT');
  const clientKey = secret(env, 'TEMPORAL_TLS_KEY');
  if ((clientCert === undefined) !== (clientKey === undefined)) {
    throw new ConfigError(
      clientCert ? 'TEMPORAL_TLS_KEY' : 'TEMPORAL_TLS_CERT',
      'mTLS needs both TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY',
    );
  }
  const apiKey = secret(env, 'TEMPORAL_API_KEY');
  const useTls = tlsEnabled || clientCert !== undefined || apiKey !== undefined;
  const apiPort = read(env, 'PLANTFLOW_API_PORT', portSchema, 8080);
  const apiHost = read(env, 'PLANTFLOW_API_HOST', z.string().min(1), '127.0.0.1');
  const uiPort = read(env, 'PLANTFLOW_TEMPORAL_UI_PORT', portSchema, 8233);
  const sites = read(
    env,
    'PLANTFLOW_SITES',
    z
      .string()
      .transform((s) =>
        s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      )
      .pipe(z.array(siteSchema).min(1)),
    '1710',
  );
  const dataDir = resolve(read(env, 'PLANTFLOW_DATA_DIR', z.string().min(1), '.data'));

  return {
    temporal: {
      address: read(
        env,
        'TEMPORAL_ADDRESS',
        z.string().regex(/^[^:\s]+:\d+$/, 'expected host:port'),
        `127.0.0.1:${read(env, 'PLANTFLOW_TEMPORAL_PORT', portSchema, 7233)}`,
      ),
      namespace: read(env, 'TEMPORAL_NAMESPACE', z.string().min(1), 'default'),
      apiKey,
      tls: useTls
        ? {
            serverName: env.TEMPORAL_TLS_SERVER_NAME || undefined,
            serverRootCACertificate: secret(env, 'TEMPORAL_TLS_CA'),
            clientCert,
            clientKey,
          }
        : undefined,
    },
    webUi: {
      port: uiPort,
      url: read(env, 'PLANTFLOW_TEMPORAL_UI_URL', urlSchema, `http://localhost:${uiPort}`).replace(/\/+$/, ''),
    },
    odoo: {
      ...odoo,
      version: read(env, 'PLANTFLOW_ODOO_VERSION', odooVersionSchema, '19'),
      database: read(env, 'PLANTFLOW_ODOO_DB', z.string().min(1), 'demo'),
      login: read(env, 'PLANTFLOW_ODOO_LOGIN', z.string().min(1), 'admin'),
      apiKey: requireSecret('PLANTFLOW_ODOO_API_KEY', odoo.simulated, 'plantflow-odoo-simulator-api-key'),
      companyId: read(env, 'PLANTFLOW_ODOO_COMPANY_ID', z.coerce.number().int().positive(), 1),
    },
    sap: {
      ...sap,
      user: read(env, 'PLANTFLOW_SAP_USER', z.string().min(1), 'plantflow'),
      password: requireSecret('PLANTFLOW_SAP_PASSWORD', sap.simulated, 'plantflow'),
      client: env.PLANTFLOW_SAP_CLIENT
        ? read(env, 'PLANTFLOW_SAP_CLIENT', z.string().regex(/^\d{3}$/, 'three digits'))
        : undefined,
      customizing: {
        // The simulator's demo plant is known; a real tenant's plants are what PLANTFLOW_SAP_PLANTS says.
        plants:
          read(env, 'PLANTFLOW_SAP_PLANTS', jsonSchema.pipe(sapPlantsSchema).optional(), undefined) ??
          (sap.simulated ? DEMO_SAP_PLANTS : {}),
        notificationCompleteAction: read(
          env,
          'PLANTFLOW_SAP_QN_COMPLETE_ACTION',
          z
            .string()
            .regex(/^[A-Za-z_][\w.]*$/, 'a qualified action name, e.g. SAP__self.Complete')
            .optional(),
          undefined,
        ),
      },
    },
    qms: { ...qms, token: requireSecret('PLANTFLOW_QMS_TOKEN', qms.simulated, 'plantflow-qms-simulator-token') },
    mes: { ...mes, token: requireSecret('PLANTFLOW_MES_TOKEN', mes.simulated, 'plantflow-mes-simulator-token') },
    sites,
    api: {
      host: apiHost,
      port: apiPort,
      keys: parseApiKeys(secret(env, 'PLANTFLOW_API_KEYS')),
      publicUrl: read(env, 'PLANTFLOW_API_PUBLIC_URL', urlSchema, `http://localhost:${apiPort}`),
    },
    codec: parseCodecKeys(secret(env, 'PLANTFLOW_CODEC_KEYS'), env.PLANTFLOW_CODEC_KEY_ID || undefined),
    dataDir,
    logLevel: read(
      env,
      'PLANTFLOW_LOG_LEVEL',
      z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']),
      'info',
    ),
    logFormat: read(env, 'PLANTFLOW_LOG_FORMAT', z.enum(['auto', 'pretty', 'json']), 'auto'),
    metrics: {
      bindAddress: read(
        env,
        'PLANTFLOW_METRICS_BIND',
        z
          .string()
          .regex(/^[^:\s]+:\d+$/, 'expected host:port')
          .optional(),
        undefined,
      ),
    },
    simulatorPorts,
    businessMetricsBind: read(
      env,
      'PLANTFLOW_BUSINESS_METRICS_BIND',
      z
        .string()
        .regex(/^[^:\s]+:\d+$/, 'expected host:port')
        .optional(),
      undefined,
    ),
    workers: read(
      env,
      'PLANTFLOW_WORKERS',
      z
        .string()
        .transform((v) =>
          v
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean),
        )
        .pipe(z.array(z.enum(WORKER_GROUPS)).min(1)),
      WORKER_GROUPS.join(','),
    ),
    worker: {
      maxCachedWorkflows: read(
        env,
        'PLANTFLOW_WORKER_MAX_CACHED_WORKFLOWS',
        z.coerce.number().int().min(2).max(100_000),
        DEFAULT_MAX_CACHED_WORKFLOWS,
      ),
    },
    notifyWebhookUrl: env.PLANTFLOW_NOTIFY_WEBHOOK_URL
      ? read(env, 'PLANTFLOW_NOTIFY_WEBHOOK_URL', urlSchema)
      : undefined,
    policies: {
      ncr: read(env, 'PLANTFLOW_NCR_POLICY', jsonSchema.pipe(ncrPolicyOverridesSchema).optional(), undefined),
      lotReleaseWithin: read(env, 'PLANTFLOW_LOT_RELEASE_WITHIN', durationSchema.optional(), undefined),
      orphanEventsGrace: read(env, 'PLANTFLOW_ORPHAN_EVENTS_GRACE', durationSchema.optional(), undefined),
    },
    usersFile: env.PLANTFLOW_USERS_FILE || undefined,
    signing: {
      maxFailures: read(env, 'PLANTFLOW_SIGNING_MAX_FAILURES', z.coerce.number().int().min(1).max(100), 5),
      windowMs: read(env, 'PLANTFLOW_SIGNING_FAILURE_WINDOW', durationMs, '15 minutes'),
      lockoutMs: read(env, 'PLANTFLOW_SIGNING_LOCKOUT', durationMs, '15 minutes'),
    },
    oidc: env.PLANTFLOW_OIDC_ISSUER
      ? {
          issuer: read(env, 'PLANTFLOW_OIDC_ISSUER', urlSchema),
          audience: read(env, 'PLANTFLOW_OIDC_AUDIENCE', z.string().min(1)),
          jwksUrl: env.PLANTFLOW_OIDC_JWKS_URL ? read(env, 'PLANTFLOW_OIDC_JWKS_URL', urlSchema) : undefined,
          maxAuthAgeSeconds: read(
            env,
            'PLANTFLOW_OIDC_MAX_AUTH_AGE_SECONDS',
            z.coerce.number().int().min(10).max(3600),
            300,
          ),
        }
      : undefined,
    edge: edgeConfig(env, { site: sites[0]!, dataDir, apiPort }),
    reconcile: {
      interval: read(env, 'PLANTFLOW_RECONCILE_INTERVAL', durationSchema, '15 minutes'),
      lookback: read(env, 'PLANTFLOW_RECONCILE_LOOKBACK', durationSchema, '7 days'),
      autoReapply: read(env, 'PLANTFLOW_RECONCILE_AUTO_REAPPLY', booleanFlag, 'false'),
      /** A schedule created paused (tests trigger runs themselves); an existing schedule keeps its state. */
      paused: read(env, 'PLANTFLOW_RECONCILE_PAUSED', booleanFlag, 'false'),
    },
  };
}

const booleanFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const durationMs = durationSchema.transform(durationToMs);

/** PLANTFLOW_EDGE_*: the plant edge; defaults fit the embedded stack (an edge for the first site on loopback). */
function edgeConfig(env: Env, defaults: { site: string; dataDir: string; apiPort: number }): EdgeConfig {
  const site = read(env, 'PLANTFLOW_EDGE_SITE', siteSchema, defaults.site);
  const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
  return {
    id: read(env, 'PLANTFLOW_EDGE_ID', edgeIdSchema, `edge-${site}`),
    site,
    host: read(env, 'PLANTFLOW_EDGE_HOST', z.string().min(1), '127.0.0.1'),
    port: read(env, 'PLANTFLOW_EDGE_PORT', portSchema, 8090),
    keys: parseApiKeys(secret(env, 'PLANTFLOW_EDGE_API_KEYS'), 'PLANTFLOW_EDGE_API_KEYS'),
    centralUrl: read(env, 'PLANTFLOW_EDGE_CENTRAL_URL', urlSchema, `http://127.0.0.1:${defaults.apiPort}`).replace(
      /\/+$/,
      '',
    ),
    centralApiKey: secret(env, 'PLANTFLOW_EDGE_CENTRAL_API_KEY'),
    database: resolve(read(env, 'PLANTFLOW_EDGE_DB', z.string().min(1), `${defaults.dataDir}/edge-${site}.sqlite`)),
    maxBacklogEvents: read(env, 'PLANTFLOW_EDGE_MAX_BACKLOG_EVENTS', int(1, 100_000_000), 1_000_000),
    maxBacklogBytes: read(env, 'PLANTFLOW_EDGE_MAX_BACKLOG_BYTES', int(1024, 1e12), 1024 ** 3),
    batchSize: read(env, 'PLANTFLOW_EDGE_BATCH_SIZE', int(1, 500), 200),
    retryInitialMs: read(env, 'PLANTFLOW_EDGE_RETRY_INITIAL_MS', int(10, 600_000), 1_000),
    retryMaxMs: read(env, 'PLANTFLOW_EDGE_RETRY_MAX_MS', int(10, 3_600_000), 60_000),
    timeoutMs: read(env, 'PLANTFLOW_EDGE_TIMEOUT_MS', int(100, 600_000), 30_000),
    reportEveryMs: read(env, 'PLANTFLOW_EDGE_REPORT_EVERY_MS', int(100, 3_600_000), 30_000),
    rememberForwardedMs: read(env, 'PLANTFLOW_EDGE_REMEMBER_FORWARDED', durationMs, '7 days'),
    silentAfterMs: read(env, 'PLANTFLOW_EDGE_SILENT_AFTER', durationMs, '5 minutes'),
  };
}
