import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowExecutionInfo,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { PlantflowInputError } from '../../client/errors';
import { NcrClient } from '../../client/ncrs';
import { OrderClient } from '../../client/orders';
import { lotKey, lotWorkflowId, orderWorkflowId } from '../../domain/ids';
import type { NcrPolicyOverrides } from '../../domain/ncr';
import type { ProductionOrderInput } from '../../domain/order';
import { LOT_WORKFLOW_TYPE, lotStatusQuery } from '../../workflows/messages/lot';
import { NCR_WORKFLOW_TYPE, type NcrWorkflowStart } from '../../workflows/messages/ncr';
import { LotIdAttr, MaterialAttr } from '../../workflows/search-attributes';
import type { RetryTuning } from '../../workflows/shared/tuning';
import { businessRuleFailure, transientFailure } from '../shared/failures';

/**
 * The NCR process's activities on plantflow's own queue: they talk to Temporal itself — visibility
 * queries for forward genealogy and recurrence, and starts of NCR and rework order runs.
 */

export interface GenealogyLot {
  material: string;
  lotId: string;
  key: string;
  /** 0 for the lots asked about, 1 for lots made from them, … */
  depth: number;
  via?: string;
  workflowId: string;
  /**
   * `none`: no lot workflow was ever started (a purchased lot, or one from before plantflow). A running
   * workflow that already decided its lot (releasing, rejecting) counts as closed: it takes no holds.
   */
  workflow: 'running' | 'closed' | 'none';
  /** The final decision a still-running lot workflow has taken. */
  decided?: string;
}

export interface TraceForwardGenealogyInput {
  roots: Array<{ material: string; lotId: string }>;
  maxDepth: number;
  /** Stop after this many lots (a runaway genealogy is an operator matter). */
  maxLots?: number;
}

export interface TraceForwardGenealogyResult {
  lots: GenealogyLot[];
  truncated: boolean;
}

const escape = (value: string) => value.replace(/\\/g, '\\\\').replace(/'/g, "\\'");

function materialAndLot(info: WorkflowExecutionInfo): { material: string; lotId: string } | undefined {
  const material = info.typedSearchAttributes.get(MaterialAttr);
  const lotId = info.typedSearchAttributes.get(LotIdAttr);
  if (material && lotId) return { material, lotId };
  const m = /^lot:([^:]+):(.+)$/.exec(info.workflowId);
  return m ? { material: m[1]!, lotId: m[2]! } : undefined;
}

async function workflowState(client: Client, workflowId: string): Promise<GenealogyLot['workflow']> {
  try {
    const d = await client.workflow.getHandle(workflowId).describe();
    return d.status.name === 'RUNNING' ? 'running' : 'closed';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return 'none';
    throw transientFailure(`cannot describe ${workflowId}: ${(err as Error).message}`, { system: 'plantflow' });
  }
}

/**
 * Forward genealogy to any depth: every lot whose ParentLots search attribute names a lot already
 * found, breadth first. A lot seen twice (diamond genealogy) is reported once, at its shallowest depth.
 */
export async function traceForwardGenealogy(
  client: Client,
  input: TraceForwardGenealogyInput,
): Promise<TraceForwardGenealogyResult> {
  const maxLots = input.maxLots ?? 500;
  const found = new Map<string, GenealogyLot>();
  for (const r of input.roots) {
    const workflowId = lotWorkflowId(r.material, r.lotId);
    found.set(lotKey(r.material, r.lotId), {
      ...r,
      key: lotKey(r.material, r.lotId),
      depth: 0,
      workflowId,
      workflow: await workflowState(client, workflowId),
    });
  }
  let frontier = [...found.values()];
  let truncated = false;
  for (let depth = 1; depth <= input.maxDepth && frontier.length > 0 && !truncated; depth++) {
    const next: GenealogyLot[] = [];
    for (const parent of frontier) {
      const query = `WorkflowType = '${LOT_WORKFLOW_TYPE}' AND ParentLots = '${escape(parent.key)}'`;
      try {
        for await (const info of client.workflow.list({ query })) {
          const ids = materialAndLot(info);
          if (!ids) continue;
          const key = lotKey(ids.material, ids.lotId);
          const running = info.status.name === 'RUNNING';
          const seen = found.get(key);
          // Earlier runs of a lot (continue-as-new) are closed: the lot is running if any run is.
          if (seen) {
            if (running && seen.workflow !== 'running') seen.workflow = 'running';
            continue;
          }
          if (found.size >= maxLots) {
            truncated = true;
            break;
          }
          const lot: GenealogyLot = {
            ...ids,
            key,
            depth,
            via: parent.key,
            workflowId: info.workflowId,
            workflow: running ? 'running' : 'closed',
          };
          found.set(key, lot);
          next.push(lot);
        }
      } catch (err) {
        throw transientFailure(`visibility query failed (${query}): ${(err as Error).message}`, {
          system: 'plantflow',
        });
      }
    }
    frontier = next;
  }
  for (const lot of found.values()) if (lot.workflow === 'running') await checkUndecided(client, lot);
  return { lots: [...found.values()], truncated };
}

/** A lot workflow past its final decision ignores holds: the NCR must block that lot itself. */
async function checkUndecided(client: Client, lot: GenealogyLot): Promise<void> {
  try {
    const view = await client.workflow.getHandle(lot.workflowId).query(lotStatusQuery);
    if (view.decided) {
      lot.workflow = 'closed';
      lot.decided = view.decided.decision;
    }
  } catch {
    // Not answering now (busy, or it just ended): describe() said running, a hold signal will tell.
  }
}

export interface CountNonconformancesInput {
  material: string;
  /** ISO timestamp: NCR runs started at or after it count. */
  since: string;
}

/** NCR runs of a material since a time (CAPA recurrence), oldest first, by Temporal visibility. */
export async function countNonconformances(
  client: Client,
  input: CountNonconformancesInput,
): Promise<{ count: number; ncrIds: string[] }> {
  const query = `WorkflowType = '${NCR_WORKFLOW_TYPE}' AND Material = '${escape(input.material)}' AND StartTime >= '${input.since}'`;
  const runs = new Map<string, number>();
  for await (const info of client.workflow.list({ query })) {
    const id = info.workflowId.replace(/^ncr:/, '');
    const started = info.startTime.getTime();
    if (!runs.has(id) || started < runs.get(id)!) runs.set(id, started);
  }
  const ncrIds = [...runs.entries()].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1)).map(([id]) => id);
  return { count: ncrIds.length, ncrIds };
}

/** Starts `ncr:<id>` (an MES deviation from an order); an NCR that already exists is left as it is. */
export async function openNcr(
  client: Client,
  input: { start: NcrWorkflowStart; tuning?: Partial<RetryTuning> },
  policy?: NcrPolicyOverrides,
): Promise<{ workflowId: string; alreadyExisted: boolean }> {
  return new NcrClient(client, { tuning: input.tuning, policy }).openStart(input.start, { existing: 'use' });
}

export interface ReleaseReworkOrderInput {
  ncrId: string;
  ncrWorkflowId: string;
  /** The order whose units are reworked, when there is one. */
  reworkOf?: string;
  order: ProductionOrderInput;
  tuning?: Partial<RetryTuning>;
}

/**
 * Releases the rework order as any order is released (update-with-start of `productionOrder`), with a
 * summary and memo that link it back to the NCR. Released already → its run is reported, nothing new.
 */
export async function releaseReworkOrder(
  client: Client,
  input: ReleaseReworkOrderInput,
): Promise<{ workflowId: string; runId?: string; alreadyReleased: boolean }> {
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
    const accepted = await new OrderClient(client, { tuning: input.tuning }).release(order, link);
    return { workflowId, runId: accepted.runId, alreadyReleased: false };
  } catch (err) {
    if (err instanceof PlantflowInputError)
      throw businessRuleFailure(`rework order ${order.orderRef} refused: ${err.message}`, { system: 'plantflow' });
    // A rework order released before (a retried activity), or one that already ran to its end.
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, alreadyReleased: true };
    if (
      err instanceof WorkflowUpdateFailedError &&
      err.cause instanceof ApplicationFailure &&
      err.cause.type === 'AlreadyReleased'
    ) {
      return { workflowId, alreadyReleased: true };
    }
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
      throw businessRuleFailure(`rework order ${order.orderRef} refused: ${err.cause.message}`, {
        system: 'plantflow',
      });
    }
    throw err;
  }
}

export function createNcrActivities(client: Client, policy?: NcrPolicyOverrides) {
  return {
    plantflowTraceForwardGenealogy: (input: TraceForwardGenealogyInput) => traceForwardGenealogy(client, input),
    plantflowCountNonconformances: (input: CountNonconformancesInput) => countNonconformances(client, input),
    plantflowOpenNcr: (input: { start: NcrWorkflowStart; tuning?: Partial<RetryTuning> }) =>
      openNcr(client, input, policy),
    plantflowReleaseReworkOrder: (input: ReleaseReworkOrderInput) => releaseReworkOrder(client, input),
  };
}
