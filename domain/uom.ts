import { z } from 'zod';

/**
 * Units of measure: canonical codes are UN/CEFACT Recommendation 20; the Odoo and SAP columns are the
 * units as each ERP spells them. One table, so no unit string is scattered through adapters.
 */
export interface UomMapping {
  /** UN/CEFACT Rec 20 code. */
  code: string;
  description: string;
  /** Odoo `uom.uom` name (demo data of a standard database). */
  odoo: string;
  /** SAP external (commercial) unit, as OData APIs return it. */
  sap: string;
  /** Decimal places a quantity in this unit may carry. */
  decimals: number;
}

export const UOM_TABLE: readonly UomMapping[] = [
  { code: 'EA', description: 'each', odoo: 'Units', sap: 'EA', decimals: 0 },
  { code: 'H87', description: 'piece', odoo: 'Units', sap: 'PC', decimals: 0 },
  { code: 'KGM', description: 'kilogram', odoo: 'kg', sap: 'KG', decimals: 3 },
  { code: 'GRM', description: 'gram', odoo: 'g', sap: 'G', decimals: 3 },
  { code: 'LTR', description: 'litre', odoo: 'L', sap: 'L', decimals: 3 },
  { code: 'MLT', description: 'millilitre', odoo: 'ml', sap: 'ML', decimals: 3 },
  { code: 'MTR', description: 'metre', odoo: 'm', sap: 'M', decimals: 3 },
];

const BY_CODE = new Map(UOM_TABLE.map((u) => [u.code, u]));

export const uomCodeSchema = z.string().refine((code) => BY_CODE.has(code), {
  message: `unknown unit of measure (known: ${UOM_TABLE.map((u) => u.code).join(', ')})`,
});

export function uom(code: string): UomMapping {
  const found = BY_CODE.get(code);
  if (!found) throw new Error(`unknown unit of measure "${code}"`);
  return found;
}

export function uomFromSap(sapUnit: string): UomMapping | undefined {
  return UOM_TABLE.find((u) => u.sap === sapUnit.toUpperCase());
}

export function uomFromOdoo(odooName: string): UomMapping | undefined {
  return UOM_TABLE.find((u) => u.odoo === odooName);
}
