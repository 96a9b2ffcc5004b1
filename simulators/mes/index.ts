import { createRestSimulator, type RestSimulator, type RestSimulatorOptions } from '../shared/rest-kit/simulator';
import { mesRegistry } from '../../contracts/mes';
import { adminRoutes } from './routes/admin';
import { dispatchRoutes } from './routes/dispatches';
import { seedMesState, type MesState } from './state';

export const DEFAULT_MES_TOKEN = 'plantflow-mes-simulator-token';

export type MesSimulatorOptions = RestSimulatorOptions;
export type MesSimulator = RestSimulator<MesState>;

/**
 * The shop floor: plants with work centers, dispatched orders (OperationsRequests) with recall and
 * stacked holds. Fault specials: `rejectDispatch` (reason string: refuse every dispatch with 422),
 * `malformedResponseRate` (0..1: answer 2xx with a body outside the contract).
 */
export function createMesSimulator(options: MesSimulatorOptions = {}): MesSimulator {
  return createRestSimulator(options, {
    system: 'mes',
    title: 'plantflow MES API',
    description:
      'Manufacturing execution system contract used by plantflow: plants and work centers, order dispatch ' +
      '(ISA-95 OperationsRequest), recall, and stacked holds. Writes honour Idempotency-Key.',
    version: '1.0.0',
    defaultToken: DEFAULT_MES_TOKEN,
    registry: mesRegistry,
    tags: [
      { name: 'plants', description: 'Sites and their work centers' },
      { name: 'dispatches', description: 'Production orders dispatched to the floor' },
      { name: 'holds', description: 'Holds on dispatched orders (several may stack)' },
      { name: 'health', description: 'Liveness' },
    ],
    seed: seedMesState,
    routes: (ctx) => [dispatchRoutes(ctx), adminRoutes(ctx)],
  });
}
