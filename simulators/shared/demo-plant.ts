/**
 * Seeded master data for the demo plant, shared by every simulator so that Odoo, SAP, the QMS and the
 * MES describe the same plant. Material codes are the canonical ones (Odoo `default_code` = SAP
 * `Material`); units are UN/CEFACT codes (see domain/uom.ts).
 */
export const DEMO_SITE = '1710';

export interface DemoMaterial {
  code: string;
  name: string;
  uom: string;
  /** Batch/lot managed in both ERPs. */
  lotTracked: boolean;
  kind: 'finished' | 'component';
}

export const DEMO_MATERIALS: DemoMaterial[] = [
  { code: 'FG-100', name: 'Centrifugal pump assembly', uom: 'EA', lotTracked: true, kind: 'finished' },
  { code: 'FG-200', name: 'Pump seal cartridge', uom: 'EA', lotTracked: true, kind: 'finished' },
  { code: 'RM-300', name: 'Pump housing, cast', uom: 'EA', lotTracked: true, kind: 'component' },
  { code: 'RM-310', name: 'Impeller, stainless', uom: 'EA', lotTracked: true, kind: 'component' },
  { code: 'RM-320', name: 'Mechanical seal kit', uom: 'EA', lotTracked: true, kind: 'component' },
  { code: 'RM-400', name: 'Epoxy coating resin', uom: 'KGM', lotTracked: true, kind: 'component' },
];

export interface DemoBomLine {
  component: string;
  /** Quantity per one unit of the finished material. */
  perUnit: string;
  uom: string;
  /** Operation that consumes it. */
  operation: string;
}

export interface DemoOperation {
  /** SAP ManufacturingOrderOperation; the MES reports against it. */
  operation: string;
  description: string;
  workCenter: string;
}

export interface DemoBom {
  material: string;
  lines: DemoBomLine[];
  routing: DemoOperation[];
}

export const DEMO_BOMS: DemoBom[] = [
  {
    material: 'FG-100',
    lines: [
      { component: 'RM-300', perUnit: '1', uom: 'EA', operation: '0010' },
      { component: 'RM-310', perUnit: '1', uom: 'EA', operation: '0010' },
      { component: 'RM-400', perUnit: '0.25', uom: 'KGM', operation: '0020' },
    ],
    routing: [
      { operation: '0010', description: 'Assemble housing and impeller', workCenter: 'ASSY1' },
      { operation: '0020', description: 'Coat and pressure test', workCenter: 'TEST1' },
    ],
  },
  {
    material: 'FG-200',
    lines: [{ component: 'RM-320', perUnit: '1', uom: 'EA', operation: '0010' }],
    routing: [{ operation: '0010', description: 'Assemble seal cartridge', workCenter: 'ASSY1' }],
  },
];

export const DEMO_WORK_CENTERS = [
  { code: 'ASSY1', name: 'Assembly line 1' },
  { code: 'TEST1', name: 'Coating and test bay' },
];

export interface DemoLot {
  material: string;
  lot: string;
  quantity: string;
  uom: string;
}

/** Component lots in unrestricted stock at the start of every test. */
export const DEMO_COMPONENT_LOTS: DemoLot[] = [
  { material: 'RM-300', lot: 'H-1001', quantity: '500', uom: 'EA' },
  { material: 'RM-300', lot: 'H-1002', quantity: '500', uom: 'EA' },
  // Consumed only by the S5 direct-containment scenario, so no other scenario's lot descends from it.
  { material: 'RM-300', lot: 'H-1003', quantity: '500', uom: 'EA' },
  { material: 'RM-310', lot: 'I-2001', quantity: '500', uom: 'EA' },
  { material: 'RM-310', lot: 'I-2002', quantity: '500', uom: 'EA' },
  { material: 'RM-320', lot: 'S-3001', quantity: '1000', uom: 'EA' },
  { material: 'RM-400', lot: 'R-4001', quantity: '200', uom: 'KGM' },
  // H-1003's twin for the S5 direct-containment run on the other Odoo version (the dev server keeps every run).
  { material: 'RM-300', lot: 'H-1004', quantity: '500', uom: 'EA' },
  // A small heat consumed whole by the S16 scenario (containment of a lot with nothing left on hand).
  { material: 'RM-300', lot: 'H-1005', quantity: '50', uom: 'EA' },
];

export interface DemoCharacteristic {
  code: string;
  description: string;
  /** Numeric limits, or undefined for a pass/fail attribute. */
  lower?: string;
  upper?: string;
  unit?: string;
  required: boolean;
  /** Checked on every manufacturing order (Odoo quality_mrp point "all"): its check blocks the MO's mark-done. */
  everyOrder?: boolean;
}

/** Inspection plans per finished material (the QMS owns them; SAP mirrors them on the inspection lot). */
export const DEMO_INSPECTION_PLANS: Record<string, { plan: string; characteristics: DemoCharacteristic[] }> = {
  'FG-100': {
    plan: 'IP-FG-100',
    characteristics: [
      {
        code: 'PRESSURE',
        description: 'Hydrostatic pressure test',
        lower: '16',
        upper: '25',
        unit: 'bar',
        required: true,
      },
      { code: 'VISUAL', description: 'Visual inspection of coating', required: true },
      { code: 'NOISE', description: 'Running noise level', upper: '70', unit: 'dB', required: false },
    ],
  },
  'FG-200': {
    plan: 'IP-FG-200',
    characteristics: [{ code: 'LEAK', description: 'Seal leak test', required: true, everyOrder: true }],
  },
};

/** People in the demo quality team and on the shop floor (user ids shared by QMS, MES and the API). */
export const DEMO_PEOPLE = [
  { userId: 'qa.anna', name: 'Anna Berger', roles: ['qa'] },
  { userId: 'qp.marc', name: 'Marc Dubois', roles: ['qp', 'qa'] },
  { userId: 'qa.lee', name: 'Lee Chen', roles: ['qa'] },
  { userId: 'op.sam', name: 'Sam Okafor', roles: ['mes'] },
  { userId: 'plan.eva', name: 'Eva Novak', roles: ['planner'] },
];
