import { orderWorkflowId } from '../../domain/ids';
import type { DispositionLine, ExecutedStep } from '../../domain/ncr-dispositions';
import { qty } from '../../domain/quantity';
import { withSummary } from '../shared/activities';
import type { NcrRun } from './run';
import { keyOf, step } from './steps';

const DAY_MS = 86_400_000;

/** `<orderRef>-RW<n>` (or `<ncrId>-RW<n>` for a lot with no order), within the order ref's 64 characters. */
export function reworkOrderRef(base: string, n: number): string {
  const suffix = `-RW${n}`;
  return `${base.slice(0, 64 - suffix.length)}${suffix}`;
}

/**
 * A rework decision becomes a rework order linked to the NCR: the Odoo MO (find-or-create by origin
 * marker), the SAP production order (POST A_ProductionOrder_2), then a `productionOrder` run released
 * like every order (update-with-start), whose summary and memo name the NCR. Each part is kept on the
 * line as it is made, so a retried or continued run picks up where it stopped.
 */
export async function runRework(
  run: NcrRun,
  line: DispositionLine,
): Promise<Pick<ExecutedStep, 'outcome' | 'reference'>> {
  const r = line.record;
  const i = run.input;
  const n = run.state.lines.filter((l) => l.record.decision === 'rework').indexOf(line) + 1;
  const orderRef = reworkOrderRef(i.orderRef ?? run.ncrId, n);
  const link = (line.rework ??= { orderRef, workflowId: orderWorkflowId(i.site, orderRef) });
  const what = `${qty.format(r.quantity)} of ${r.material}`;

  if (!link.odooMo) {
    const summary = `Create rework MO ${orderRef} for ${what} in Odoo`;
    const mo = await step(run, `exec/${r.lineId}/odoo-rework-mo`, summary, () =>
      withSummary(run.acts.odoo.odooCreateReworkOrder, summary, {
        idempotencyKey: keyOf(run, `exec/${r.lineId}/odoo-rework-mo`),
        material: r.material,
        quantity: r.quantity,
        reference: `NCR ${run.ncrId} rework ${orderRef}`,
      }),
    );
    if (!mo)
      return { outcome: 'skipped', reference: 'Odoo rework MO skipped by an operator: no rework order released' };
    link.odooMo = mo.moName;
  }
  if (!link.sapOrder) {
    // Planned dates are fixed here, from the workflow clock: they are the SAP create's retry fingerprint.
    const start = line.memo?.plannedStart ?? new Date().toISOString().slice(0, 10);
    (line.memo ??= {}).plannedStart = start;
    const end = new Date(Date.parse(`${start}T00:00:00Z`) + run.policy.reworkLeadDays * DAY_MS)
      .toISOString()
      .slice(0, 10);
    const summary = `Create rework production order for ${what} in SAP`;
    const so = await step(run, `exec/${r.lineId}/sap-rework-order`, summary, () =>
      withSummary(run.acts.sap.sapCreateReworkOrder, summary, {
        idempotencyKey: keyOf(run, `exec/${r.lineId}/sap-rework-order`),
        material: r.material,
        plant: i.site,
        quantity: r.quantity,
        plannedStart: start,
        plannedEnd: end,
      }),
    );
    if (!so)
      return { outcome: 'skipped', reference: `SAP rework order skipped by an operator (Odoo MO ${link.odooMo})` };
    link.sapOrder = so.order;
    link.operations = so.operations;
    (line.memo ??= {}).plannedEnd = end;
  }
  if (!link.released) {
    const summary = `Release rework order ${orderRef} (Odoo ${link.odooMo}, SAP ${link.sapOrder}) for NCR ${run.ncrId}`;
    const released = await step(run, `exec/${r.lineId}/release-rework`, summary, () =>
      withSummary(run.acts.plantflow.plantflowReleaseReworkOrder, summary, {
        ncrId: run.ncrId,
        ncrWorkflowId: run.workflowId,
        reworkOf: i.orderRef,
        tuning: i.tuning,
        order: {
          orderRef,
          site: i.site,
          owner: 'sap',
          material: r.material,
          quantity: r.quantity,
          operations: (link.operations ?? []).map((o) => ({
            operation: o.operation,
            workCenter: o.workCenter,
            description: o.description.slice(0, 120),
          })),
          components: [],
          erp: { odooMo: link.odooMo!, sapOrder: link.sapOrder! },
          dueAt: line.memo?.plannedEnd ? `${line.memo.plannedEnd}T23:59:59Z` : undefined,
          releasedBy: line.signatures[0]!.userId,
        },
      }),
    );
    if (!released)
      return {
        outcome: 'skipped',
        reference: `rework order release skipped by an operator (Odoo ${link.odooMo}, SAP ${link.sapOrder})`,
      };
    link.released = true;
    link.workflowId = released.workflowId;
  }
  run.note(
    'ReworkOrder',
    `rework order ${orderRef} released for line ${r.lineId} (Odoo ${link.odooMo}, SAP ${link.sapOrder})`,
  );
  return {
    outcome: 'done',
    reference: `rework order ${orderRef} (${link.workflowId}; Odoo ${link.odooMo}; SAP ${link.sapOrder})`,
  };
}
