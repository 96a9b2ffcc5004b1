import type { Client } from '@temporalio/client';
import axios from 'axios';
import type { Logger } from 'pino';
import type { LotQuantity } from '../../domain/execution';
import { lotWorkflowId } from '../../domain/ids';
import type { Quantity } from '../../domain/quantity';
import { LOT_WORKFLOW_TYPE, lotProducedSignal, type LotWorkflowStart } from '../../workflows/messages/lot';
import { LotIdAttr, MaterialAttr, OrderRefAttr, SiteAttr } from '../../workflows/search-attributes';
import { TaskQueue } from '../../workflows/task-queues';
import { transientFailure } from '../shared/failures';

export interface PlantflowActivityDeps {
  client: Client;
  logger: Logger;
  /** Optional webhook that receives escalations (Teams/Slack/pager bridge); they are always logged. */
  notifyWebhookUrl?: string;
}

export interface RegisterLotInput {
  material: string;
  lotId: string;
  site: string;
  quantity: Quantity;
  parents: LotQuantity[];
  producedAt: string;
  producedBy: { orderRef: string; orderWorkflowId: string };
  executors: string[];
  /** The order step that produced it; makes repeated registrations of one production count once. */
  sourceEventId?: string;
}

export interface NotifyInput {
  kind: 'escalation' | 'information';
  subject: string;
  message: string;
  workflowId: string;
}

/** Activities on plantflow's own task queue: they talk to Temporal itself, or to people. */
export function createPlantflowActivities(deps: PlantflowActivityDeps) {
  return {
    /** Starts the lot's workflow, or tells the running one about more production (signal-with-start). */
    async plantflowRegisterLot(input: RegisterLotInput): Promise<{ workflowId: string }> {
      const workflowId = lotWorkflowId(input.material, input.lotId);
      const start: LotWorkflowStart = { material: input.material, lotId: input.lotId, site: input.site };
      await deps.client.workflow.signalWithStart(LOT_WORKFLOW_TYPE, {
        workflowId,
        taskQueue: TaskQueue.workflows,
        args: [start],
        signal: lotProducedSignal,
        signalArgs: [
          {
            sourceEventId: input.sourceEventId ?? `${input.producedBy.orderWorkflowId}@${input.producedAt}`,
            quantity: input.quantity,
            parents: input.parents,
            producedBy: input.producedBy,
            executors: input.executors,
            producedAt: input.producedAt,
          },
        ],
        typedSearchAttributes: [
          { key: LotIdAttr, value: input.lotId },
          { key: MaterialAttr, value: input.material },
          { key: SiteAttr, value: input.site },
          { key: OrderRefAttr, value: input.producedBy.orderRef },
        ],
        staticSummary: `Lot ${input.lotId} of ${input.material}, made by order ${input.producedBy.orderRef}`,
      });
      return { workflowId };
    },

    /** Escalations reach people: always the log, and the webhook when one is configured. */
    async plantflowNotify(input: NotifyInput): Promise<{ delivered: 'log' | 'webhook' }> {
      deps.logger.warn({ notification: input }, `${input.kind}: ${input.subject}`);
      if (!deps.notifyWebhookUrl) return { delivered: 'log' };
      try {
        const res = await axios.post(deps.notifyWebhookUrl, input, { timeout: 10_000, validateStatus: () => true });
        if (res.status >= 300) throw transientFailure(`notification webhook answered ${res.status}`, { system: 'plantflow', status: res.status });
      } catch (err) {
        if (axios.isAxiosError(err)) throw transientFailure(`notification webhook unreachable: ${err.message}`, { system: 'plantflow' });
        throw err;
      }
      return { delivered: 'webhook' };
    },
  };
}
