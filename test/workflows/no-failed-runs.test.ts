import assert from 'node:assert/strict';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { LotClient } from '../../client/lots';
import type { NcrClient } from '../../client/ncrs';
import type { OrderClient } from '../../client/orders';
import type { StatusReport } from '../../client/run-end';
import { NON_RETRYABLE_FAILURE_TYPES, type FailureType } from '../../domain/failures';
import { timeSkippingEnv } from '../setup/temporal-env';
import { demoOrderInput, mes } from '../support/orders';
import { FakeSystems, type ActivityName, type Fakes } from './support/fakes';
import { LOT_DEFAULTS, lotClient, produce, readyForDecision, sign, signer, uniqueLotId } from './support/lot-harness';
import { NCR_DEFAULTS, ncrClient, ncrStart, qtyOf, uniqueNcrId } from './support/ncr-harness';
import { eventually, ORDER_DEFAULTS, orderClient, withOrderWorkers } from './support/order-harness';

/**
 * No plantflow run ends FAILED on a business error. Each process is driven through its whole path once per
 * activity it calls and per non-retryable failure type an activity can raise: that activity refuses once
 * with that type, and the run must park (NeedsAttention, the failure's type named) or end by its own
 * business rule (a release saga that compensates) — never FAILED. An operator's retry then lets it go on.
 */

interface Fault {
  activity: ActivityName;
  type: FailureType;
  fired: boolean;
}

/** One set of fakes for every run: a run's fault is looked up by its workflow id when an activity is called. */
function faultingSystems(defaults: Fakes, faults: Map<string, Fault>): FakeSystems {
  const systems = new FakeSystems(defaults);
  for (const name of Object.keys(defaults) as ActivityName[]) {
    const normal = defaults[name] as (input: unknown, attempt: number) => unknown;
    systems.when(name, ((input: unknown, attempt: number) => {
      const fault = faults.get(Context.current().info.workflowExecution?.workflowId ?? '');
      if (fault && fault.activity === name && !fault.fired) {
        fault.fired = true;
        throw ApplicationFailure.create({
          type: fault.type,
          message: `${name} refused (${fault.type}, injected)`,
          nonRetryable: true,
          details: [{ system: name.replace(/[A-Z].*$/, '') }],
        });
      }
      return normal(input, attempt);
    }) as never);
  }
  return systems;
}

type Report = StatusReport<{
  status: string;
  needsAttention: boolean;
  parked: Array<{ step: string; decision?: unknown; failure: { type: string } }>;
}>;

/**
 * Waits until `goal` holds; meanwhile every parked step is retried (the operator's answer), and the
 * types it parked with are collected. A run Temporal ended (FAILED) fails the test at once.
 */
async function settle(
  read: () => Promise<Report>,
  retry: (step: string) => Promise<unknown>,
  goal: (s: Report) => boolean,
  parkedTypes: string[],
): Promise<Report> {
  return eventually(
    async () => {
      const s = await read();
      assert.notEqual(s.status, 'failed', `the run FAILED: ${s.runEnd?.failure}`);
      for (const p of s.parked.filter((x) => !x.decision)) {
        parkedTypes.push(p.failure.type);
        await retry(p.step);
      }
      return s;
    },
    (s) => goal(s) && !s.needsAttention,
    60_000,
  );
}

const decide = { action: 'retry' as const, reason: 'fixed in the system', by: 'op.jo' };
/** A read refusing a reference parks as missing master data; any other refusal parks under its own type. */
const parksAs = (fault: Fault) =>
  fault.type === 'BusinessRule' && /Read(Manufacturing|Production)Order$/.test(fault.activity)
    ? 'MasterDataMissing'
    : fault.type;

let n = 0;

async function driveOrder(orders: OrderClient, ref: string, parkedTypes: string[]): Promise<string> {
  const read = () => orders.status('1710', ref) as Promise<Report>;
  const retry = (step: string) => orders.resolveParkedStep('1710', ref, { step, ...decide });
  const ended = (s: Report) => ['release_failed', 'aborted', 'cancelled'].includes(s.status);
  await orders.release(demoOrderInput({ orderRef: ref }));
  const released = await settle(read, retry, (s) => s.status === 'released' || ended(s), parkedTypes);
  if (ended(released)) return released.status;
  const lot = `L${ref.slice(-6)}`;
  for (const event of [
    mes.started('0010', { orderRef: ref }),
    mes.consumed('RM-300', 'H-1001', '100', 'EA', { orderRef: ref }),
    mes.completed('0010', '100', { orderRef: ref, final: true }),
    mes.started('0020', { orderRef: ref }),
    mes.completed('0020', '100', { orderRef: ref, final: true }),
    mes.produced(lot, '100', { orderRef: ref }),
  ])
    await orders.reportMesEvent(event);
  return (await settle(read, retry, (s) => s.status === 'completed' || ended(s), parkedTypes)).status;
}

async function driveLot(env: TestWorkflowEnvironment, lots: LotClient, lotId: string, parkedTypes: string[]) {
  const read = () => lots.status('FG-100', lotId) as Promise<Report>;
  const retry = (step: string) => lots.resolveParkedStep('FG-100', lotId, { step, ...decide });
  await produce(env, lotId);
  await settle(read, retry, (s) => s.status === 'restricted', parkedTypes);
  await readyForDecision(lots, lotId);
  await sign(
    lots,
    'FG-100',
    lotId,
    { decision: 'release', meaning: 'approved_for_release', reason: 'all inspections passed' },
    await signer(env, 'qp.marc'),
  );
  return (await settle(read, retry, (s) => s.status === 'released', parkedTypes)).status;
}

async function driveNcr(env: TestWorkflowEnvironment, ncrs: NcrClient, ncrId: string, parkedTypes: string[]) {
  const read = () => ncrs.status(ncrId) as unknown as Promise<Report>;
  const retry = (step: string) => ncrs.resolveParkedStep(ncrId, { step, ...decide });
  const lotId = `A${ncrId.slice(-8)}`;
  await ncrs.openStart(ncrStart({ ncrId, lots: [{ material: 'FG-100', lotId, quantity: qtyOf('50') }] }), {
    existing: 'fail',
  });
  await settle(read, retry, (s) => s.status === 'contained', parkedTypes);
  await ncrs.dispose(
    ncrId,
    { lotId, decision: 'use_as_is', quantity: qtyOf('50'), reason: 'retest passed' },
    await signer(env, 'qa.anna'),
  );
  await settle(read, retry, (s) => s.status === 'executed', parkedTypes);
  await ncrs.recordRootCause(ncrId, { category: 'measurement', description: 'gauge drift', by: 'qa.anna' });
  await ncrs.close(ncrId, 'false alarm', await signer(env, 'qp.marc'));
  return (await settle(read, retry, (s) => s.status === 'closed', parkedTypes)).status;
}

/** Runs `drive` once without faults (to learn the activities it calls), then once per activity and type. */
async function everyRefusal(
  label: string,
  defaults: Fakes,
  env: TestWorkflowEnvironment,
  drive: (id: string, parkedTypes: string[]) => Promise<string>,
  workflowIdOf: (id: string) => string,
  newId: () => string,
): Promise<void> {
  const faults = new Map<string, Fault>();
  const systems = faultingSystems(defaults, faults);
  const outcomes: string[] = [];
  await withOrderWorkers(env, systems, async () => {
    assert.ok(
      ['completed', 'released', 'closed'].includes(await drive(newId(), [])),
      `${label}: the happy path ends well`,
    );
    const called = [...new Set(systems.names())] as ActivityName[];
    assert.ok(called.length >= 5, `${label} calls its systems (${called.join(', ')})`);
    const cases = called.flatMap((activity) => NON_RETRYABLE_FAILURE_TYPES.map((type) => ({ activity, type })));
    // A few runs at a time: each waits on its own time-skipped timers.
    for (let i = 0; i < cases.length; i += 6) {
      await Promise.all(
        cases.slice(i, i + 6).map(async ({ activity, type }) => {
          const id = newId();
          const fault: Fault = { activity, type, fired: false };
          faults.set(workflowIdOf(id), fault);
          const parkedTypes: string[] = [];
          const end = await drive(id, parkedTypes);
          const what = `${label}: ${activity} refusing with ${type}`;
          if (!fault.fired) return; // called by another run of the process (a lot run, an NCR), not by this one
          outcomes.push(`${activity}/${type}: ${end === 'release_failed' ? 'compensated' : 'parked'}`);
          if (end === 'release_failed') return; // the saga compensated: a business end, recorded with its reason
          assert.ok(parkedTypes.includes(parksAs(fault)), `${what} parked (saw ${parkedTypes.join(', ') || 'none'})`);
        }),
      );
    }
    const parkedCount = outcomes.filter((o) => o.endsWith('parked')).length;
    assert.ok(
      outcomes.length >= called.length * NON_RETRYABLE_FAILURE_TYPES.length * 0.8 && parkedCount > outcomes.length / 2,
      `${label}: the refusals reached the run (${outcomes.join('; ')})`,
    );
  });
}

describe('no run ends FAILED on a business error (time-skipping, every activity × every non-retryable type)', function () {
  this.timeout(600_000);

  it('production order: every refusal parks (or compensates the release); a retry carries the order to completed', async () => {
    const env = await timeSkippingEnv();
    const orders = orderClient(env);
    await everyRefusal(
      'order',
      ORDER_DEFAULTS,
      env,
      (ref, parked) => driveOrder(orders, ref, parked),
      (ref) => `order:1710:${ref}`,
      () => `PO-NF${Date.now() % 100000}-${++n}`,
    );
  });

  it('lot: every refusal parks; a retry carries the lot to released', async () => {
    const env = await timeSkippingEnv();
    const lots = lotClient(env);
    const defaults = { ...ORDER_DEFAULTS, ...LOT_DEFAULTS };
    await everyRefusal(
      'lot',
      defaults,
      env,
      (lotId, parked) => driveLot(env, lots, lotId, parked),
      (lotId) => `lot:FG-100:${lotId}`,
      () => uniqueLotId('N'),
    );
  });

  it('nonconformance: every refusal parks; a retry carries the NCR to closed', async () => {
    const env = await timeSkippingEnv();
    const ncrs = ncrClient(env);
    await everyRefusal(
      'ncr',
      { ...ORDER_DEFAULTS, ...LOT_DEFAULTS, ...NCR_DEFAULTS },
      env,
      (ncrId, parked) => driveNcr(env, ncrs, ncrId, parked),
      (ncrId) => `ncr:${ncrId}`,
      () => uniqueNcrId('NCR-NF'),
    );
  });
});
