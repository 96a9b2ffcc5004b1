// Workflow code (bundled with plantflow's workflows for the bench workers): deterministic, no I/O.
import { proxyActivities } from '@temporalio/workflow';
import type { benchActivities } from './noop';

/** The task queue of every activity an order run made, in the order it made them. */
export interface BaselinePlan {
  taskQueues: string[];
}

/**
 * What Temporal itself does for one order on this machine: the same activities on the same task queues,
 * one after the other, each a no-op. plantflow's throughput is measured against this one's.
 */
export async function engineBaseline(plan: BaselinePlan): Promise<number> {
  for (const taskQueue of plan.taskQueues) {
    const { benchNoop } = proxyActivities<typeof benchActivities>({ taskQueue, startToCloseTimeout: '1 minute' });
    await benchNoop();
  }
  return plan.taskQueues.length;
}
