import { SimulatorServer } from '../shared/server';
import { StateFile } from '../shared/persistence';
import { createRestApi, jsonFaultReply, type RestApi } from '../shared/rest-kit/app';
import { mesRegistry } from './contract';
import { adminRoutes } from './routes/admin';
import { dispatchRoutes } from './routes/dispatches';
import { seedMesState, type MesSnapshot, type MesState, type MesStateHolder } from './state';

export const DEFAULT_MES_TOKEN = 'plantflow-mes-simulator-token';

export interface MesSimulatorOptions {
  /** Bearer token callers must present (default: the simulator token of workers/runtime/config.ts). */
  token?: string;
  /** JSON file that keeps business state (and idempotency keys) across restarts. */
  stateFile?: string;
  logger?: boolean;
}

export interface MesSimulator {
  server: SimulatorServer;
  rest: RestApi;
  /** Writes the state file now (no-op without one); call before a planned stop. */
  flush(): void;
  /** Live business state (the same object /__sim/state shows). */
  state(): MesState;
}

/**
 * The shop floor: plants with work centers, dispatched orders (OperationsRequests) with recall and
 * stacked holds. Fault specials: `rejectDispatch` (reason string: refuse every dispatch with 422),
 * `malformedResponseRate` (0..1: answer 2xx with a body outside the contract).
 */
export function createMesSimulator(options: MesSimulatorOptions = {}): MesSimulator {
  const server = new SimulatorServer({ name: 'mes', faultReply: jsonFaultReply('mes'), logger: options.logger });
  const file = options.stateFile ? new StateFile<MesSnapshot>(options.stateFile) : undefined;
  const holder: MesStateHolder = { state: seedMesState() };
  const snapshot = (): MesSnapshot => ({ state: holder.state, idempotencyKeys: rest.idempotency.snapshot() });
  const rest: RestApi = createRestApi(server, {
    system: 'mes',
    title: 'plantflow MES API',
    description:
      'Manufacturing execution system contract used by plantflow: plants and work centers, order dispatch ' +
      '(ISA-95 OperationsRequest), recall, and stacked holds. Writes honour Idempotency-Key.',
    version: '1.0.0',
    token: options.token ?? DEFAULT_MES_TOKEN,
    registry: mesRegistry,
    tags: [
      { name: 'plants', description: 'Sites and their work centers' },
      { name: 'dispatches', description: 'Production orders dispatched to the floor' },
      { name: 'holds', description: 'Holds on dispatched orders (several may stack)' },
      { name: 'health', description: 'Liveness' },
    ],
    onWrite: () => file?.scheduleSave(snapshot),
  });
  const ctx = { holder, rest, server };
  rest.routes(dispatchRoutes(ctx));
  rest.routes(adminRoutes(ctx));

  let started = false;
  server.attach({
    reset() {
      holder.state = seedMesState();
      rest.idempotency.clear();
      // The reset inside attach() runs before the saved state is loaded: it must not overwrite the file.
      if (started) file?.scheduleSave(snapshot);
    },
    dump: snapshot,
  });
  const saved = file?.load();
  if (saved) {
    holder.state = saved.state;
    rest.idempotency.restore(saved.idempotencyKeys);
  }
  started = true;
  return { server, rest, state: () => holder.state, flush: () => file?.flush(snapshot) };
}
