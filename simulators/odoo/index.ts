import { StateFile } from '../shared/persistence';
import { SimulatorServer } from '../shared/server';
import { buildRegistry } from './models/registry';
import { Env } from './orm/env';
import type { OdooState } from './orm/types';
import { odooFaultReply } from './rpc/pages';
import { registerOdooRoutes } from './rpc/routes';
import { OdooRuntime, type RuntimeHolder } from './rpc/runtime';
import { RpcServices } from './rpc/services';
import { seedOdooState, SIM_DATABASE, SIM_LOGIN, SIM_PASSWORD, SIM_UID } from './seed';
import type { OdooVersion } from './version';

export { ODOO_VERSIONS, type OdooVersion } from './version';
export { SIM_DATABASE, SIM_LOGIN, SIM_PASSWORD, SIM_UID } from './seed';

/** The simulator key of runtime/config.ts: works as password over JSON-RPC and as JSON-2 bearer. */
export const DEFAULT_ODOO_API_KEY = 'plantflow-odoo-simulator-api-key';

export interface OdooSimulatorOptions {
  /** Odoo major version to speak (default 19, as the config default). */
  version?: OdooVersion;
  apiKey?: string;
  /** JSON file keeping the business state across restarts. */
  stateFile?: string;
  logger?: boolean;
}

export interface OdooSimulator {
  server: SimulatorServer;
  version: OdooVersion;
  apiKey: string;
  database: string;
  login: string;
  password: string;
  /** Live business state (what /__sim/state shows). */
  state(): OdooState;
  /** An ORM environment over the live state, for tests to inspect records the way Odoo would. */
  env(): Env;
  /** Writes the state file now (no-op without one); stopping the server does it too. */
  flush(): void;
}

interface Snapshot {
  version: OdooVersion;
  state: OdooState;
}

/**
 * A faithful Odoo 17/18/19 for tests and the demo: /jsonrpc (common, object, db), /json/2 (19),
 * /web/version, /web/webclient/version_info, /web/health, over a manufacturing/stock/quality database
 * seeded from the demo plant. Special faults: commitThenErrorRate, malformedResponseRate,
 * lotUniqueRaceRate, loginCooldownAfter/loginCooldownSeconds.
 */
export function createOdooSimulator(options: OdooSimulatorOptions = {}): OdooSimulator {
  const version = options.version ?? '19';
  const apiKey = options.apiKey ?? DEFAULT_ODOO_API_KEY;
  const registry = buildRegistry(version);
  const server = new SimulatorServer({ name: 'odoo', faultReply: odooFaultReply, logger: options.logger });
  const holder: RuntimeHolder = { registry, state: seedOdooState(registry) };
  const snapshot = (): Snapshot => ({ version, state: holder.state });
  const file = options.stateFile ? new StateFile<Snapshot>(options.stateFile, snapshot) : undefined;
  const runtime = new OdooRuntime(holder, server, () => file?.changed());
  const services = new RpcServices(registry.traits, { apiKey }, runtime, server);
  registerOdooRoutes({ server, traits: registry.traits, services, runtime, apiKey });

  let attached = false;
  server.attach({
    reset() {
      holder.state = seedOdooState(registry);
      // attach() resets once before the saved state is loaded: that first seed must not overwrite it.
      if (attached) file?.changed();
    },
    dump: () => ({ version, database: SIM_DATABASE, ...holder.state }),
    commit: file && (() => file.commit()),
  });
  // Stopping the simulator writes the state once more (a reset or a seed change nobody asked about since).
  server.app.addHook('onClose', async () => file?.flush());
  const saved = file?.load();
  if (saved && saved.version === version) holder.state = saved.state;
  attached = true;

  return {
    server,
    version,
    apiKey,
    database: SIM_DATABASE,
    login: SIM_LOGIN,
    password: SIM_PASSWORD,
    state: () => holder.state,
    env: () => new Env(holder, SIM_UID),
    flush: () => file?.flush(),
  };
}
