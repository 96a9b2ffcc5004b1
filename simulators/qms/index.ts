import { createRestSimulator, type RestSimulator, type RestSimulatorOptions } from '../shared/rest-kit/simulator';
import { qmsRegistry } from '../../contracts/qms';
import { nonconformanceRoutes } from './routes/nonconformances';
import { planRoutes } from './routes/plans';
import { recordRoutes } from './routes/records';
import { seedQmsState, type QmsState } from './state';

export const DEFAULT_QMS_TOKEN = 'plantflow-qms-simulator-token';

export type QmsSimulatorOptions = RestSimulatorOptions;
export type QmsSimulator = RestSimulator<QmsState>;

/** The quality system: inspection plans and their activation per order, results, NCRs, CAPAs, signed records. */
export function createQmsSimulator(options: QmsSimulatorOptions = {}): QmsSimulator {
  return createRestSimulator(options, {
    system: 'qms',
    title: 'plantflow QMS API',
    description:
      'Quality management system contract used by plantflow: inspection plans (TestSpecification) and their ' +
      'activation per production order, inspection results (TestResult), nonconformances, CAPA and signed ' +
      'disposition records. Writes honour Idempotency-Key.',
    version: '1.0.0',
    defaultToken: DEFAULT_QMS_TOKEN,
    registry: qmsRegistry,
    tags: [
      { name: 'inspection plans', description: 'TestSpecifications per material and their activation per order' },
      { name: 'inspection results', description: 'TestResults per lot and characteristic' },
      { name: 'nonconformances', description: 'NCR records: containment, disposition lines, root cause, closure' },
      { name: 'capa', description: 'Corrective and preventive actions linked to NCRs' },
      { name: 'signed records', description: 'Append-only signed disposition records (21 CFR Part 11)' },
      { name: 'health', description: 'Liveness' },
    ],
    seed: seedQmsState,
    routes: (ctx) => [planRoutes(ctx), nonconformanceRoutes(ctx), recordRoutes(ctx)],
  });
}
