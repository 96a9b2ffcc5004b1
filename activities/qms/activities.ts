import { RestJsonClient, type RestClientDeps } from '../shared/rest-client';
import {
  activateInspectionPlan,
  deactivateInspectionPlan,
  getInspectionPlan,
  listInspectionResults,
  recordInspectionResult,
} from './plans';
import {
  addNonconformanceDisposition,
  closeNonconformance,
  countNonconformances,
  openNonconformance,
  updateNonconformance,
} from './nonconformances';
import { listSignedRecords, openCapa, recordSignedDisposition } from './records';
import type {
  InspectionPlan,
  Nonconformance,
  QmsActivateInspectionPlanInput,
  QmsActivateInspectionPlanResult,
  QmsAddNonconformanceDispositionInput,
  QmsCloseNonconformanceInput,
  QmsCountNonconformancesInput,
  QmsCountNonconformancesResult,
  QmsDeactivateInspectionPlanInput,
  QmsDeactivateInspectionPlanResult,
  QmsOpenCapaInput,
  QmsOpenCapaResult,
  QmsOpenNonconformanceInput,
  QmsOpenNonconformanceResult,
  QmsRecordInspectionResultInput,
  QmsRecordSignedDispositionInput,
  QmsRecordSignedDispositionResult,
  QmsUpdateNonconformanceInput,
  SignedRecord,
  TestResult,
} from './types';

export type * from './types';

/** Shape of PlantflowConfig['qms'] that the adapter needs. */
export type QmsActivityDeps = RestClientDeps;

/** The QMS activities (task queue plantflow-qms). Plain async functions; each takes one JSON-safe object. */
export function createQmsActivities(deps: QmsActivityDeps) {
  const client = new RestJsonClient('qms', deps);
  return {
    qmsActivateInspectionPlan: (input: QmsActivateInspectionPlanInput): Promise<QmsActivateInspectionPlanResult> =>
      activateInspectionPlan(client, input),
    qmsDeactivateInspectionPlan: (
      input: QmsDeactivateInspectionPlanInput,
    ): Promise<QmsDeactivateInspectionPlanResult> => deactivateInspectionPlan(client, input),
    qmsGetInspectionPlan: (input: { material: string }): Promise<InspectionPlan | null> =>
      getInspectionPlan(client, input),
    qmsRecordInspectionResult: (input: QmsRecordInspectionResultInput): Promise<TestResult> =>
      recordInspectionResult(client, input),
    qmsListInspectionResults: (input: { lotId: string; material?: string }): Promise<TestResult[]> =>
      listInspectionResults(client, input),
    qmsOpenNonconformance: (input: QmsOpenNonconformanceInput): Promise<QmsOpenNonconformanceResult> =>
      openNonconformance(client, input),
    qmsUpdateNonconformance: (input: QmsUpdateNonconformanceInput): Promise<Nonconformance> =>
      updateNonconformance(client, input),
    qmsAddNonconformanceDisposition: (input: QmsAddNonconformanceDispositionInput): Promise<Nonconformance> =>
      addNonconformanceDisposition(client, input),
    qmsCloseNonconformance: (input: QmsCloseNonconformanceInput): Promise<Nonconformance> =>
      closeNonconformance(client, input),
    qmsCountNonconformances: (input: QmsCountNonconformancesInput): Promise<QmsCountNonconformancesResult> =>
      countNonconformances(client, input),
    qmsOpenCapa: (input: QmsOpenCapaInput): Promise<QmsOpenCapaResult> => openCapa(client, input),
    qmsRecordSignedDisposition: (input: QmsRecordSignedDispositionInput): Promise<QmsRecordSignedDispositionResult> =>
      recordSignedDisposition(client, input),
    qmsListSignedRecords: (input: { subject: string }): Promise<SignedRecord[]> => listSignedRecords(client, input),
  };
}

export type QmsActivities = ReturnType<typeof createQmsActivities>;
