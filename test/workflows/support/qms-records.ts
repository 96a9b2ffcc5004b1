import type {
  QmsAddNonconformanceDispositionInput,
  QmsCloseNonconformanceInput,
  QmsOpenCapaInput,
  QmsOpenNonconformanceInput,
  QmsRecordInspectionResultInput,
  QmsRecordSignedDispositionInput,
  QmsUpdateNonconformanceInput,
} from '../../../activities/qms/types';
import type { Capa, Nonconformance, SignedRecord, TestResult } from '../../../contracts/qms';

/** What the QMS answers, whole, as its contract has it: the fakes build their answers from these. */
const AT = '2026-11-23T00:00:00Z';

export function testResult(i: QmsRecordInspectionResultInput): TestResult {
  return {
    resultId: `TR-${i.characteristic}`,
    lotId: i.lotId,
    material: i.material,
    planId: 'PLAN-1',
    characteristic: i.characteristic,
    required: true,
    result: i.result,
    value: i.value ?? null,
    unit: i.unit ?? null,
    withinLimits: null,
    inspector: i.inspector,
    effectiveAt: i.effectiveAt,
    recordedAt: AT,
    site: i.site ?? null,
    orderRef: i.orderRef ?? null,
    comment: i.comment ?? null,
  };
}

export function signedRecord(i: QmsRecordSignedDispositionInput): SignedRecord {
  return {
    ...i,
    material: i.material ?? null,
    lotId: i.lotId ?? null,
    ncrId: i.ncrId ?? null,
    quantity: i.quantity ?? null,
    fromDisposition: i.fromDisposition ?? null,
    toDisposition: i.toDisposition ?? null,
    justification: i.justification ?? null,
    sequence: 1,
    previousRecordHash: null,
    recordedAt: AT,
  };
}

type NcrRef = { ncrId: string } & Partial<QmsOpenNonconformanceInput>;
export function nonconformance(
  i: NcrRef | QmsUpdateNonconformanceInput | QmsAddNonconformanceDispositionInput | QmsCloseNonconformanceInput,
  status: Nonconformance['status'] = 'open',
): Nonconformance {
  const o = i as NcrRef;
  return {
    ncrId: i.ncrId,
    source: o.source ?? 'inspection',
    severity: o.severity ?? 'major',
    status,
    material: o.material ?? 'FG-100',
    lotIds: o.lotIds ?? [],
    quantity: o.quantity ?? { value: '0', uom: 'EA' },
    description: o.description ?? 'nonconformance',
    raisedBy: o.raisedBy ?? 'qa.anna',
    site: o.site ?? null,
    orderRef: o.orderRef ?? null,
    refs: {},
    containmentActions: [],
    dispositions: [],
    dispositionedQuantity: { value: '0', uom: 'EA' },
    rootCause: null,
    capaIds: [],
    openedAt: AT,
    recordedAt: AT,
    closedAt: status === 'closed' ? AT : null,
    history: [],
  };
}

export function capa(i: QmsOpenCapaInput): Capa {
  return {
    capaId: i.capaId,
    title: i.title,
    material: i.material,
    ncrIds: i.ncrIds,
    trigger: i.trigger,
    owner: i.owner,
    description: i.description ?? null,
    dueAt: i.dueAt ?? null,
    status: 'open',
    openedAt: AT,
  };
}
