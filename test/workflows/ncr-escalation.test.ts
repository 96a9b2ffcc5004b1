import assert from 'node:assert/strict';
import { OverdueAttr } from '../../workflows/search-attributes';
import { timeSkippingEnv } from '../setup/temporal-env';
import {
  defaultNcrSystems,
  eventually,
  ncrClient,
  ncrStart,
  qtyOf,
  signer,
  withNcrWorkers,
} from './support/ncr-harness';

describe('nonconformance: SLA escalation and CAPA (time-skipping, mocked systems)', function () {
  this.timeout(120_000);

  it('escalates a missed disposition deadline (Overdue, notification), reminds daily, and clears once dispositioned', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultNcrSystems();
    const ncrs = ncrClient(env, { dispositionWithin: '2 days', remindEvery: '1 day', closeWithin: '30 days' });
    const start = ncrStart();
    const escalations = () =>
      systems.called('plantflowNotify').filter((c) => c.input.workflowId === `ncr:${start.ncrId}`);
    await withNcrWorkers(env, systems, async () => {
      await ncrs.openStart(start, { existing: 'fail' });
      await eventually(
        () => ncrs.status(start.ncrId),
        (v) => v.status === 'contained',
      );
      await env.sleep('1 day');
      assert.equal((await ncrs.status(start.ncrId)).overdue, false);
      assert.equal(escalations().length, 0);
      await env.sleep('26 hours');
      const overdue = await eventually(
        () => ncrs.status(start.ncrId),
        (v) => v.overdue,
      );
      assert.deepEqual(
        overdue.escalations.map((e) => e.sla),
        ['disposition'],
      );
      const described = await ncrs.handle(start.ncrId).describe();
      assert.equal(described.typedSearchAttributes.get(OverdueAttr), true);
      await eventually(
        async () => escalations().length,
        (n) => n === 1,
      );
      assert.equal(escalations()[0]!.input.kind, 'escalation');
      assert.match(
        String(escalations()[0]!.input.subject),
        /overdue: the nonconforming quantity is not fully dispositioned/,
      );
      await env.sleep('1 day');
      await eventually(
        async () => escalations().length,
        (n) => n === 2,
      );
      assert.match(String(escalations()[1]!.input.subject), /reminder 1/);
      const anna = await signer(env, 'qa.anna');
      await ncrs.dispose(
        start.ncrId,
        { lotId: 'L-NC1', decision: 'scrap', quantity: qtyOf('50'), reason: 'all cracked' },
        anna,
      );
      const cleared = await eventually(
        () => ncrs.status(start.ncrId),
        (v) => !v.overdue,
      );
      assert.ok(cleared.escalations[0]!.resolvedAt);
      assert.equal((await ncrs.handle(start.ncrId).describe()).typedSearchAttributes.get(OverdueAttr), false);
      await env.sleep('3 days');
      assert.equal(escalations().length, 2, 'no reminder after the deadline was met');
    });
  });

  it('opens a CAPA for severity (major) without counting recurrences', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultNcrSystems();
    const ncrs = ncrClient(env);
    const start = ncrStart({ severity: 'major' });
    await withNcrWorkers(env, systems, async () => {
      await ncrs.openStart(start, { existing: 'fail' });
      const view = await eventually(
        () => ncrs.status(start.ncrId),
        (v) => v.capa !== undefined,
      );
      assert.deepEqual([view.capa!.capaId, view.capa!.trigger], [`CAPA-${start.ncrId}`, 'severity']);
    });
    assert.equal(systems.called('plantflowCountNonconformances').length, 0, 'severity alone decides');
    const capa = systems.called('qmsOpenCapa').find((c) => c.input.capaId === `CAPA-${start.ncrId}`)!;
    assert.deepEqual([capa.input.trigger, capa.input.ncrIds, capa.input.owner], ['severity', [start.ncrId], 'quality']);
  });

  it('opens (or joins) a recurrence CAPA when the material had N nonconformances within the window; not below N', async () => {
    const env = await timeSkippingEnv();
    const systems = defaultNcrSystems();
    const ncrs = ncrClient(env, {
      capa: {
        severities: ['major', 'critical'],
        recurrenceCount: 3,
        recurrenceWindow: '30 days',
        owner: 'qa.lead',
        dueWithin: '14 days',
      },
    });
    const recurring = ncrStart();
    const single = ncrStart();
    systems.when('plantflowCountNonconformances', () => ({
      count: 3,
      ncrIds: ['NCR-OLD-1', 'NCR-OLD-2', recurring.ncrId],
    }));
    const now = await env.currentTimeMs();
    await withNcrWorkers(env, systems, async () => {
      await ncrs.openStart(recurring, { existing: 'fail' });
      const view = await eventually(
        () => ncrs.status(recurring.ncrId),
        (v) => v.capa !== undefined,
      );
      assert.deepEqual([view.capa!.capaId, view.capa!.trigger], ['CAPA-R-NCR-OLD-1', 'recurrence']);
      systems.when('plantflowCountNonconformances', () => ({ count: 2, ncrIds: ['NCR-OLD-2', single.ncrId] }));
      await ncrs.openStart(single, { existing: 'fail' });
      await eventually(
        () => ncrs.status(single.ncrId),
        (v) => v.timeline.some((t) => t.type === 'Recurrence'),
      );
      await eventually(
        () => ncrs.status(single.ncrId),
        (v) => v.status === 'contained',
      );
      assert.equal((await ncrs.status(single.ncrId)).capa, undefined);
    });
    const count = systems.called('plantflowCountNonconformances')[0]!;
    assert.equal(count.input.material, 'FG-100');
    const windowDays = (now - Date.parse(String(count.input.since))) / 86_400_000;
    assert.ok(windowDays > 29.9 && windowDays < 30.1, `a 30-day window before the workflow clock, got ${windowDays}`);
    const capa = systems.called('qmsOpenCapa').find((c) => c.input.capaId === 'CAPA-R-NCR-OLD-1')!;
    assert.deepEqual(
      [capa.input.trigger, capa.input.ncrIds, capa.input.owner],
      ['recurrence', ['NCR-OLD-1', 'NCR-OLD-2', recurring.ncrId], 'qa.lead'],
    );
    assert.equal(
      systems.called('qmsOpenCapa').filter((c) => (c.input.ncrIds as string[]).includes(single.ncrId)).length,
      0,
    );
  });
});
