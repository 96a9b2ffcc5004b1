import { join } from 'node:path';
import { createMesSimulator } from './mes';
import { createOdooSimulator } from './odoo';
import { createQmsSimulator } from './qms';
import { createSapSimulator } from './sap';
import type { SimulatorServer } from './shared/server';

export type SimulatedSystem = 'odoo' | 'sap' | 'qms' | 'mes';

export interface RunningSimulator {
  system: SimulatedSystem;
  server: SimulatorServer;
  url: string;
  /** Persists state (when a state file is used) and stops listening. */
  stop(): Promise<void>;
}

/** What the simulators take from plantflow's configuration (runtime/config.ts PlantflowConfig has it). */
export interface SimulatorSettings {
  odoo: { simulated: boolean; version: '17' | '18' | '19'; apiKey: string };
  sap: { simulated: boolean; user: string; password: string };
  qms: { simulated: boolean; token: string };
  mes: { simulated: boolean; token: string };
  simulatorPorts: Record<SimulatedSystem, number>;
}

export interface SimulatorStartOptions {
  /** Keep business state under this folder so a restart continues where it left off. */
  stateDir?: string;
  /** Overrides config.simulatorPorts (tests pass 0 for free ports). */
  ports?: Partial<Record<SimulatedSystem, number>>;
  /** Start these even when the config points the system at a real URL (tests). */
  only?: SimulatedSystem[];
}

/**
 * Starts a simulator for every system the configuration does not point at a real URL, speaking the
 * configured Odoo version and accepting the configured credentials.
 */
export async function startSimulators(
  config: SimulatorSettings,
  options: SimulatorStartOptions = {},
): Promise<RunningSimulator[]> {
  const wanted = (system: SimulatedSystem) => (options.only ? options.only.includes(system) : config[system].simulated);
  const stateFile = (system: SimulatedSystem) =>
    options.stateDir ? join(options.stateDir, `${system}.json`) : undefined;
  const port = (system: SimulatedSystem) => options.ports?.[system] ?? config.simulatorPorts[system];
  const started: RunningSimulator[] = [];
  const launch = async (system: SimulatedSystem, server: SimulatorServer, stop: () => Promise<void>) => {
    const url = await server.start(port(system));
    started.push({ system, server, url, stop });
  };
  const flushThenStop = (server: SimulatorServer, flush: () => void) => async () => {
    flush();
    await server.stop();
  };
  try {
    if (wanted('odoo')) {
      const sim = createOdooSimulator({
        version: config.odoo.version,
        apiKey: config.odoo.apiKey,
        stateFile: stateFile('odoo'),
      });
      await launch(
        'odoo',
        sim.server,
        flushThenStop(sim.server, () => sim.flush()),
      );
    }
    if (wanted('sap')) {
      const sim = createSapSimulator({
        user: config.sap.user,
        password: config.sap.password,
        stateFile: stateFile('sap'),
      });
      await launch('sap', sim.server, () => sim.stop());
    }
    if (wanted('qms')) {
      const sim = createQmsSimulator({ token: config.qms.token, stateFile: stateFile('qms') });
      await launch(
        'qms',
        sim.server,
        flushThenStop(sim.server, () => sim.flush()),
      );
    }
    if (wanted('mes')) {
      const sim = createMesSimulator({ token: config.mes.token, stateFile: stateFile('mes') });
      await launch(
        'mes',
        sim.server,
        flushThenStop(sim.server, () => sim.flush()),
      );
    }
  } catch (err) {
    await Promise.all(started.map((s) => s.stop()));
    throw err;
  }
  return started;
}
