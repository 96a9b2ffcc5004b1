import type { Client } from '@temporalio/client';
import type { LotQuantity } from '../../domain/execution';
import { lotWorkflowId } from '../../domain/ids';
import type { Quantity } from '../../domain/quantity';
import { LOT_WORKFLOW_TYPE, lotProducedSignal, type LotWorkflowStart } from '../../workflows/messages/lot';
import { LotIdAttr, MaterialAttr, OrderRefAttr, SiteAttr } from '../../workflows/search-attributes';
import { TaskQueue } from '../../workflows/task-queues';

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

/** Starts the lot's workflow, or tells the running one about more production (signal-with-start). */
export async function registerLot(client: Client, input: RegisterLotInput): Promise<{ workflowId: string }> {
  const workflowId = lotWorkflowId(input.material, input.lotId);
  const start: LotWorkflowStart = { material: input.material, lotId: input.lotId, site: input.site };
  await client.workflow.signalWithStart(LOT_WORKFLOW_TYPE, {
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
}
