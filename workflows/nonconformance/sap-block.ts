import type { SapBatchStock } from '../../activities/sap/types';
import type { NcrLot } from '../../domain/ncr';
import type { ContainedLot } from '../../domain/ncr-execution';
import { qty, type Quantity } from '../../domain/quantity';
import { withSummary } from '../shared/activities';
import type { NcrRun } from './run';
import { keyOf, step } from './steps';

type Location = SapBatchStock['byStorageLocation'][number];

/** The storage location named for the lot, else the one holding most unrestricted stock. */
function locationOf(stock: SapBatchStock, named: string | undefined): Location | undefined {
  if (named) return stock.byStorageLocation.find((l) => l.storageLocation === named);
  return [...stock.byStorageLocation].sort((a, b) => (qty.gt(a.stock.unrestricted, b.stock.unrestricted) ? -1 : 1))[0];
}

/** The NCR's quantity when SAP can hold that much in the same unit; else what is on hand. */
function quantityToBlock(onHand: Quantity, suspect: Quantity): Quantity {
  return onHand.uom === suspect.uom ? qty.min(onHand, suspect) : onHand;
}

/**
 * Blocks in SAP (344 unrestricted → blocked) what the affected lot still holds unrestricted, up to the NCR's
 * quantity: SAP refuses to move more than is on hand (M7/021), and stock consumed into other lots is
 * contained through those lots. The stock is read again on every retry, so a retry asks for what is there.
 * Nothing on hand is recorded as such, not parked.
 */
export async function blockOnHand(run: NcrRun, lot: ContainedLot, affected: NcrLot): Promise<void> {
  const { sap } = run.acts;
  const name = `contain/${lot.key}/sap-block`;
  const summary = `Block the unrestricted stock of batch ${lot.lotId} in SAP (344 unrestricted → blocked)`;
  const result = await step(run, name, summary, async () => {
    const readSummary = `Read the stock of batch ${lot.lotId} of ${lot.material} in SAP`;
    const stock = await withSummary(sap.sapReadBatchStock, readSummary, {
      material: lot.material,
      plant: run.input.site,
      batch: lot.lotId,
    });
    const where = locationOf(stock, affected.storageLocation);
    if (!where || qty.isZero(where.stock.unrestricted)) return { onHand: where, posted: undefined };
    const quantity = quantityToBlock(where.stock.unrestricted, affected.quantity);
    const postSummary = `Block ${qty.format(quantity)} of batch ${lot.lotId} in SAP (344 unrestricted → blocked)`;
    const posted = await withSummary(sap.sapPostGoodsMovement, postSummary, {
      movementType: '344',
      material: lot.material,
      plant: run.input.site,
      batch: lot.lotId,
      storageLocation: where.storageLocation,
      quantity,
      idempotencyKey: keyOf(run, name),
    });
    return { onHand: where, posted: { ...posted, quantity } };
  });
  if (!result) return;
  const { onHand, posted } = result;
  if (!posted) {
    const at = onHand ? ` in storage location ${onHand.storageLocation}` : '';
    const why = 'consumed or moved; its lots are contained through the genealogy';
    recordSapBlock(run, lot, `no unrestricted stock on hand${at}, nothing to block (${why})`, false);
    return;
  }
  lot.sapBlocked = posted.quantity;
  lot.sapBlockedAt = onHand!.storageLocation;
  recordSapBlock(
    run,
    lot,
    `${qty.format(posted.quantity)} of ${qty.format(onHand!.stock.unrestricted)} unrestricted posted to blocked stock ` +
      `(344, material document ${posted.materialDocument}/${posted.year})`,
    !posted.alreadyPosted,
  );
}

/** The containment action of an affected lot's SAP block, as the NCR and the QMS record it. */
export function recordSapBlock(run: NcrRun, lot: ContainedLot, what: string, changed: boolean): void {
  run.recordAction({
    kind: 'sap_block',
    lotKey: lot.key,
    lotId: lot.lotId,
    system: 'sap',
    description: `SAP batch ${lot.lotId}: ${what}`,
    changed,
  });
}
