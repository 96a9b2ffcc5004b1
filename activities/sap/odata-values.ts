import Decimal from 'decimal.js';
import { z } from 'zod';
import { uom, uomFromSap } from '../../domain/uom';
import type { Quantity } from '../../domain/quantity';
import { invalidResponseFailure } from '../shared/failures';

/**
 * OData V2 value formats of SAP Gateway (§3.4): URI literals for keys, $filter and function-import
 * parameters; JSON payload forms (`/Date(ms)/`, `PT12H00M00S`, decimals as strings) and their parsers.
 */
export const literal = {
  /** `'…'` with quotes doubled; string keys are never padded here (SAP accepts both forms). */
  string: (value: string): string => `'${value.replace(/'/g, "''")}'`,
  guid: (value: string): string => `guid'${value.toLowerCase()}'`,
  /** `datetime'2024-05-31T00:00'` from an ISO date or timestamp (UTC, no offset). */
  datetime: (value: string): string => `datetime'${isoMinute(value)}'`,
  decimal: (value: string): string => `${new Decimal(value).toFixed()}M`,
  boolean: (value: boolean): string => (value ? 'true' : 'false'),
};

function isoMinute(value: string): string {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`not a date: ${value}`);
  return new Date(ms).toISOString().slice(0, 16);
}

/** `A_X('1')` or `A_X(K1='a',K2='b')` from already formatted literals. */
export function entityPath(set: string, keys: Record<string, string>): string {
  const entries = Object.entries(keys);
  const predicate = entries.length === 1 ? entries[0]![1] : entries.map(([k, v]) => `${k}=${v}`).join(',');
  return `${set}(${encodeURIComponent(predicate).replace(/%3D/g, '=').replace(/%2C/g, ',').replace(/%27/g, "'")})`;
}

/** JSON payload form of an Edm.DateTime: UTC midnight for a date, `/Date(ms)/`. */
export function toSapDate(value: string): string {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`not a date: ${value}`);
  return `/Date(${ms})/`;
}

const JSON_DATE = /^\/Date\((-?\d+)(?:([+-])(\d{2})(\d{2}))?\)\/$/;

/** `/Date(ms)/` and `/Date(ms+0000)/` (offset in minutes as hhmm) → epoch ms; anything else → undefined. */
export function parseSapDate(value: string): number | undefined {
  const m = JSON_DATE.exec(value);
  if (!m) return undefined;
  // The ticks are UTC; the optional offset only says which local time they were displayed in.
  return Number(m[1]);
}

/** Edm.Time `PT15H51M04S` → `15:51:04`. */
export function parseSapTime(value: string): string | undefined {
  const m = /^PT(?:(\d{1,2})H)?(?:(\d{1,2})M)?(?:(\d{1,2})(?:\.\d+)?S)?$/.exec(value);
  if (!m) return undefined;
  const p = (v: string | undefined) => String(Number(v ?? 0)).padStart(2, '0');
  return `${p(m[1])}:${p(m[2])}:${p(m[3])}`;
}

// ---- zod building blocks for response fields ----

export const sapDecimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'Edm.Decimal as a decimal string');
/** Edm.DateTime / DateTimeOffset → ISO string, or null. */
export const sapDateTime = z.union([z.string(), z.null()]).transform((v, ctx) => {
  if (v === null || v === '') return null;
  const ms = parseSapDate(v);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `not an OData V2 date: ${v}` });
    return z.NEVER;
  }
  return new Date(ms).toISOString();
});
/** Edm.DateTime used as a date → YYYY-MM-DD (UTC, never shifted to local time). */
export const sapDateOnly = sapDateTime.transform((v) => (v === null ? null : v.slice(0, 10)));
export const sapTime = z.string().transform((v, ctx) => {
  const t = parseSapTime(v);
  if (t === undefined) {
    ctx.addIssue({ code: 'custom', message: `not an Edm.Time: ${v}` });
    return z.NEVER;
  }
  return t;
});
/** Production-order status flags are Edm.String(1) 'X' / ''. */
export const sapFlag = z.enum(['X', '']).transform((v) => v === 'X');
/** Numeric-looking ALPHA keys: normalise to the unpadded form SAP emits. */
export const sapKey = z.string().min(1).transform(unpad);

export function unpad(value: string): string {
  return /^\d+$/.test(value) ? value.replace(/^0+(?=\d)/, '') : value;
}

/** A decimal and its SAP unit as a canonical Quantity (UN/CEFACT unit); unknown unit = contract break. */
export function quantityFromSap(value: string, sapUnit: string, what: string): Quantity {
  const mapped = uomFromSap(sapUnit);
  if (!mapped)
    throw invalidResponseFailure(`SAP returned unit "${sapUnit}" for ${what}, which has no mapping in domain/uom`, {
      system: 'sap',
      what,
    });
  return { value: new Decimal(value).toFixed(), uom: mapped.code };
}

/** The SAP unit and decimal string for a canonical quantity. */
export function quantityToSap(q: Quantity): { value: string; unit: string } {
  return { value: new Decimal(q.value).toFixed(uom(q.uom).decimals), unit: uom(q.uom).sap };
}
