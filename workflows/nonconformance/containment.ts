import { patched, upsertSearchAttributes } from '@temporalio/workflow';
import { lotKey, lotWorkflowId, orderWorkflowId } from '../../domain/ids';
import { ncrHoldId } from '../../domain/ncr';
import type { ContainedLot } from '../../domain/ncr-execution';
import type { GenealogyLot } from '../../domain/lot-genealogy';
import { qty } from '../../domain/quantity';
import { placeLotHoldSignal } from '../messages/lot';
import { legacyPlaceOrderHoldSignal, MESSAGE_NAMES_PATCH } from '../messages/legacy';
import { placeOrderHoldSignal } from '../messages/order';
import { ContainedLotsAttr } from '../search-attributes';
import { withSummary } from '../shared/activities';
import { signalRun } from '../shared/signal-run';
import type { NcrRun } from './run';
import { blockOnHand, recordSapBlock } from './sap-block';
import { keyOf, step } from './steps';

/**
 * Containment across the forward genealogy (docs/architecture.md §2.3). Running lot workflows get the NCR's hold
 * by signal; lots whose workflows are closed (or never existed) are blocked directly in Odoo
 * (Quarantine) and SAP (344 for an affected lot of known quantity, restricted batch status for a
 * downstream lot). Running it again changes nothing already done: same hold id, same idempotency keys,
 * state-guarded verbs, and only new actions are written to the QMS.
 */
export async function contain(run: NcrRun, trigger: string): Promise<void> {
  // A rerun asked for while this one runs is served by this one only if asked before it started.
  run.state.containmentRequested = false;
  const roots = run.lots.filter((l) => !l.wip);
  const affected = new Set(run.affectedKeys());
  let traced: GenealogyLot[] = [];
  if (roots.length > 0) {
    const summary = `Trace the forward genealogy of ${roots.map((l) => l.lotId).join(', ')}`;
    const result = await step(run, `containment/trace-${run.state.containmentRuns + 1}`, summary, () =>
      withSummary(run.acts.plantflow.plantflowTraceForwardGenealogy, summary, {
        roots: roots.map((l) => ({ material: l.material, lotId: l.lotId })),
        maxDepth: run.policy.maxGenealogyDepth,
      }),
    );
    traced =
      result?.lots ??
      roots.map((l) => ({
        material: l.material,
        lotId: l.lotId,
        key: lotKey(l.material, l.lotId),
        depth: 0,
        workflowId: lotWorkflowId(l.material, l.lotId),
        workflow: 'none' as const,
      }));
    if (result?.truncated)
      run.note(
        'Containment',
        'the genealogy was cut short at the lot limit: contain the rest by hand and run containment again',
      );
  }

  for (const wip of run.lots.filter((l) => l.wip)) {
    const key = lotKey(wip.material, wip.lotId);
    if (!run.lotOf(key))
      run.state.contained.push({
        key,
        material: wip.material,
        lotId: wip.lotId,
        role: 'affected',
        depth: 0,
        workflowId: '',
        custody: 'wip',
      });
    run.recordAction({
      kind: 'segregated',
      lotKey: key,
      lotId: wip.lotId,
      system: 'mes',
      description: `${qty.format(wip.quantity)} of ${wip.material} segregated at the plant${run.input.operation ? ` (operation ${run.input.operation})` : ''}`,
      changed: true,
    });
  }

  const lots = traced.map((found) => containedLot(run, found, affected.has(found.key)));
  // Each lot is contained on its own, all at once: a step parked on one lot holds up no other lot, nor the
  // order's hold. Runs recorded before took the lots one after the other and replay that way.
  if (patched(LOTS_AT_ONCE_PATCH)) {
    const keys = run.state.contained.map((l) => l.key).sort();
    upsertSearchAttributes([{ key: ContainedLotsAttr, value: keys }]);
    await Promise.all([...lots.map((lot) => containLot(run, lot, true)), holdOrder(run)]);
  } else {
    for (const lot of lots) await containLot(run, lot, false);
    await holdOrder(run);
  }
  run.state.containmentRuns += 1;
  // The timeline note (after the QMS write) marks the run as finished for readers.
  await recordInQms(run, run.state.containmentRuns === 1);
  run.note(
    'Containment',
    `containment run ${run.state.containmentRuns} (${trigger}): ${run.state.contained.length} lot(s) contained`,
  );
  run.refreshStatus();
}

const LOTS_AT_ONCE_PATCH = 'containment-lots-at-once';

/** The NCR's record of a lot the trace found (kept across containment runs). */
function containedLot(run: NcrRun, found: GenealogyLot, affected: boolean): ContainedLot {
  const known = run.lotOf(found.key);
  if (known) return known;
  const lot: ContainedLot = {
    key: found.key,
    material: found.material,
    lotId: found.lotId,
    role: affected ? 'affected' : 'descendant',
    depth: found.depth,
    via: found.via,
    workflowId: found.workflowId,
    custody: found.workflow === 'running' ? 'lot_workflow' : 'blocked',
  };
  run.state.contained.push(lot);
  return lot;
}

async function containLot(run: NcrRun, lot: ContainedLot, atOnce: boolean): Promise<void> {
  if (lot.released) return;
  if (lot.custody === 'lot_workflow' && (await holdLot(run, lot))) return;
  // Closed (or never started) lot workflow: nobody else guards the stock, the NCR blocks it itself.
  lot.custody = 'blocked';
  if (atOnce) await Promise.all([quarantineInOdoo(run, lot), blockInSap(run, lot, true)]);
  else {
    await quarantineInOdoo(run, lot);
    await blockInSap(run, lot, false);
  }
}

async function holdLot(run: NcrRun, lot: ContainedLot): Promise<boolean> {
  const told = await signalRun(lot.workflowId, placeLotHoldSignal, {
    holdId: ncrHoldId(run.ncrId),
    reason: `NCR ${run.ncrId}: ${run.input.description}`.slice(0, 500),
    by: 'plantflow',
    source: 'ncr',
    ncrId: run.ncrId,
  });
  if (told === 'not_running') {
    run.note('Containment', `lot ${lot.lotId}: its workflow no longer runs, blocking it directly`);
    return false;
  }
  lot.holdPlaced = true;
  run.recordAction({
    kind: 'lot_hold',
    lotKey: lot.key,
    lotId: lot.lotId,
    system: 'plantflow',
    description: `hold ${ncrHoldId(run.ncrId)} placed on ${lot.role} lot ${lot.lotId} (${lot.material}) in its lot workflow`,
    changed: true,
  });
  return true;
}

async function quarantineInOdoo(run: NcrRun, lot: ContainedLot): Promise<void> {
  const { odoo } = run.acts;
  const odooSummary = `Move ${lot.role} lot ${lot.lotId} of ${lot.material} into Quarantine in Odoo`;
  const moved = await step(run, `contain/${lot.key}/odoo`, odooSummary, () =>
    withSummary(odoo.odooMoveLotToQuarantine, odooSummary, { material: lot.material, lot: lot.lotId }),
  );
  if (moved) {
    if (moved.status === 'moved') lot.odooMoved = true;
    const how =
      moved.status === 'moved'
        ? `moved to ${moved.location}`
        : moved.status === 'already_there'
          ? 'already in Quarantine'
          : 'holds no stock in Odoo';
    run.recordAction({
      kind: 'odoo_quarantine',
      lotKey: lot.key,
      lotId: lot.lotId,
      system: 'odoo',
      description: `Odoo lot ${lot.lotId} (${lot.material}) ${how}`,
      changed: moved.status === 'moved',
    });
  }
}

async function blockInSap(run: NcrRun, lot: ContainedLot, onHandFirst: boolean): Promise<void> {
  const { sap } = run.acts;
  const affectedLot = run.lots.find((l) => !l.wip && lotKey(l.material, l.lotId) === lot.key);
  if (affectedLot && onHandFirst) await blockOnHand(run, lot, affectedLot);
  else if (affectedLot) {
    const summary = `Block ${qty.format(affectedLot.quantity)} of batch ${lot.lotId} in SAP (344 unrestricted → blocked)`;
    const posted = await step(run, `contain/${lot.key}/sap-block`, summary, () =>
      withSummary(sap.sapPostGoodsMovement, summary, {
        movementType: '344',
        material: lot.material,
        plant: run.input.site,
        batch: lot.lotId,
        storageLocation: affectedLot.storageLocation,
        quantity: affectedLot.quantity,
        idempotencyKey: keyOf(run, `contain/${lot.key}/sap-block`),
      }),
    );
    if (posted) {
      lot.sapBlocked = affectedLot.quantity;
      recordSapBlock(
        run,
        lot,
        `${qty.format(affectedLot.quantity)} posted to blocked stock (344, material document ${posted.materialDocument}/${posted.year})`,
        !posted.alreadyPosted,
      );
    }
  } else {
    const summary = `Restrict downstream batch ${lot.lotId} of ${lot.material} in SAP`;
    const restricted = await step(run, `contain/${lot.key}/sap-restrict`, summary, () =>
      withSummary(sap.sapSetBatchRestricted, summary, { material: lot.material, batch: lot.lotId, restricted: true }),
    );
    if (restricted) {
      if (restricted.changed) lot.sapRestricted = true;
      run.recordAction({
        kind: 'sap_restrict',
        lotKey: lot.key,
        lotId: lot.lotId,
        system: 'sap',
        description: `SAP batch ${lot.lotId} (${lot.material}) ${restricted.changed ? 'set to restricted use' : 'was already restricted'}`,
        changed: restricted.changed,
      });
    }
  }
}

/** Severe NCRs stop the producing order's new dispatch (docs/architecture.md §2.1) until they close. */
async function holdOrder(run: NcrRun): Promise<void> {
  const { orderRef, site, severity } = run.input;
  if (!orderRef || !run.policy.holdOrderOn.includes(severity) || run.state.orderHold) return;
  const workflowId = orderWorkflowId(site, orderRef);
  // Runs that sent the hold under its earlier name send it so again on replay.
  const signal = patched(MESSAGE_NAMES_PATCH) ? placeOrderHoldSignal : legacyPlaceOrderHoldSignal;
  const told = await signalRun(workflowId, signal, {
    holdId: ncrHoldId(run.ncrId),
    reason: `NCR ${run.ncrId} (${severity})`,
    by: 'plantflow',
    source: 'ncr',
  });
  if (told === 'delivered') {
    run.state.orderHold = { workflowId, placed: true };
    run.recordAction({
      kind: 'order_hold',
      system: 'plantflow',
      description: `order ${orderRef} held (no new dispatch) by ${ncrHoldId(run.ncrId)}`,
      changed: true,
    });
  } else {
    run.state.orderHold = { workflowId, placed: false };
    run.note('Containment', `order ${orderRef} no longer runs: nothing to hold`);
  }
}

/** Only actions the QMS has not seen; the first run also moves the QMS record to `contained`. */
async function recordInQms(run: NcrRun, firstRun: boolean): Promise<void> {
  const fresh = run.state.actions.filter((a) => !run.state.actionsInQms.includes(a.actionId));
  if (fresh.length === 0 && !firstRun) return;
  const summary = `Record ${fresh.length} containment action(s) of NCR ${run.ncrId} in the QMS`;
  const stepName = `containment/qms/${fresh[0]?.actionId ?? 'status'}`;
  await step(run, stepName, summary, () =>
    withSummary(run.acts.qms.qmsUpdateNonconformance, summary, {
      idempotencyKey: keyOf(run, stepName),
      ncrId: run.ncrId,
      updatedBy: 'plantflow',
      // Dispositions reach the QMS only after containment, so its record is still open here.
      ...(firstRun ? { status: 'contained' as const } : {}),
      containmentActions: fresh.map((a) => ({
        actionId: a.actionId,
        description: a.description,
        lotId: a.lotId,
        system: a.system,
        performedAt: a.performedAt,
      })),
    }),
  );
  run.state.actionsInQms.push(...fresh.map((a) => a.actionId));
}
