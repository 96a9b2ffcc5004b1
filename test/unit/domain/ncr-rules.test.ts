import assert from 'node:assert/strict';
import { capaDecision, DEFAULT_NCR_POLICY, resolvePolicy } from '../../../domain/ncr';
import { reworkDeviationNcr } from '../../../domain/ncr-deviation';
import {
  buildRecord,
  coSign,
  coSignProblem,
  dispositionProblem,
  fullyDispositioned,
  newLine,
  nextLineId,
  signedRecordIdOf,
  signerProblem,
  type DispositionContext,
  type DispositionLine,
} from '../../../domain/ncr-dispositions';
import {
  descendantReleasePlan,
  lineExecutionPlan,
  lotReadyForRelease,
  lotReleasePlan,
  type ContainedLot,
} from '../../../domain/ncr-execution';
import { ncrOpenSchema } from '../../../domain/ncr-requests';
import { signatureMatches, type VerifiedSigner } from '../../../domain/signature';
import { demoOrder } from '../../support/orders';

const q = (value: string) => ({ value, uom: 'EA' });
const NOW = Date.parse('2026-11-23T10:00:00Z');
const person = (userId: string, roles = ['qa'], at = NOW): VerifiedSigner => ({
  userId,
  printedName: userId.toUpperCase(),
  roles,
  reauth: { method: 'password', at: new Date(at).toISOString() },
});
const lot = { material: 'FG-100', lotId: 'L1', quantity: q('50') };
const ctx = (lines: DispositionLine[] = [], overrides: Partial<DispositionContext> = {}): DispositionContext => ({
  ncrId: 'N1',
  severity: 'minor',
  lots: [lot],
  quantity: q('50'),
  lines,
  ...overrides,
});
const line = (
  decision: DispositionLine['record']['decision'],
  value: string,
  id = nextLineId([]),
  severity: 'minor' | 'critical' = 'minor',
) =>
  newLine(
    buildRecord('N1', id, lot, { lotId: 'L1', decision, quantity: q(value), reason: 'because' }),
    person('qa.anna'),
    severity,
    new Date(NOW).toISOString(),
  );

describe('NCR rules (pure)', () => {
  it('CAPA: severity alone, or N NCRs of a material in the window (named after the oldest, so later ones join it)', () => {
    const policy = DEFAULT_NCR_POLICY;
    assert.deepEqual(capaDecision('N9', 'major', policy), { trigger: 'severity', capaId: 'CAPA-N9', ncrIds: ['N9'] });
    assert.equal(capaDecision('N9', 'minor', policy, { ncrIds: ['N1', 'N9'] }), undefined);
    assert.deepEqual(capaDecision('N9', 'minor', policy, { ncrIds: ['N1', 'N5'] }), {
      trigger: 'recurrence',
      capaId: 'CAPA-R-N1',
      ncrIds: ['N1', 'N5', 'N9'],
    });
    assert.equal(
      capaDecision('N9', 'minor', resolvePolicy({ capa: { ...policy.capa, recurrenceCount: 5 } }), {
        ncrIds: ['N1', 'N5', 'N9'],
      }),
      undefined,
    );
  });

  it('quantities: per lot and in total, pending co-signatures count, withdrawn lines do not', () => {
    const use = line('use_as_is', '30', 'L1');
    assert.equal(
      dispositionProblem(ctx([use]), { lotId: 'L1', decision: 'scrap', quantity: q('20'), reason: 'x' }),
      undefined,
    );
    assert.match(
      dispositionProblem(ctx([use]), { lotId: 'L1', decision: 'scrap', quantity: q('21'), reason: 'x' })!,
      /51 EA would exceed its nonconforming 50 EA/,
    );
    assert.match(
      dispositionProblem(ctx([use], { quantity: q('40') }), {
        lotId: 'L1',
        decision: 'scrap',
        quantity: q('11'),
        reason: 'x',
      })!,
      /41 EA would exceed the nonconforming 40 EA of N1/,
    );
    const withdrawn = { ...line('scrap', '20', 'L2'), status: 'withdrawn' as const };
    assert.equal(
      dispositionProblem(ctx([use, withdrawn]), { lotId: 'L1', decision: 'scrap', quantity: q('20'), reason: 'x' }),
      undefined,
    );
    assert.match(
      dispositionProblem(ctx([], { closedReason: 'NCR N1 is closed' }), {
        lotId: 'L1',
        decision: 'scrap',
        quantity: q('1'),
        reason: 'x',
      })!,
      /closed/,
    );
    assert.match(
      dispositionProblem(ctx(), { lotId: 'L1', decision: 'return_to_vendor', quantity: q('1'), reason: 'x' })!,
      /names the supplier/,
    );
    assert.equal(fullyDispositioned([use, line('scrap', '20', 'L2')], q('50')), true);
    assert.equal(
      fullyDispositioned([use, line('scrap', '20', 'L2', 'critical')], q('50')),
      false,
      'a pending line is not yet a decision',
    );
  });

  it('signatures: role, fresh re-authentication, a second different person; both bind the same record', () => {
    assert.match(signerProblem(person('op.sam', ['mes']), NOW)!, /needs one of the roles qa, qp/);
    assert.match(signerProblem(person('qa.anna', ['qa'], NOW - 6 * 60_000), NOW)!, /within 5 minutes/);
    assert.equal(signerProblem(person('qa.anna'), NOW), undefined);
    const pending = line('scrap', '20', 'C1', 'critical');
    assert.equal(pending.status, 'pending_cosign');
    assert.match(coSignProblem(pending, person('qa.anna'), 'ok', NOW)!, /different person/);
    const approved = coSign(pending, person('qp.marc', ['qp']), 'checked', new Date(NOW).toISOString());
    assert.equal(approved.status, 'approved');
    assert.ok(approved.signatures.every((s) => signatureMatches(approved.record, s)));
    assert.equal(approved.signatures[1]!.meaning, 'verified');
  });

  it('execution plans follow custody: inspection lot for a running lot, blocked stock for a blocked one, production for units in process', () => {
    const scrap = line('scrap', '20');
    assert.deepEqual(
      lineExecutionPlan(scrap, 'lot_workflow').map((s) => s.kind),
      ['sap_inspection_lot', 'odoo_scrap_lot'],
    );
    assert.deepEqual(
      lineExecutionPlan(scrap, 'blocked').map((s) => `${s.kind}${'movementType' in s ? ` ${s.movementType}` : ''}`),
      ['sap_movement 555', 'odoo_scrap_lot'],
    );
    assert.deepEqual(
      lineExecutionPlan(scrap, 'wip').map((s) => s.kind),
      ['odoo_scrap_wip', 'note'],
    );
    assert.deepEqual(
      lineExecutionPlan(line('rework', '5'), 'lot_workflow').map((s) => s.kind),
      ['sap_inspection_lot', 'note', 'rework_order'],
    );
    assert.deepEqual(lineExecutionPlan(line('use_as_is', '30'), 'blocked'), []);
    const blocked: ContainedLot = {
      key: 'FG-100:L1',
      material: 'FG-100',
      lotId: 'L1',
      role: 'affected',
      depth: 0,
      workflowId: 'lot:FG-100:L1',
      custody: 'blocked',
      odooMoved: true,
      sapBlocked: q('50'),
    };
    const lines = [{ ...line('use_as_is', '30', 'L1') }, { ...line('scrap', '20', 'L2'), status: 'executed' as const }];
    assert.deepEqual(
      lotReleasePlan(blocked, lines).map((s) => `${s.kind}${'quantity' in s ? ` ${s.quantity.value}` : ''}`),
      ['sap_movement 30', 'odoo_release'],
    );
    assert.equal(lotReadyForRelease(blocked, lines, true), true);
    assert.equal(
      lotReadyForRelease(blocked, [lines[0]!, { ...lines[1]!, status: 'approved' }], true),
      false,
      'scrap first',
    );
    assert.deepEqual(
      descendantReleasePlan({ ...blocked, role: 'descendant', sapBlocked: undefined, sapRestricted: true }).map(
        (s) => s.kind,
      ),
      ['sap_unrestrict', 'odoo_release'],
    );
    assert.deepEqual(
      descendantReleasePlan({ ...blocked, role: 'descendant', odooMoved: false, sapBlocked: undefined }),
      [],
      'only what the NCR changed',
    );
  });

  it('an MES rework report becomes one deterministic NCR on units in production', () => {
    const report = {
      eventId: 'evt-123',
      operation: '0020',
      quantity: q('5'),
      raisedBy: 'op.sam',
      effectiveAt: '2026-11-23T08:00:00Z',
    };
    const a = reworkDeviationNcr(demoOrder(), report);
    assert.deepEqual(a, reworkDeviationNcr(demoOrder(), report));
    assert.match(a.ncrId, /^DEV-PO-1001-0020-[0-9A-F]{8}$/);
    assert.deepEqual(
      [a.source, a.lots[0]!.wip, a.lots[0]!.lotId, a.erp],
      ['mes_deviation', true, 'WIP-PO-1001-0020', { odooMo: 'WH/MO/00001', sapOrder: '1000001' }],
    );
    assert.notEqual(reworkDeviationNcr(demoOrder(), { ...report, eventId: 'evt-124' }).ncrId, a.ncrId);
    assert.ok(ncrOpenSchema.safeParse({ ...a, lots: a.lots }).success);
  });

  it('record ids fit the QMS; open requests refuse mixed units and lots named twice', () => {
    assert.equal(signedRecordIdOf('NCR-1', 'L1'), 'NCR-1-L1');
    assert.ok(signedRecordIdOf('N'.repeat(70), 'L12345678901').length <= 80);
    const base = { severity: 'minor', site: '1710', material: 'FG-100', description: 'x', raisedBy: 'qa.anna' };
    assert.equal(
      ncrOpenSchema.safeParse({
        ...base,
        lots: [
          { lotId: 'L1', quantity: q('5') },
          { lotId: 'L1', quantity: q('5') },
        ],
      }).success,
      false,
    );
    assert.equal(
      ncrOpenSchema.safeParse({
        ...base,
        lots: [
          { lotId: 'L1', quantity: q('5') },
          { lotId: 'L2', quantity: { value: '5', uom: 'KGM' } },
        ],
      }).success,
      false,
    );
    assert.equal(
      ncrOpenSchema.safeParse({ ...base, lots: [{ lotId: 'L1', quantity: q('5') }], quantity: q('6') }).success,
      false,
    );
    assert.equal(
      ncrOpenSchema.safeParse({ ...base, ncrId: 'a/b', lots: [{ lotId: 'L1', quantity: q('5') }] }).success,
      false,
    );
  });
});
