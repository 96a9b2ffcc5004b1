/**
 * Organisational mapping of plantflow sites to S/4HANA: plant and storage locations, and the default defect
 * code group. One small table; a real installation edits it (or passes explicit values in the inputs). The
 * plant's customizing (usage-decision codes, order type, cost center…) is configuration: contracts/sap-customizing.ts.
 */
export interface SapPlantSetup {
  plant: string;
  /** Storage location finished goods are received into (101) and inspected from. */
  finishedGoodsStorageLocation: string;
  /** Storage location components are staged in and issued from (261). */
  componentStorageLocation: string;
}

export const SAP_PLANTS: Record<string, SapPlantSetup> = {
  '1710': { plant: '1710', finishedGoodsStorageLocation: '171A', componentStorageLocation: '171B' },
};

/** The SAP plant setup for a plantflow site code or an SAP plant (identical for the demo plant). */
export function sapPlant(siteOrPlant: string): SapPlantSetup {
  return (
    SAP_PLANTS[siteOrPlant] ?? {
      plant: siteOrPlant,
      finishedGoodsStorageLocation: '171A',
      componentStorageLocation: '171B',
    }
  );
}

/** Default storage location of a movement: receipts of the order's product and QM postings use FG. */
export function defaultStorageLocation(plant: string, movementType: string): string {
  const setup = sapPlant(plant);
  return movementType === '261' || movementType === '262'
    ? setup.componentStorageLocation
    : setup.finishedGoodsStorageLocation;
}

/** Code group for defect codes sent without one (`CODE` instead of `GROUP/CODE`). */
export const DEFAULT_DEFECT_CODE_GROUP = 'PF-DEF';
