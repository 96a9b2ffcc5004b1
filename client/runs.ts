import { WorkflowExecutionAlreadyStartedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { PlantflowRuns, ReleaseOrderOutcome, ReleaseReworkOrderInput } from '../activities/plantflow/runs';
import { orderWorkflowId } from '../domain/ids';
import { PlantflowInputError } from './errors';
import { reconciliationFacts, settledDrift } from './reconciliation-facts';
import type { PlantflowClient } from './index';

/** plantflow's runs for the activities on its own queue, through the same client every service uses. */
export function plantflowRuns(plantflow: PlantflowClient): PlantflowRuns {
  return {
    registerProducedLot: (input) => plantflow.lots.registerProduced(input),
    traceForward: (request) => plantflow.lots.traceForward(request),
    countNonconformances: ({ material, since }) => plantflow.ncrs.countSince(material, since),
    openNcr: ({ start, tuning }) => plantflow.ncrs.openStart(start, { existing: 'use', tuning }),
    releaseOrder: (input) => releaseLinkedOrder(plantflow, input),
    reconciliationFacts: (input) => reconciliationFacts(plantflow.temporal, input),
    settledDrift: (site) => settledDrift(plantflow, site),
    reportException: (report) => plantflow.exceptions.report(report),
  };
}

/**
 * Releases the rework order as any order is released (update-with-start of the order run), with a
 * summary and memo that link it back to the NCR. Released already → its run is reported, nothing new.
 */
async function releaseLinkedOrder(
  plantflow: PlantflowClient,
  input: ReleaseReworkOrderInput,
): Promise<ReleaseOrderOutcome> {
  const order = input.order;
  const workflowId = orderWorkflowId(order.site, order.orderRef);
  const link = {
    memo: {
      ncrId: input.ncrId,
      ncrWorkflowId: input.ncrWorkflowId,
      ...(input.reworkOf ? { reworkOf: input.reworkOf } : {}),
    },
    summary: `Rework order ${order.orderRef} for NCR ${input.ncrId}${input.reworkOf ? ` (units of order ${input.reworkOf})` : ''}`,
  };
  try {
    const accepted = await plantflow.orders.release(order, link, { tuning: input.tuning });
    return { outcome: 'released', workflowId, runId: accepted.runId };
  } catch (err) {
    if (err instanceof PlantflowInputError) return { outcome: 'refused', workflowId, reason: err.message };
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { outcome: 'already_released', workflowId };
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
      if (err.cause.type === 'AlreadyReleased') return { outcome: 'already_released', workflowId };
      return { outcome: 'refused', workflowId, reason: err.cause.message };
    }
    throw err;
  }
}
