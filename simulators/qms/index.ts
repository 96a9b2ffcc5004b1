import { SimulatorServer } from '../shared/server';
import { StateFile } from '../shared/persistence';
import { qmsRegistry } from './contract';
import { createRestApi, jsonFaultReply, type RestApi } from '../shared/rest-kit/app';
import { nonconformanceRoutes } from './routes/nonconformances';
import { planRoutes } from './routes/plans';
import { recordRoutes } from './routes/records';
import { seedQmsState, type QmsSnapshot, type QmsState, type QmsStateHolder } from './state';

export const DEFAULT_QMS_TOKEN = 'plantflow-qms-simulator-token';

export interface QmsSimulatorOptions {
  /** Bearer token callers must present (default: the simulator token of workers/runtime/config.ts). */
  token?: string;
  /** JSON file that keeps business state (and idempotency keys) across restarts. */
  stateFile?: string;
  logger?: boolean;
}

export interface QmsSimulator {
  server: SimulatorServer;
  rest: RestApi;
  /** Writes the state file now (no-op without one); call before a planned stop. */
  flush(): void;
  /** Live business state (read it in tests; the same object /__sim/state shows). */
  state(): QmsState;
}

/** The quality system: inspection plans and their activation per order, results, NCRs, CAPAs, signed records. */
export function createQmsSimulator(options: QmsSimulatorOptions = {}): QmsSimulator {
  const server = new SimulatorServer({ name: 'qms', faultReply: jsonFaultReply('qms'), logger: options.logger });
  const file = options.stateFile ? new StateFile<QmsSnapshot>(options.stateFile) : undefined;
  const holder: QmsStateHolder = { state: seedQmsState() };
  const snapshot = (): QmsSnapshot => ({ state: holder.state, idempotencyKeys: rest.idempotency.snapshot() });
  const rest: RestApi = createRestApi(server, {
    system: 'qms',
    title: 'plantflow QMS API',
    description:
      'Quality management system contract used by plantflow: inspection plans (TestSpecification) and their ' +
      'activation per production order, inspection results (TestResult), nonconformances, CAPA and signed ' +
      'disposition records. Writes honour Idempotency-Key.',
    version: '1.0.0',
    token: options.token ?? DEFAULT_QMS_TOKEN,
    registry: qmsRegistry,
    tags: [
      { name: 'inspection plans', description: 'TestSpecifications per material and their activation per order' },
      { name: 'inspection results', description: 'TestResults per lot and characteristic' },
      { name: 'nonconformances', description: 'NCR records: containment, disposition lines, root cause, closure' },
      { name: 'capa', description: 'Corrective and preventive actions linked to NCRs' },
      { name: 'signed records', description: 'Append-only signed disposition records (21 CFR Part 11)' },
      { name: 'health', description: 'Liveness' },
    ],
    onWrite: () => file?.scheduleSave(snapshot),
  });
  const ctx = { holder, rest };
  rest.routes(planRoutes(ctx));
  rest.routes(nonconformanceRoutes(ctx));
  rest.routes(recordRoutes(ctx));

  let started = false;
  server.attach({
    reset() {
      holder.state = seedQmsState();
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
