import type { Logger } from 'pino';
import type { ExceptionReport } from '../../domain/exceptions';
import type { ForwardTraceRequest } from '../../domain/lot-genealogy';
import type { NcrStart } from '../../domain/starts';
import { businessRuleFailure, transientFailure } from '../shared/failures';
import { notify, type NotifyInput } from './notify';
import type {
  CountNonconformancesInput,
  OpenNcrInput,
  PlantflowRuns,
  ReconciliationFactsInput,
  RegisterLotInput,
  ReleaseReworkOrderInput,
} from './runs';

export type { NotifyInput } from './notify';
export type * from './runs';

export interface PlantflowActivityDeps {
  /** plantflow's runs, reached through the Temporal client (client/runs.ts). */
  runs: PlantflowRuns;
  logger: Logger;
  notifyWebhookUrl?: string;
}

/** Activities on plantflow's own task queue: they talk to Temporal itself (other runs), or to people. */
export function createPlantflowActivities(deps: PlantflowActivityDeps) {
  const { runs } = deps;
  const openNcr = (input: OpenNcrInput) => runs.openNcr(input);
  return {
    plantflowRegisterLot: (input: RegisterLotInput) => runs.registerProducedLot(input),
    plantflowNotify: (input: NotifyInput) => notify({ logger: deps.logger, webhookUrl: deps.notifyWebhookUrl }, input),
    /** Visibility is the genealogy's index: while it cannot answer, containment retries. */
    plantflowTraceForwardGenealogy: async (input: ForwardTraceRequest) => {
      try {
        return await runs.traceForward(input);
      } catch (err) {
        throw transientFailure(`forward genealogy not traced: ${(err as Error).message}`, { system: 'plantflow' });
      }
    },
    plantflowCountNonconformances: (input: CountNonconformancesInput) => runs.countNonconformances(input),
    /** Opens an NCR (an order's MES deviation, a lot's failed inspection); the id is deterministic, so a retry joins. */
    plantflowOpenNcr: openNcr,
    /** @deprecated Lot runs scheduled it before plantflowOpenNcr; they replay it. Same activity, older input. */
    plantflowOpenNonconformance: (start: NcrStart) => openNcr({ start }),
    /** Reconciliation: one page of a site's orders or lots as plantflow recorded them. */
    plantflowReconciliationFacts: (input: ReconciliationFactsInput) => runs.reconciliationFacts(input),
    /** Reconciliation: drift an operator accepted or ignored, and drift being re-applied. */
    plantflowSettledDrift: (input: { site: string }) => runs.settledDrift(input.site),
    /** Keeps what a run could not apply in the site's exception record; a report that cannot be read is a bug, not a retry. */
    plantflowReportException: async (report: ExceptionReport) => {
      try {
        return await runs.reportException(report);
      } catch (err) {
        if ((err as Error).name === 'PlantflowInputError')
          throw businessRuleFailure((err as Error).message, { system: 'plantflow' });
        throw err;
      }
    },
    plantflowReleaseReworkOrder: async (input: ReleaseReworkOrderInput) => {
      const released = await runs.releaseOrder(input);
      if (released.outcome === 'refused')
        throw businessRuleFailure(`rework order ${input.order.orderRef} refused: ${released.reason}`, {
          system: 'plantflow',
        });
      return {
        workflowId: released.workflowId,
        runId: released.outcome === 'released' ? released.runId : undefined,
        alreadyReleased: released.outcome === 'already_released',
      };
    },
  };
}
