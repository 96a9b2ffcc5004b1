import Decimal from 'decimal.js';
import { z } from 'zod';
import { uom, UOM_TABLE, uomCodeSchema } from './uom';

/**
 * Quantities travel as decimal strings with their unit, never as floats: 0.1 + 0.2 must equal 0.3 when
 * it decides whether a lot is over-produced or a posting is a duplicate.
 */
const DECIMAL = /^-?\d+(\.\d+)?$/;

export const decimalStringSchema = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .refine((v) => DECIMAL.test(v), { message: 'must be a decimal number' });

/**
 * The decimal a checked string holds, or undefined when it is no decimal. zod v4 runs an object's
 * refinements even when a field failed, so they read values through this and never throw on bad input.
 */
export function decimalOrUndefined(value: string): Decimal | undefined {
  return DECIMAL.test(value) ? new Decimal(value) : undefined;
}

export const quantitySchema = z.object({ value: decimalStringSchema, uom: uomCodeSchema }).superRefine((q, ctx) => {
  // An unknown unit is already reported by uomCodeSchema (zod v4 still runs this refinement).
  const unit = UOM_TABLE.find((u) => u.code === q.uom);
  if (!unit) return;
  const places = q.value.split('.')[1]?.length ?? 0;
  const allowed = unit.decimals;
  if (places > allowed && (decimalOrUndefined(q.value)?.decimalPlaces() ?? 0) > allowed) {
    ctx.addIssue({ code: 'custom', message: `${q.uom} allows ${allowed} decimal places`, path: ['value'] });
  }
});

export const positiveQuantitySchema = quantitySchema.refine((q) => decimalOrUndefined(q.value)?.gt(0) ?? true, {
  message: 'quantity must be greater than zero',
  path: ['value'],
});

export const nonNegativeQuantitySchema = quantitySchema.refine((q) => decimalOrUndefined(q.value)?.gte(0) ?? true, {
  message: 'quantity must not be negative',
  path: ['value'],
});

export interface Quantity {
  value: string;
  uom: string;
}

function sameUnit(a: Quantity, b: Quantity): void {
  if (a.uom !== b.uom) throw new Error(`cannot combine ${a.uom} with ${b.uom}`);
}

const normalise = (d: Decimal): string => d.toFixed();

export const qty = {
  of(value: string | number, unit: string): Quantity {
    return { value: normalise(new Decimal(value)), uom: unit };
  },
  zero(unit: string): Quantity {
    return { value: '0', uom: unit };
  },
  add(a: Quantity, b: Quantity): Quantity {
    sameUnit(a, b);
    return { value: normalise(new Decimal(a.value).plus(b.value)), uom: a.uom };
  },
  sub(a: Quantity, b: Quantity): Quantity {
    sameUnit(a, b);
    return { value: normalise(new Decimal(a.value).minus(b.value)), uom: a.uom };
  },
  sum(items: Quantity[], unit: string): Quantity {
    return items.reduce((acc, q) => qty.add(acc, q), qty.zero(unit));
  },
  cmp(a: Quantity, b: Quantity): number {
    sameUnit(a, b);
    return new Decimal(a.value).comparedTo(b.value);
  },
  gt: (a: Quantity, b: Quantity) => qty.cmp(a, b) > 0,
  gte: (a: Quantity, b: Quantity) => qty.cmp(a, b) >= 0,
  lt: (a: Quantity, b: Quantity) => qty.cmp(a, b) < 0,
  eq: (a: Quantity, b: Quantity) => qty.cmp(a, b) === 0,
  isZero: (a: Quantity) => new Decimal(a.value).isZero(),
  isNegative: (a: Quantity) => new Decimal(a.value).isNegative() && !new Decimal(a.value).isZero(),
  /** a × percent / 100, rounded to the unit's decimals (tolerances, yields). */
  percentOf(a: Quantity, percent: string | number): Quantity {
    const v = new Decimal(a.value)
      .times(percent)
      .dividedBy(100)
      .toDecimalPlaces(uom(a.uom).decimals, Decimal.ROUND_DOWN);
    return { value: normalise(v), uom: a.uom };
  },
  min(a: Quantity, b: Quantity): Quantity {
    return qty.lte(a, b) ? a : b;
  },
  lte: (a: Quantity, b: Quantity) => qty.cmp(a, b) <= 0,
  /** SAP OData V2 Edm.Decimal travels as a string. */
  toSap: (a: Quantity): string => new Decimal(a.value).toFixed(uom(a.uom).decimals),
  /** Odoo float fields take JSON numbers. */
  toOdoo: (a: Quantity): number => new Decimal(a.value).toNumber(),
  format: (a: Quantity): string => `${a.value} ${a.uom}`,
};
