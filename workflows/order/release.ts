import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { CancellationScope, condition, isCancellation, patched } from '@temporalio/workflow';
import { idempotencyKey } from '../../domain/ids';
import { masterDataProblems } from '../../domain/master-data';
import { withSummary } from '../shared/activities';
import { isParkable, summariseFailure, type FailureSummary } from '../shared/failures';
import type { OrderRun } from './run';
import type { ReleaseStepName } from './state';

class CancelRequested extends Error {}

/** Names of the parked master-data step and of the change that turns a missing record into a park. */
export const MASTER_DATA_STEP = 'release/master-data';
const MISSING_PARKS_PATCH = 'master-data-missing-parks';

/**
 * Step 1 of docs/architecture.md §2.1: both ERPs must agree with the canonical order. A mismatch — or a
 * reference that names no record (MasterDataMissing) — parks the order for the planner: amend the ERP
 * references and retry, retry after fixing master data, skip to accept a mismatch, or abort.
 */
export async function checkMasterData(run: OrderRun): Promise<'ok' | 'aborted'> {
  for (;;) {
    const asked = run.state.order!.erp;
    const found = await readBothErps(run);
    // Amended while the ERPs were read: what was read no longer describes the order.
    if (run.state.order!.erp !== asked) continue;
    const problems = 'problems' in found ? found.problems : [];
    if ('problems' in found && problems.length === 0) return 'ok';
    const failure = 'missing' in found ? found.missing : { type: 'MasterDataMismatch', message: problems.join('; ') };
    run.parking.park(MASTER_DATA_STEP, 'Master data of the order differs between plantflow, Odoo and SAP', failure);
    run.note({ type: 'StepParked', summary: `${failureLabel(failure.type)}: ${failure.message}`, source: 'plantflow' });
    const decision = (await run.parking.awaitDecision(MASTER_DATA_STEP))!;
    run.note({
      type: 'StepResumed',
      summary: `master data: ${decision.action} by ${decision.by} (${decision.reason})`,
      source: 'person',
    });
    // A missing record cannot be accepted as it is: skip means nothing to release against.
    if (decision.action === 'skip' && !('missing' in found)) return 'ok';
    if (decision.action === 'abort') return 'aborted';
  }
}

const failureLabel = (type: string) => (type === 'MasterDataMismatch' ? 'master data mismatch' : 'master data missing');

type ErpReading = { problems: string[] } | { missing: FailureSummary };

/** Reads the order in both ERPs; a refusal to read it (no such MO or order, no access) is reported, not thrown. */
async function readBothErps(run: OrderRun): Promise<ErpReading> {
  const order = run.state.order!;
  const { odoo, sap } = run.acts;
  let read;
  try {
    read = await Promise.all([
      withSummary(odoo.odooReadManufacturingOrder, `Read MO ${order.erp.odooMo} in Odoo`, { moName: order.erp.odooMo }),
      withSummary(sap.sapReadProductionOrder, `Read production order ${order.erp.sapOrder} in SAP`, {
        order: order.erp.sapOrder,
      }),
    ]);
  } catch (err) {
    // Runs recorded before missing master data parked failed here; they replay the same way.
    if (!isParkable(err) || !patched(MISSING_PARKS_PATCH)) throw err;
    const why = summariseFailure(err);
    const type = why.type === 'BusinessRule' ? 'MasterDataMissing' : why.type;
    const hint = type === 'MasterDataMissing' ? ": amend the order's ERP references and retry, or abort" : '';
    return { missing: { ...why, type, message: `${why.message}${hint}` } };
  }
  const [mo, po] = read;
  return {
    problems: masterDataProblems(
      order,
      {
        name: mo.name,
        state: mo.state,
        product: mo.product,
        quantity: mo.quantity,
        components: mo.components.map((c) => c.product),
      },
      {
        order: po.order,
        material: po.material,
        plant: po.plant,
        quantity: po.totalQuantity,
        statuses: po.systemStatuses,
        operations: po.operations.map((o) => ({ operation: o.operation, workCenter: o.workCenter })),
        components: po.components.map((c) => c.material),
      },
    ),
  };
}

interface SagaStep {
  name: ReleaseStepName;
  summary: string;
  run: () => Promise<unknown>;
  undoSummary: string;
  undo: () => Promise<unknown>;
}

function sagaSteps(run: OrderRun): SagaStep[] {
  const order = run.state.order!;
  const { odoo, sap, qms, mes } = run.acts;
  const key = (step: string) => idempotencyKey(run.workflowId, step);
  return [
    {
      name: 'odoo-confirm',
      summary: `Confirm MO ${order.erp.odooMo} in Odoo`,
      run: () =>
        withSummary(odoo.odooConfirmManufacturingOrder, `Confirm MO ${order.erp.odooMo} in Odoo`, {
          moName: order.erp.odooMo,
        }),
      undoSummary: `Cancel MO ${order.erp.odooMo} in Odoo`,
      undo: () =>
        withSummary(odoo.odooCancelManufacturingOrder, `Cancel MO ${order.erp.odooMo} in Odoo`, {
          moName: order.erp.odooMo,
        }),
    },
    {
      name: 'sap-release',
      summary: `Release production order ${order.erp.sapOrder} in SAP`,
      run: () =>
        withSummary(sap.sapReleaseProductionOrder, `Release production order ${order.erp.sapOrder} in SAP`, {
          order: order.erp.sapOrder,
        }),
      // A released SAP order cannot be un-released: technically completing it closes it for execution.
      undoSummary: `Technically complete production order ${order.erp.sapOrder} in SAP`,
      undo: () =>
        withSummary(
          sap.sapTechnicallyCompleteOrder,
          `Technically complete production order ${order.erp.sapOrder} in SAP`,
          { order: order.erp.sapOrder },
        ),
    },
    {
      name: 'qms-plan',
      summary: `Activate the inspection plan for ${order.material} in the QMS`,
      run: () =>
        withSummary(qms.qmsActivateInspectionPlan, `Activate the inspection plan for ${order.material} in the QMS`, {
          idempotencyKey: key('release/qms-plan'),
          orderRef: order.orderRef,
          site: order.site,
          material: order.material,
          quantity: order.quantity,
        }),
      undoSummary: `Deactivate the inspection plan of ${order.orderRef} in the QMS`,
      undo: () =>
        withSummary(qms.qmsDeactivateInspectionPlan, `Deactivate the inspection plan of ${order.orderRef} in the QMS`, {
          idempotencyKey: key('release/qms-plan-undo'),
          orderRef: order.orderRef,
          site: order.site,
        }),
    },
    {
      name: 'mes-dispatch',
      summary: `Dispatch order ${order.orderRef} to plant ${order.site}`,
      run: () =>
        withSummary(mes.mesDispatchOrder, `Dispatch order ${order.orderRef} to plant ${order.site}`, {
          idempotencyKey: key('release/mes-dispatch'),
          site: order.site,
          orderRef: order.orderRef,
          material: order.material,
          quantity: order.quantity,
          operations: order.operations,
          components: order.components,
          dueAt: order.dueAt,
        }),
      undoSummary: `Recall order ${order.orderRef} from plant ${order.site}`,
      undo: () =>
        withSummary(mes.mesRecallDispatch, `Recall order ${order.orderRef} from plant ${order.site}`, {
          site: order.site,
          orderRef: order.orderRef,
          reason: run.state.failure ?? 'release compensated',
        }),
    },
  ];
}

function record(
  run: OrderRun,
  name: ReleaseStepName,
  status: 'done' | 'failed' | 'compensated',
  detail?: string,
): void {
  const existing = run.state.releaseSteps.find((s) => s.step === name);
  const entry = { step: name, status, at: new Date().toISOString(), detail };
  if (existing) Object.assign(existing, entry);
  else run.state.releaseSteps.push(entry);
}

/**
 * The release saga: Odoo → SAP → QMS → MES. Each step's compensation counts only once the step
 * succeeded; on a non-retryable failure or a cancel request, the done steps are undone in reverse,
 * in a scope that a cancellation cannot interrupt.
 */
export async function releaseSaga(run: OrderRun): Promise<'released' | 'release_failed' | 'cancelled'> {
  const steps = sagaSteps(run);
  const checkCancel = () => {
    if (run.state.cancelRequest) throw new CancelRequested(run.state.cancelRequest.reason);
  };
  try {
    for (const step of steps) {
      checkCancel();
      // A hold stops new dispatch: the order waits, released in the ERPs, until every hold is lifted.
      if (step.name === 'mes-dispatch' && run.state.holds.length > 0) {
        run.setStatus('releasing', `waiting for ${run.state.holds.length} hold(s) before dispatch`);
        await condition(() => run.state.holds.length === 0 || run.state.cancelRequest !== undefined);
        checkCancel();
      }
      await step.run();
      record(run, step.name, 'done');
      run.note({ type: 'ReleaseStep', summary: `${step.summary}: done`, source: 'plantflow' });
    }
    return 'released';
  } catch (err) {
    const cancelled = err instanceof CancelRequested || isCancellation(err);
    run.state.failure = cancelled
      ? `cancelled: ${run.state.cancelRequest?.reason ?? 'workflow cancellation requested'}`
      : summariseFailure(err).message;
    // Anything but a business failure or a cancellation is a bug: let it fail the task visibly.
    if (!cancelled && !(err instanceof ApplicationFailure) && !(err instanceof ActivityFailure)) throw err;
    const failedStep = steps.find((s) => !run.state.releaseSteps.some((r) => r.step === s.name));
    if (failedStep && !cancelled) record(run, failedStep.name, 'failed', run.state.failure);
    await compensate(run, steps);
    return cancelled ? 'cancelled' : 'release_failed';
  }
}

/** Undoes every done release step, newest first. Failures park (an operator can retry or skip). */
export async function compensate(run: OrderRun, steps: SagaStep[] = sagaSteps(run)): Promise<void> {
  await CancellationScope.nonCancellable(async () => {
    const done = steps
      .filter((s) => run.state.releaseSteps.some((r) => r.step === s.name && r.status === 'done'))
      .reverse();
    for (const step of done) {
      const outcome = await run.parking.run(`compensate/${step.name}`, step.undoSummary, step.undo);
      record(run, step.name, 'compensated', outcome.outcome === 'done' ? undefined : `compensation ${outcome.outcome}`);
      run.note({ type: 'Compensation', summary: `${step.undoSummary}: ${outcome.outcome}`, source: 'plantflow' });
    }
  });
}
