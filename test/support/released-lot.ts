import type { LotStatusReport } from '../../client/lots';
import type { StockRecord } from '../../simulators/sap/state/types';
import { signer } from '../workflows/support/lot-harness';
import { releasableOrder } from './erp-fixtures';
import { eventually } from './eventually';
import { releaseOnRecord } from './lot-review';
import { mes } from './orders';
import { produce } from './produce';
import type { PlantStack } from './stack';

const q = (value: string) => ({ value, uom: 'EA' });

/** A lot's view; a stand-in while its run does not exist yet. */
export async function lotView(stack: PlantStack, lotId: string): Promise<LotStatusReport> {
  try {
    return await stack.plantflow.lots.status('FG-100', lotId);
  } catch {
    return { registration: {}, holds: [], ncrs: [], openNcrs: [] } as unknown as LotStatusReport;
  }
}

/**
 * An order consumes 50 EA of a supplier lot into finished lot `made`; its inspections pass and the QP
 * releases it, so the lot's run ends (released long ago, as containment meets it).
 */
export async function releasedLotFrom(stack: PlantStack, supplier: string, ref: string, made: string): Promise<void> {
  const order = await releasableOrder(stack.config, ref, { quantity: q('50') });
  await stack.orders.release(order);
  await produce(stack, ref, [
    mes.consumed('RM-300', supplier, '50', 'EA', { orderRef: ref }),
    mes.consumed('RM-310', 'I-2002', '50', 'EA', { orderRef: ref }),
    mes.completed('0010', '50', { orderRef: ref, final: true }),
    mes.completed('0020', '50', { orderRef: ref, final: true }),
    mes.produced(made, '50', { orderRef: ref }),
  ]);
  await eventually(
    () => lotView(stack, made),
    (v) => v.registration.quarantine === 'done',
    120_000,
  );
  for (const [characteristic, value] of [
    ['PRESSURE', '20'],
    ['VISUAL', undefined],
  ] as const) {
    await stack.plantflow.lots.recordInspection({
      material: 'FG-100',
      lotId: made,
      eventId: `${ref}-${characteristic}`,
      characteristic,
      result: 'pass',
      ...(value ? { value, unit: 'bar' } : {}),
      inspector: 'lab.kim',
      effectiveAt: new Date().toISOString(),
    });
  }
  await eventually(
    () => lotView(stack, made),
    (v) => v.requiredNotPassed?.length === 0,
    60_000,
  );
  await releaseOnRecord(
    stack.plantflow,
    'FG-100',
    made,
    { decision: 'release', meaning: 'approved_for_release', reason: 'all inspections passed' },
    await signer(stack.env, 'qp.marc', Date.now()),
  );
  await stack.plantflow.lots.handle('FG-100', made).result();
}

/** A batch's stock in the SAP simulator, summed over storage locations, and its restricted flag. */
export async function sapStock(stack: PlantStack, material: string, batch: string) {
  const state = await stack.sims.sap.state<{
    stock: StockRecord[];
    batches: Array<{ Material: string; Batch: string; MatlBatchIsInRstrcdUseStock: boolean }>;
  }>();
  const stock = state.stock.filter((s) => s.Material === material && s.Batch === batch);
  const sum = (k: 'unrestricted' | 'blocked' | 'qualityInspection') => stock.reduce((acc, s) => acc + Number(s[k]), 0);
  const restricted = state.batches.find(
    (b) => b.Material === material && b.Batch === batch,
  )?.MatlBatchIsInRstrcdUseStock;
  return { unrestricted: sum('unrestricted'), blocked: sum('blocked'), restricted };
}
