import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { LotQuantity } from '../../domain/execution';
import { lotKey, lotWorkflowId } from '../../domain/ids';
import type { Quantity } from '../../domain/quantity';
import {
  LOT_WORKFLOW_TYPE,
  lotChildLearnedSignal,
  lotProducedSignal,
  type LotWorkflowStart,
} from '../../workflows/messages/lot';
import { LotIdAttr, MaterialAttr, OrderRefAttr, ParentLotsAttr, SiteAttr } from '../../workflows/search-attributes';
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

/**
 * Starts the lot's workflow, or tells the running one about more production (signal-with-start). Then
 * each parent lot's running workflow learns its new child (best effort: forward genealogy does not rely
 * on it — the child's ParentLots search attribute is the index, and works for closed parents too).
 */
export async function registerLot(
  client: Client,
  input: RegisterLotInput,
  releaseWithin?: string,
): Promise<{ workflowId: string; parentsTold: number }> {
  const workflowId = lotWorkflowId(input.material, input.lotId);
  // Only a run started here takes the deadline: signal-with-start leaves a running lot's input as it is.
  const start: LotWorkflowStart = {
    material: input.material,
    lotId: input.lotId,
    site: input.site,
    ...(releaseWithin ? { releaseWithin } : {}),
  };
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
      { key: ParentLotsAttr, value: [...new Set(input.parents.map((p) => lotKey(p.material, p.lotId)))].sort() },
    ],
    staticSummary: `Lot ${input.lotId} of ${input.material}, made by order ${input.producedBy.orderRef}`,
  });
  let parentsTold = 0;
  for (const parent of input.parents) {
    try {
      await client.workflow.getHandle(lotWorkflowId(parent.material, parent.lotId)).signal(lotChildLearnedSignal, {
        material: input.material,
        lotId: input.lotId,
        quantity: parent.quantity,
        orderRef: input.producedBy.orderRef,
        learnedAt: input.producedAt,
      });
      parentsTold += 1;
    } catch (err) {
      // No lot run (seeded stock, a supplier lot) or a closed one: visibility still finds the child.
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }
  return { workflowId, parentsTold };
}
