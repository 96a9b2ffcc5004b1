import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { PlantflowConfig } from '../../runtime/config';
import { registerLot, type RegisterLotInput } from './lots';
import { notify, type NotifyInput } from './notify';
import { createNcrActivities } from './ncrs';
import { openNonconformance, type NcrWorkflowStart } from './ncr-start';

export type { RegisterLotInput } from './lots';
export type { NotifyInput } from './notify';

export interface PlantflowActivityDeps {
  client: Client;
  logger: Logger;
  notifyWebhookUrl?: string;
  /** The plant's policies for the lot and NCR runs these activities start. */
  policies?: PlantflowConfig['policies'];
}

/** Activities on plantflow's own task queue: they talk to Temporal itself, or to people. */
export function createPlantflowActivities(deps: PlantflowActivityDeps) {
  return {
    plantflowRegisterLot: (input: RegisterLotInput) => registerLot(deps.client, input, deps.policies?.lotReleaseWithin),
    plantflowNotify: (input: NotifyInput) => notify({ logger: deps.logger, webhookUrl: deps.notifyWebhookUrl }, input),
    ...createNcrActivities(deps.client, deps.policies?.ncr),
    plantflowOpenNonconformance: (input: NcrWorkflowStart) =>
      openNonconformance(deps.client, input, deps.policies?.ncr),
  };
}
