import type { LotStatus } from './lot';
import type { ExceptionAction, ExceptionReport } from './exceptions';

/**
 * A lot's disposition against where Odoo keeps its stock: a restricted lot belongs in Quarantine (stock
 * outside it can be reserved and shipped), a released one must not be left there. A released lot elsewhere
 * than WH/Stock is normal (consumed, moved on); a rejected one follows the scrap flow and is not compared.
 */

/** Where Odoo holds a lot's stock, as the reconciliation read sees it. */
export interface OdooLotReading {
  material: string;
  lot: string;
  /** quarantine / stock: the named location; elsewhere: another single location; split: several; none: no stock. */
  place: 'quarantine' | 'stock' | 'elsewhere' | 'split' | 'none' | 'missing';
  /** complete_name of the single location, when there is one. */
  location: string | null;
  /** The newest done move line of the lot: a second move by hand is a new drift, the same one seen again is not. */
  lastMoveLine: number | null;
}

export type OdooLotPlace = 'quarantine' | 'stock';

/** The place the lot's disposition puts its Odoo stock, when plantflow compares it. */
export function expectedOdooPlace(status: LotStatus): OdooLotPlace | undefined {
  if (status === 'restricted' || status === 'on_hold') return 'quarantine';
  if (status === 'released') return 'stock';
  return undefined;
}

export interface OdooLotDriftInput {
  material: string;
  lotId: string;
  status: LotStatus;
}

/** The drift report of one lot, or undefined when Odoo holds it where its disposition says (or cannot be told). */
export function odooLotDrift(
  base: Pick<ExceptionReport, 'kind' | 'site' | 'at'>,
  lot: OdooLotDriftInput,
  reading: OdooLotReading | undefined,
  actions: { repairable: ExceptionAction[]; unrepairable: ExceptionAction[] },
): { report: ExceptionReport; repair?: { to: OdooLotPlace } } | undefined {
  const want = expectedOdooPlace(lot.status);
  if (!want || !reading || reading.place === 'none' || reading.place === 'missing') return undefined;
  const wrong = want === 'quarantine' ? reading.place !== 'quarantine' : reading.place === 'quarantine';
  if (!wrong) return undefined;
  // Odoo relocates a lot only from a single location: a split one is for a person to gather.
  const repairable = reading.place !== 'split';
  const where = reading.location ?? 'several locations';
  const wantName = want === 'quarantine' ? 'Quarantine' : 'WH/Stock';
  return {
    report: {
      ...base,
      key: `odoo-lot-location:${lot.material}:${lot.lotId}:${reading.lastMoveLine ?? 'none'}`,
      subject: { material: lot.material, lotId: lot.lotId, system: 'odoo' },
      summary: `Odoo holds ${lot.material} lot ${lot.lotId} in ${where}; the lot is ${lot.status}`,
      reason: {
        code: 'OdooLotLocation',
        message: `plantflow has lot ${lot.lotId} ${lot.status}: its Odoo stock belongs in ${wantName}`,
      },
      expected: { value: { status: lot.status, location: wantName } },
      actual: { place: reading.place, location: reading.location, lastMoveLine: reading.lastMoveLine },
      actions: repairable ? actions.repairable : actions.unrepairable,
    },
    ...(repairable ? { repair: { to: want } } : {}),
  };
}
