import type { Duration } from '@temporalio/common';
import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import { NON_RETRYABLE_FAILURE_TYPES } from '../../domain/failures';
import type { createMesActivities } from '../../activities/mes/activities';
import type { createOdooActivities } from '../../activities/odoo/activities';
import type { createPlantflowActivities } from '../../activities/plantflow/activities';
import type { createQmsActivities } from '../../activities/qms/activities';
import type { createSapActivities } from '../../activities/sap/activities';
import { plantTaskQueue, TaskQueue } from '../task-queues';
import { DEFAULT_TUNING, type RetryTuning } from '../../domain/tuning';

export type OdooActivities = ReturnType<typeof createOdooActivities>;
export type SapActivities = ReturnType<typeof createSapActivities>;
export type QmsActivities = ReturnType<typeof createQmsActivities>;
export type MesActivities = ReturnType<typeof createMesActivities>;
export type PlantflowActivities = ReturnType<typeof createPlantflowActivities>;

/** Each system is called on its own task queue, with retries as long as the posting window allows. */
export function activityOptions(taskQueue: string, tuning: RetryTuning): ActivityOptions {
  return {
    taskQueue,
    startToCloseTimeout: tuning.callTimeout as Duration,
    scheduleToCloseTimeout: tuning.postingWindow as Duration,
    retry: {
      initialInterval: tuning.initialInterval as Duration,
      backoffCoefficient: 2,
      maximumInterval: tuning.maximumInterval as Duration,
      nonRetryableErrorTypes: NON_RETRYABLE_FAILURE_TYPES,
    },
  };
}

export interface SystemActivities {
  odoo: OdooActivities;
  sap: SapActivities;
  qms: QmsActivities;
  mes: MesActivities;
  plantflow: PlantflowActivities;
}

/** Activity proxies for one run; MES calls go to the plant's own queue (served at the plant). */
export function systemActivities(partial: Partial<RetryTuning> | undefined, site: string): SystemActivities {
  const tuning: RetryTuning = { ...DEFAULT_TUNING, ...partial };
  return {
    odoo: proxyActivities<OdooActivities>(activityOptions(TaskQueue.odoo, tuning)),
    sap: proxyActivities<SapActivities>(activityOptions(TaskQueue.sap, tuning)),
    qms: proxyActivities<QmsActivities>(activityOptions(TaskQueue.qms, tuning)),
    mes: proxyActivities<MesActivities>(activityOptions(plantTaskQueue(site), tuning)),
    plantflow: proxyActivities<PlantflowActivities>(activityOptions(TaskQueue.workflows, tuning)),
  };
}

type AnyActivity = ((arg: never) => Promise<unknown>) & {
  executeWithOptions(options: ActivityOptions, args: unknown[]): Promise<unknown>;
};

/** Calls an activity with a one-line summary, so the Temporal UI timeline reads like the plant. */
export function withSummary<F extends (arg: never) => Promise<unknown>>(
  fn: F,
  summary: string,
  arg: Parameters<F>[0],
): ReturnType<F> {
  return (fn as unknown as AnyActivity).executeWithOptions({ summary: summary.slice(0, 200) }, [arg]) as ReturnType<F>;
}
