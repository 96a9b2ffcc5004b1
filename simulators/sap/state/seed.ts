import { uom } from '../../../domain/uom';
import { DEMO_COMPONENT_LOTS, DEMO_INSPECTION_PLANS, DEMO_MATERIALS, DEMO_SITE } from '../../shared/demo-plant';
import type { SapState } from './types';

/** Organisational data of the demo plant as SAP knows it. */
export const PLANT = DEMO_SITE;
export const COMPANY_CODE = '1710';
/** Finished goods are received into 171A, components staged in 171B (QI/blocked are stock types, not locations). */
export const SLOC_FINISHED = '171A';
export const SLOC_COMPONENTS = '171B';
export const ORDER_TYPE = 'YN01';

/**
 * Customizing of plant 1710 the simulator enforces: order types, cost centers, and the usage-decision code
 * set (SAP's standard selected set 01 / code group 01: A accepted, R rejected; catalog 3).
 */
export const PLANT_CUSTOMIZING = {
  orderTypes: [ORDER_TYPE],
  /** No default account assignment (OKB9) for scrapping: every 551/553/555 names one of these. */
  costCenters: ['17101101', '17101201', '17101301'],
  usageDecision: { selectedSet: '01', codeGroup: '01', codes: { A: 'A', R: 'R' } as Record<string, string> },
};

/** The SAP unit for a demo (UN/CEFACT) unit code. */
export const sapUnit = (code: string): string => uom(code).sap;

export function seedState(now = Date.now()): SapState {
  const state: SapState = {
    counters: {
      order: 1000000,
      reservation: 100,
      billOfOperations: 1000,
      confirmationGroup: 200,
      materialDocument: 4900000000,
      inspectionLot: 40000000000,
      notification: 200000000,
      defect: 1000,
      lastStamp: now - 1000,
    },
    materials: DEMO_MATERIALS.map((m) => ({
      Material: m.code,
      BaseUnit: sapUnit(m.uom),
      batchManaged: m.lotTracked,
      inspectionManaged: DEMO_INSPECTION_PLANS[m.code] !== undefined,
      kind: m.kind,
    })),
    stock: [],
    batches: [],
    orders: [],
    confirmations: [],
    materialDocuments: [],
    failedGoodsMovements: [],
    inspectionLots: [],
    notifications: [],
    defects: [],
  };
  for (const lot of DEMO_COMPONENT_LOTS) {
    state.batches.push({
      Material: lot.material,
      BatchIdentifyingPlant: '',
      Batch: lot.lot,
      BatchIsMarkedForDeletion: false,
      MatlBatchIsInRstrcdUseStock: false,
      ShelfLifeExpirationDate: null,
      ManufactureDate: null,
      CreationDateTime: now - 86_400_000,
      LastChangeDateTime: now - 86_400_000,
    });
    state.stock.push({
      Material: lot.material,
      Plant: PLANT,
      StorageLocation: SLOC_COMPONENTS,
      Batch: lot.lot,
      unrestricted: lot.quantity,
      qualityInspection: '0',
      blocked: '0',
    });
  }
  return state;
}

/** A strictly increasing change timestamp (second resolution, like LastChangeDateTime). */
export function nextStamp(state: SapState): number {
  const ms = Math.floor(Math.max(Date.now(), state.counters.lastStamp + 1000) / 1000) * 1000;
  state.counters.lastStamp = ms;
  return ms;
}

/** `20200723125718` — the Edm.String(14) form of LastChangeDateTime on production orders. */
export function stampString(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}
