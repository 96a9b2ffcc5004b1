import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { RegisterLotInput } from '../../../activities/plantflow/runs';
import { LotClient } from '../../../client/lots';
import { lotWorkflowId } from '../../../domain/ids';
import type { LotDispositionInput, SignedLotDisposition } from '../../../domain/lot-disposition';
import type { LotReview } from '../../../domain/lot-review';
import { recordHash, type VerifiedSigner } from '../../../domain/signature';
import type { InspectionPlan } from '../../../contracts/qms';
import { FakeSystems, type Fakes } from './fakes';
import { signedRecord, testResult } from './qms-records';
import { FAST_TUNING, ORDER_DEFAULTS } from './order-harness';
import { lotStockReceivedSignal } from '../../../workflows/messages/lot';
import { eventually, trackRun, withPlantWorkers } from './workers';

const q = (value: string, uom = 'EA') => ({ value, uom });

/** The demo plan of FG-100 as the QMS returns it: PRESSURE and VISUAL required, NOISE optional. */
export const FG100_PLAN: InspectionPlan = {
  planId: 'IP-FG-100',
  material: 'FG-100',
  version: 1,
  characteristics: [
    {
      characteristic: 'PRESSURE',
      description: 'Hydrostatic pressure test',
      required: true,
      kind: 'quantitative',
      lowerLimit: '16',
      upperLimit: '25',
      unit: 'bar',
    },
    {
      characteristic: 'VISUAL',
      description: 'Visual inspection of coating',
      required: true,
      kind: 'qualitative',
      lowerLimit: null,
      upperLimit: null,
      unit: null,
    },
    {
      characteristic: 'NOISE',
      description: 'Running noise level',
      required: false,
      kind: 'quantitative',
      lowerLimit: null,
      upperLimit: '70',
      unit: 'dB',
    },
  ],
};

/** What the lot's systems answer when a test does not say otherwise: everything goes through once. */
export const LOT_DEFAULTS: Fakes = {
  qmsGetInspectionPlan: (i) => (i.material === 'FG-100' ? FG100_PLAN : null),
  qmsRecordInspectionResult: (i) => testResult(i),
  qmsRecordSignedDisposition: (i) => ({ outcome: 'recorded', record: signedRecord(i) }),
  odooFindOrCreateLot: () => ({ lotId: 7, created: true }),
  odooMoveLotToQuarantine: () => ({ status: 'moved', lotId: 7, location: 'WH/Quarantine', quantity: q('100') }),
  odooReleaseLotFromQuarantine: () => ({ status: 'moved', lotId: 7, location: 'WH/Stock', quantity: q('100') }),
  odooScrapLot: () => ({ status: 'done', scrapId: 3, scrapName: 'SP/00003', created: true }),
  odooRecordQualityCheck: (i) => ({ checkId: 11, checkName: 'QC/00011', state: i.result, created: true }),
  sapEnsureBatch: (i) => ({
    material: i.material,
    batch: i.batch,
    restricted: i.restricted,
    created: true,
    changed: false,
  }),
  sapSetBatchRestricted: (i) => ({
    material: i.material,
    batch: i.batch,
    restricted: i.restricted,
    created: false,
    changed: true,
  }),
  sapFindInspectionLot: (i) => ({
    found: true,
    inspectionLot: '890000000001',
    status: 'open',
    lots: [
      {
        inspectionLot: '890000000001',
        material: i.material,
        batch: i.batch,
        plant: '1710',
        origin: '04',
        quantity: q('100'),
        toBePosted: q('100'),
        postedToUnrestricted: q('0'),
        postedToScrap: q('0'),
        postedToBlocked: q('0'),
        hasUsageDecision: false,
        stockPostingCompleted: false,
        status: 'open',
      },
    ],
  }),
  sapRecordUsageDecision: (i) => ({
    inspectionLot: i.inspectionLot,
    code: i.decision === 'accept' ? 'A' : 'R',
    valuation: 'A',
    alreadyDecided: false,
  }),
  sapPostInspectionLotStock: (i) => ({
    inspectionLot: i.inspectionLot,
    item: '1',
    materialDocument: '4900000100',
    year: '2026',
    alreadyPosted: false,
  }),
  plantflowOpenNcr: (i) => ({ workflowId: `ncr:${i.start.ncrId}`, alreadyExisted: false }),
  plantflowNotify: () => ({ delivered: 'log' }),
  plantflowRegisterLot: (i) => ({ workflowId: `lot:${String(i.material)}:${String(i.lotId)}`, parentsTold: 0 }),
};

/** Lot fakes, plus the order's (the end-to-end test runs a real order beside its lot). */
export function defaultLotSystems(): FakeSystems {
  // The order harness keeps its defaults private; its fakes are reused as they are.
  return new FakeSystems({ ...ORDER_DEFAULTS, ...LOT_DEFAULTS });
}

/** Lot runs a test started: ended when the test ends (withPlantWorkers). */
export function trackLot(material: string, lotId: string): void {
  trackRun(lotWorkflowId(material, lotId));
}

/** Lot tests run the plant's workers with the fakes; see withPlantWorkers for the clean-up. */
export const withLotWorkers = withPlantWorkers;

export function lotClient(env: TestWorkflowEnvironment): LotClient {
  return new LotClient(env.client, { tuning: FAST_TUNING });
}

let n = 0;
/** A fresh SAP-batch-shaped lot id per test (the test server is shared by the whole mocha run). */
export function uniqueLotId(prefix = 'L'): string {
  return `${prefix}${(Date.now() % 1_000_000).toString(36).toUpperCase()}${(++n).toString(36).toUpperCase()}`.slice(
    0,
    10,
  );
}

/** A produced lot, registered the way the order's posting pipeline registers it (signal-with-start). */
export function produce(env: TestWorkflowEnvironment, lotId: string, overrides: Partial<RegisterLotInput> = {}) {
  trackLot(overrides.material ?? 'FG-100', lotId);
  return new LotClient(env.client).registerProduced({
    material: 'FG-100',
    lotId,
    site: '1710',
    quantity: q('100'),
    parents: [
      { material: 'RM-300', lotId: 'H-1001', quantity: q('100') },
      { material: 'RM-310', lotId: 'I-2001', quantity: q('100') },
    ],
    producedAt: new Date().toISOString(),
    producedBy: { orderRef: `PO-${lotId}`, orderWorkflowId: `order:1710:PO-${lotId}` },
    executors: ['op.sam'],
    sourceEventId: `evt-${lotId}-1`,
    ...overrides,
  });
}

const PEOPLE: Record<string, { printedName: string; roles: string[] }> = {
  'qp.marc': { printedName: 'Marc Dubois', roles: ['qp', 'qa'] },
  'qa.anna': { printedName: 'Anna Berger', roles: ['qa'] },
  'op.sam': { printedName: 'Sam Okafor', roles: ['mes'] },
};

/** A signer as the API hands it over after re-authentication, at the test server's current time. */
export async function signer(
  env: TestWorkflowEnvironment,
  userId: keyof typeof PEOPLE | string,
  at?: number,
): Promise<VerifiedSigner> {
  const person = PEOPLE[userId] ?? { printedName: userId, roles: ['qa'] };
  return {
    userId,
    printedName: person.printedName,
    roles: person.roles,
    reauth: { method: 'password', at: new Date(at ?? (await env.currentTimeMs())).toISOString() },
  };
}

export function result(characteristic: string, outcome: 'pass' | 'fail', extra: Record<string, string> = {}) {
  const units: Record<string, string> = { PRESSURE: 'bar', NOISE: 'dB' };
  const values: Record<string, string> = { PRESSURE: outcome === 'pass' ? '20' : '12', NOISE: '60' };
  return {
    eventId: `res-${characteristic}-${outcome}-${++n}-${Date.now()}`,
    characteristic,
    result: outcome,
    ...(values[characteristic] ? { value: values[characteristic], unit: units[characteristic] } : {}),
    inspector: 'lab.kim',
    effectiveAt: new Date(Date.now() + n).toISOString(),
    ...extra,
  };
}

/** Both required inspections of FG-100 pass (and, unless told otherwise, the goods are received): ready for QA. */
export async function readyForDecision(
  lots: LotClient,
  lotId: string,
  opts: { received?: boolean } = {},
): Promise<void> {
  await lots.recordInspection({ material: 'FG-100', lotId, ...result('PRESSURE', 'pass') });
  await lots.recordInspection({ material: 'FG-100', lotId, ...result('VISUAL', 'pass') });
  if (opts.received ?? true)
    await lots
      .handle('FG-100', lotId)
      .signal(lotStockReceivedSignal, { orderRef: `PO-${lotId}`, receivedAt: new Date().toISOString() });
  await eventually(
    () => lots.status('FG-100', lotId),
    (s) => s.status === 'restricted' && s.requiredNotPassed.length === 0,
  );
}

/**
 * What a QP reviewed before releasing a lot in this tier. No order or NCR runs here, so there is no full lot
 * record: the lot's own view stands for it — its hash is the record hash, its holds the exceptions, each
 * acknowledged, and its fingerprint lets the Update refuse a lot that changed since.
 */
export async function lotReview(lots: LotClient, material: string, lotId: string): Promise<LotReview> {
  const view = await lots.status(material, lotId);
  const exceptions = view.holds.map((h) => `hold:${h.holdId}`);
  return {
    recordHash: recordHash(view),
    exceptions,
    acknowledgements: exceptions.map((exceptionId) => ({ exceptionId, comment: `reviewed ${exceptionId}` })),
    lotFingerprint: view.fingerprint,
  };
}

/** Signs a disposition the way a service using the client library does: a release on the reviewed lot. */
export async function sign(
  lots: LotClient,
  material: string,
  lotId: string,
  input: LotDispositionInput,
  who: VerifiedSigner,
): Promise<SignedLotDisposition> {
  if (input.decision !== 'release') return lots.disposition(material, lotId, input, who);
  // A lot still writing its results may change between the reading and the signing: the QP reads it again.
  for (let attempt = 1; ; attempt++) {
    try {
      return await lots.disposition(material, lotId, input, who, await lotReview(lots, material, lotId));
    } catch (err) {
      const changed =
        err instanceof WorkflowUpdateFailedError &&
        err.cause instanceof ApplicationFailure &&
        err.cause.type === 'RecordChanged';
      if (!changed || attempt >= 5) throw err;
    }
  }
}
