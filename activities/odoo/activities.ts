import { postChatterNote } from './chatter';
import { OdooClient, type OdooConnection } from './client';
import {
  readLotLocations,
  readProductions,
  type OdooReadLotLocationsInput,
  type OdooReadProductionsInput,
} from './reconciliation';
import { checkOdooConnection } from './connection-check';
import { findOrCreateLot, moveLotToQuarantine, releaseLotFromQuarantine } from './lots';
import {
  cancelManufacturingOrder,
  confirmManufacturingOrder,
  markDone,
  readManufacturingOrder,
} from './manufacturing-order';
import { readOpenProduction } from './open-production';
import { recordConsumption, recordProduction } from './postings';
import {
  recordConsumptions,
  type OdooRecordConsumptionsInput,
  type OdooRecordConsumptionsResult,
} from './consumption-batch';
import { createQualityAlert, recordQualityCheck, setQualityAlertStage } from './quality';
import { scrap, scrapLot } from './scrap';
import type {
  OdooCancelResult,
  OdooChatterResult,
  OdooConnectionCheck,
  OdooConsumptionResult,
  OdooCreateQualityAlertInput,
  OdooFinishWorkorderInput,
  OdooLotInput,
  OdooLotLocationResult,
  OdooLotResult,
  OdooManufacturingOrder,
  OdooMarkDoneInput,
  OdooMarkDoneResult,
  OdooMoRef,
  OdooOpenProduction,
  OdooPostChatterNoteInput,
  OdooProductionResult,
  OdooQualityAlertResult,
  OdooQualityAlertStageResult,
  OdooQualityCheckInput,
  OdooQualityCheckResult,
  OdooRecordConsumptionInput,
  OdooRecordProductionInput,
  OdooScrapInput,
  OdooScrapLotInput,
  OdooScrapResult,
  OdooSetQualityAlertStageInput,
  OdooStateChange,
  OdooWorkorderInput,
  OdooWorkorderResult,
} from './types';
import { finishWorkorder, startWorkorder } from './workorders';
import { createReworkOrder, type OdooCreateReworkOrderInput, type OdooCreateReworkOrderResult } from './rework';

export type * from './types';
export type { OdooConnection } from './client';
export type { OdooRecordConsumptionsInput, OdooRecordConsumptionsResult } from './consumption-batch';

/** Deps = PlantflowConfig['odoo'] (url, version, database, login, apiKey, companyId, timeoutMs). */
export type OdooActivityDeps = OdooConnection;

/**
 * The Odoo activities (task queue plantflow-odoo): plain async functions, one JSON-safe object in,
 * JSON-safe data out; 17/18 over JSON-RPC, 19 over JSON-2, chosen by `version`.
 */
export function createOdooActivities(deps: OdooActivityDeps) {
  const client = OdooClient.fromConnection(deps);
  return {
    odooCheckConnection: (_input: Record<string, never> = {}): Promise<OdooConnectionCheck> =>
      checkOdooConnection(deps),
    odooReadManufacturingOrder: (input: OdooMoRef): Promise<OdooManufacturingOrder> =>
      readManufacturingOrder(client, input),
    odooOpenProduction: (input: OdooMoRef): Promise<OdooOpenProduction> => readOpenProduction(client, input),
    odooConfirmManufacturingOrder: (input: OdooMoRef): Promise<OdooStateChange> =>
      confirmManufacturingOrder(client, input),
    odooCancelManufacturingOrder: (input: OdooMoRef): Promise<OdooCancelResult> =>
      cancelManufacturingOrder(client, input),
    odooStartWorkorder: (input: OdooWorkorderInput): Promise<OdooWorkorderResult> => startWorkorder(client, input),
    odooFinishWorkorder: (input: OdooFinishWorkorderInput): Promise<OdooWorkorderResult> =>
      finishWorkorder(client, input),
    odooRecordProduction: (input: OdooRecordProductionInput): Promise<OdooProductionResult> =>
      recordProduction(client, input),
    odooRecordConsumption: (input: OdooRecordConsumptionInput): Promise<OdooConsumptionResult> =>
      recordConsumption(client, input),
    /** Several consumptions of one MO, each line exactly once, in one call. */
    odooRecordConsumptions: (input: OdooRecordConsumptionsInput): Promise<OdooRecordConsumptionsResult> =>
      recordConsumptions(client, input),
    odooScrap: (input: OdooScrapInput): Promise<OdooScrapResult> => scrap(client, input),
    odooMarkDone: (input: OdooMarkDoneInput): Promise<OdooMarkDoneResult> => markDone(client, input),
    odooFindOrCreateLot: (input: OdooLotInput): Promise<OdooLotResult> => findOrCreateLot(client, input),
    odooMoveLotToQuarantine: (input: OdooLotInput): Promise<OdooLotLocationResult> =>
      moveLotToQuarantine(client, input),
    odooReleaseLotFromQuarantine: (input: OdooLotInput): Promise<OdooLotLocationResult> =>
      releaseLotFromQuarantine(client, input),
    odooScrapLot: (input: OdooScrapLotInput): Promise<OdooScrapResult> => scrapLot(client, input),
    odooRecordQualityCheck: (input: OdooQualityCheckInput): Promise<OdooQualityCheckResult> =>
      recordQualityCheck(client, input),
    odooCreateQualityAlert: (input: OdooCreateQualityAlertInput): Promise<OdooQualityAlertResult> =>
      createQualityAlert(client, input),
    odooSetQualityAlertStage: (input: OdooSetQualityAlertStageInput): Promise<OdooQualityAlertStageResult> =>
      setQualityAlertStage(client, input),
    odooPostChatterNote: (input: OdooPostChatterNoteInput): Promise<OdooChatterResult> =>
      postChatterNote(client, input),
    odooCreateReworkOrder: (input: OdooCreateReworkOrderInput): Promise<OdooCreateReworkOrderResult> =>
      createReworkOrder(client, input),
    /** Reconciliation: the state of many MOs in one search_read. */
    odooReadProductions: (input: OdooReadProductionsInput) => readProductions(client, input),
    /** Reconciliation: where Odoo holds many lots' stock (Quarantine, WH/Stock, elsewhere). */
    odooReadLotLocations: (input: OdooReadLotLocationsInput) => readLotLocations(client, input),
  };
}
