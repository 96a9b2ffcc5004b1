import { lotWorkflowId } from '../domain/ids';
import type { ProductionOrderInput } from '../domain/order';
import { ApiCallError, type PlantflowHttpClient } from '../client/http';
import { pollUntil, waitForStatus } from '../client/wait';
import type { RunKind } from '../domain/lifecycles';
import type { SapProductionOrder } from '../activities/sap/types';
import { createErpOrders, lotStanding, readSapOrder, receiveSupplierLot, type ErpConfig } from './erp';
import type { Progress } from './progress';
import { deliveries, demoLots, shiftEvents, type DemoLots } from './shift';

/** The parts of the plant day; each stands on the order part (the order the others need). */
export const DEMO_PARTS = ['order', 'release', 'ncr'] as const;
export type DemoPart = (typeof DEMO_PARTS)[number];

export type DemoRole = 'planner' | 'mes' | 'qms' | 'qa' | 'qp' | 'viewer';

export interface PlantDayDeps {
  erp: ErpConfig;
  /** The HTTP API, one client per role the day needs. */
  api: Record<DemoRole, PlantflowHttpClient>;
  /** The demo signers' passwords (QA Anna Berger, QP Marc Dubois) for re-authentication at signing. */
  passwords: Record<string, string>;
  progress: Progress;
  site?: string;
  /** Suffix of every reference of this run (default: fresh from the clock). */
  tag?: string;
  /** How long one wait for a run may take. */
  timeoutMs?: number;
}

export interface PlantDayResult {
  tag: string;
  site: string;
  orderRef: string;
  erp: { sapOrder: string; odooMo: string };
  lots: DemoLots;
  ncrId?: string;
  /** Every run the day started, in the order they started. */
  workflowIds: string[];
}

const MATERIAL = 'FG-100';
const QUANTITY = 100;

/**
 * plantflow's order for the planner's documents: operations and components as SAP planned them on the
 * production order (copied from the routing and the BOM), read back through SAP's API.
 */
function plannedOrder(
  orderRef: string,
  site: string,
  erp: PlantDayResult['erp'],
  sap: SapProductionOrder,
): ProductionOrderInput {
  return {
    orderRef,
    site,
    owner: 'sap',
    material: sap.material,
    quantity: sap.totalQuantity,
    tolerance: { overPercent: '5' },
    operations: sap.operations.map((op) => ({
      operation: op.operation,
      workCenter: op.workCenter,
      description: op.text,
    })),
    components: sap.components.map((c) => ({ material: c.material, quantity: c.required, operation: c.operation })),
    erp,
    releasedBy: 'plan.eva',
  };
}

/**
 * A day at plant 1710, played against the running stack through the simulated ERPs' own APIs and
 * plantflow's HTTP API, with fresh references every run: the warehouse books in supplier lots, the
 * planner's order is released and the shift reported (one scrap), the QMS records the inspections and
 * the QP signs the release, then a supplier lot is found porous and an NCR contains what was made from it.
 */
export async function runPlantDay(
  deps: PlantDayDeps,
  parts: readonly DemoPart[] = DEMO_PARTS,
): Promise<PlantDayResult> {
  const { api, progress } = deps;
  const site = deps.site ?? '1710';
  const tag = deps.tag ?? Date.now().toString(36).toUpperCase().slice(-6);
  const timeoutMs = deps.timeoutMs ?? 180_000;
  const lots = demoLots(tag);
  const orderRef = `PO-${tag}`;
  const workflowIds: string[] = [];
  const wait = <T extends { status: string }>(kind: RunKind, what: string, read: () => Promise<T>, target: string) =>
    waitForStatus(kind, what, read, target, { timeoutMs, notYet });
  const until = <T>(what: string, read: () => Promise<T>, done: (v: T) => boolean): Promise<T> =>
    pollUntil(read, done, { timeoutMs, timedOut: () => `${what}: still not there after ${timeoutMs / 1000} s` });
  const password = (userId: string) => {
    const found = deps.passwords[userId];
    if (!found) throw new Error(`no password for signer ${userId} (the demo signers' passwords come from npm start)`);
    return { userId, password: found };
  };

  progress.section(`Plant ${site}, morning: goods receipt and the planner's order ${orderRef}`);
  await progress.step('Warehouse books in the supplier deliveries (SAP 501, Odoo inventory)', async () => {
    for (const d of deliveries(lots)) {
      const { materialDocument } = await receiveSupplierLot(deps.erp, { ...d, site });
      progress.note(
        `${d.material} lot ${d.lotId}: ${d.quantity.value} ${d.quantity.uom} from ${d.supplier} (SAP document ${materialDocument})`,
      );
    }
  });
  const { erp, sap } = await progress.step(`Planner creates order ${orderRef} in SAP and Odoo`, async () => {
    const created = await createErpOrders(deps.erp, { material: MATERIAL, quantity: QUANTITY, origin: orderRef, site });
    const planned = await readSapOrder(deps.erp, created.sapOrder);
    progress.note(
      `SAP production order ${created.sapOrder} (${planned.operations.length} operations, ${planned.components.length} components), Odoo ${created.odooMo}: ${QUANTITY} EA of ${MATERIAL}`,
    );
    return { erp: created, sap: planned };
  });
  await progress.step(`plantflow releases ${orderRef}: Odoo → SAP → QMS → MES`, async () => {
    const accepted = await api.planner.orders.release(plannedOrder(orderRef, site, erp, sap));
    workflowIds.push(accepted.workflowId);
    await wait('order', `order ${orderRef}`, () => api.viewer.orders.status(site, orderRef), 'released');
  });

  progress.section('Early shift: the MES reports what the line did');
  await progress.step(
    'MES reports 10 events: operations, supplier lots consumed, 2 scrapped, 2 lots made',
    async () => {
      const events = shiftEvents(orderRef, site, lots);
      const results = await api.mes.orders.reportMesEvents(events);
      const refused = results.filter((r) => r.outcome === 'rejected');
      if (refused.length) throw new Error(`the order refused events: ${JSON.stringify(refused)}`);
      progress.note(
        `lots ${lots.pumpsA} (60 EA) and ${lots.pumpsB} (38 EA) of ${MATERIAL}, quarantined until released`,
      );
    },
  );
  await progress.step('Planner closes the order short (98 made, 2 scrapped): final postings in both ERPs', async () => {
    await api.planner.orders.complete(site, orderRef, {
      mode: 'short_close',
      by: 'plan.eva',
      reason: '2 housings cracked at press-fit and were scrapped',
    });
    const done = await wait('order', `order ${orderRef}`, () => api.viewer.orders.status(site, orderRef), 'completed');
    const posted = done.postings.posted;
    progress.note(`postings the order run made: Odoo ${posted.odoo ?? 0}, SAP ${posted.sap ?? 0}`);
  });
  for (const lotId of [lots.pumpsA, lots.pumpsB]) workflowIds.push(lotWorkflowId(MATERIAL, lotId));

  if (parts.includes('release')) {
    progress.section('Quality: inspections and the signed release');
    await progress.step('QMS records the pressure and visual tests of both lots', async () => {
      for (const lotId of [lots.pumpsA, lots.pumpsB]) {
        await wait('lot', `lot ${lotId}`, () => api.viewer.lots.status(MATERIAL, lotId), 'restricted');
        for (const [characteristic, value, unit] of [
          ['PRESSURE', '20.4', 'bar'],
          ['VISUAL', undefined, undefined],
          ['NOISE', '63', 'dB'],
        ] as const) {
          await api.qms.lots.recordInspection({
            material: MATERIAL,
            lotId,
            eventId: `demo-${lotId}-${characteristic}`,
            characteristic,
            result: 'pass',
            ...(value ? { value, unit } : {}),
            inspector: 'lab.kim',
            effectiveAt: new Date().toISOString(),
          });
        }
        await until(
          `lot ${lotId}'s required inspections`,
          () => api.viewer.lots.status(MATERIAL, lotId),
          (s) => s.requiredNotPassed.length === 0,
        );
      }
    });
    await progress.step('QP Marc Dubois signs the release of both lots (re-authenticated by password)', async () => {
      for (const lotId of [lots.pumpsA, lots.pumpsB]) {
        // The QP reviews the lot record by exception (once the results are written) and signs on its hash.
        await until(
          `lot ${lotId}'s results written to the QMS and Odoo`,
          () => api.viewer.lots.status(MATERIAL, lotId),
          (s) => s.inspectionTasks === 0,
        );
        const { hash, record } = await api.qp.lots.record(MATERIAL, lotId);
        const signed = await api.qp.lots.disposition(
          MATERIAL,
          lotId,
          { decision: 'release', meaning: 'approved_for_release', reason: 'all required inspections passed' },
          password('qp.marc'),
          {
            recordHash: hash,
            acknowledgements: record.review.exceptions.map((e) => ({
              exceptionId: e.exceptionId,
              comment: `reviewed: ${e.summary}`,
            })),
          },
        );
        progress.note(`${lotId}: ${signed.manifestation}`);
      }
      for (const lotId of [lots.pumpsA, lots.pumpsB])
        await wait('lot', `lot ${lotId}`, () => api.viewer.lots.status(MATERIAL, lotId), 'released');
      await wait('order', `order ${orderRef}`, () => api.viewer.orders.status(site, orderRef), 'closed');
      for (const lotId of [lots.pumpsA, lots.pumpsB])
        progress.note(`${lotId}: ${await lotStanding(deps.erp, MATERIAL, lotId)}`);
      progress.note(`order ${orderRef} closed: every lot it made is dispositioned`);
    });
  }

  let ncrId: string | undefined;
  if (parts.includes('ncr')) {
    ncrId = `NCR-${tag}`;
    const id = ncrId;
    const left = { value: '160', uom: 'EA' };
    progress.section(`Afternoon: housings of heat ${lots.housingsPorous} are found porous`);
    await progress.step(`QA Anna Berger opens ${id}: contain the heat and everything made from it`, async () => {
      const opened = await api.qa.ncrs.open({
        ncrId: id,
        source: 'supplier',
        severity: 'major',
        site,
        material: 'RM-300',
        lots: [{ lotId: lots.housingsPorous, quantity: left, storageLocation: '171B' }],
        description: `Re-inspection of heat ${lots.housingsPorous}: porosity at the flange of the pump housings`,
        raisedBy: 'qa.anna',
      });
      workflowIds.push(opened.workflowId);
      const contained = await wait('ncr', id, () => api.viewer.ncrs.status(id), 'contained');
      for (const l of contained.containment.lots) progress.note(`${l.role} lot ${l.lotId}: ${l.custody}`);
    });
    await progress.step('QA signs the disposition: scrap the 160 housings left of the heat', async () => {
      await api.qa.ncrs.dispose(
        id,
        { lotId: lots.housingsPorous, decision: 'scrap', quantity: left, reason: 'porous castings cannot be repaired' },
        password('qa.anna'),
      );
      await wait('ncr', id, () => api.viewer.ncrs.status(id), 'executed');
      progress.note(`the NCR run executed the scrap: ${await lotStanding(deps.erp, 'RM-300', lots.housingsPorous)}`);
    });
    await progress.step('QA records the root cause; the QP signs the closure', async () => {
      await api.qa.ncrs.recordRootCause(id, {
        category: 'supplier',
        description: `gas porosity in foundry heat ${lots.housingsPorous}; supplier to add X-ray inspection`,
        by: 'qa.anna',
      });
      await api.qp.ncrs.close(
        id,
        'housings scrapped; the pumps made from the heat passed the 100 % pressure test',
        password('qp.marc'),
      );
      const closed = await wait('ncr', id, () => api.viewer.ncrs.status(id), 'closed');
      if (closed.capa) progress.note(`CAPA ${closed.capa.capaId} opened in the QMS`);
      for (const lotId of [lots.pumpsA, lots.pumpsB])
        progress.note(`${lotId} after the closure: ${await lotStanding(deps.erp, MATERIAL, lotId)}`);
    });
  }
  return { tag, site, orderRef, erp, lots, ncrId, workflowIds: [...new Set(workflowIds)] };
}

/** A run that does not exist yet, or does not answer queries yet, is "not there yet". */
const notYet = (err: unknown) => err instanceof ApiCallError && (err.status === 404 || err.code === 'not_ready');
