import type { Client } from '@temporalio/client';
import { lotKey } from '../domain/ids';
import type { ContainedLot, ContainmentAction } from '../domain/ncr-execution';
import { NCR_WORKFLOW_TYPE, ncrStatusQuery } from '../workflows/messages/ncr';
import { ContainedLotsAttr } from '../workflows/search-attributes';
import { quoted } from './visibility';

/** What an NCR did to a lot whose own run had closed (it blocked the stock itself). */
export interface LotContainment {
  ncrId: string;
  ncrStatus: string;
  custody: ContainedLot['custody'];
  /** The NCR gave the lot back (use as is) or disposed of it. */
  released?: ContainedLot['released'];
  actions: ContainmentAction[];
}

/** The NCRs that contain a lot, each with its record of the lot (from the NCR run, by visibility). */
export async function containmentOf(client: Client, material: string, lotId: string): Promise<LotContainment[]> {
  const key = lotKey(material, lotId);
  const query = `WorkflowType = ${quoted(NCR_WORKFLOW_TYPE)} AND ${ContainedLotsAttr.name} = ${quoted(key)}`;
  const found: LotContainment[] = [];
  const ncrs = client.workflow.list({ query })[Symbol.asyncIterator]();
  for (;;) {
    let next;
    try {
      next = await ncrs.next();
    } catch (err) {
      // A server without visibility listing (Temporal's time-skipping test server) cannot say: nothing found.
      if (isUnimplemented(err)) return found;
      throw err;
    }
    if (next.done) break;
    const info = next.value;
    const ncr = await client.workflow.getHandle(info.workflowId).query(ncrStatusQuery);
    const lot = ncr.containment.lots.find((l) => l.key === key);
    if (!lot) continue;
    found.push({
      ncrId: ncr.ncrId,
      ncrStatus: ncr.status,
      custody: lot.custody,
      released: lot.released,
      actions: ncr.containment.actions.filter((a) => a.lotKey === key),
    });
  }
  return found;
}

/** A lot stays contained until the NCR gives it back or closes (an aborted NCR leaves its containment in place). */
export const stillContained = (found: LotContainment[]): boolean =>
  found.some((c) => c.ncrStatus !== 'closed' && !c.released);

/** gRPC status 12 (UNIMPLEMENTED), as the client's ServiceError carries it in its cause. */
const isUnimplemented = (err: unknown): boolean => (err as { cause?: { code?: number } }).cause?.code === 12;
