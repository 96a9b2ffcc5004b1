import Decimal from 'decimal.js';

/**
 * Edm primitive types as SAP Gateway (OData V2) renders them in JSON payloads and URIs. The simulator keeps
 * rows as plain JS values and converts at the wire: decimals as canonical strings, dates as epoch ms.
 */
export type EdmType =
  'String' | 'Decimal' | 'Boolean' | 'DateTime' | 'DateTimeOffset' | 'Time' | 'Guid' | 'Int32' | 'Int16' | 'Byte';

export interface PropDef {
  name: string;
  type: EdmType;
  maxLength?: number;
  precision?: number;
  scale?: number;
  /** Numeric-looking ALPHA/NUMC field: accepted padded or unpadded, emitted without leading zeros. */
  alpha?: boolean;
  /** Property of the same row holding the SAP unit that decides how many decimals are rendered. */
  unit?: string;
  nullable?: boolean;
  label?: string;
}

export type Row = Record<string, unknown>;

export const str = (name: string, maxLength: number, extra: Partial<PropDef> = {}): PropDef => ({
  name,
  type: 'String',
  maxLength,
  ...extra,
});
export const alpha = (name: string, maxLength: number): PropDef => ({ name, type: 'String', maxLength, alpha: true });
export const dec = (name: string, precision: number, scale: number, unit?: string): PropDef => ({
  name,
  type: 'Decimal',
  precision,
  scale,
  unit,
});
export const bool = (name: string): PropDef => ({ name, type: 'Boolean' });
export const date = (name: string): PropDef => ({ name, type: 'DateTime', nullable: true });
export const dto = (name: string): PropDef => ({ name, type: 'DateTimeOffset', nullable: true });
export const time = (name: string): PropDef => ({ name, type: 'Time' });
export const guid = (name: string): PropDef => ({ name, type: 'Guid' });
export const int = (name: string, type: 'Int32' | 'Int16' | 'Byte' = 'Int32'): PropDef => ({ name, type });

/** ALPHA conversion output: '0001000000' → '1000000'; non-numeric values are left alone. */
export function unpad(value: string): string {
  return /^\d+$/.test(value) ? value.replace(/^0+(?=\d)/, '') : value;
}

/** Decimals per SAP unit, so "10" (EA) and "2.500" (KG) render like a real system. */
const UNIT_DECIMALS: Record<string, number> = { EA: 0, PC: 0, KG: 3, G: 3, L: 3, ML: 3, M: 3, MIN: 3, H: 3 };

export function renderDecimal(value: unknown, prop: PropDef, row: Row): string {
  const unit = prop.unit ? String(row[prop.unit] ?? '') : '';
  const scale = unit && UNIT_DECIMALS[unit] !== undefined ? UNIT_DECIMALS[unit] : (prop.scale ?? 3);
  return new Decimal(String(value ?? '0')).toFixed(scale);
}

/** One property value in JSON payload form (§3.4). */
export function toJson(prop: PropDef, row: Row): unknown {
  const value = row[prop.name];
  switch (prop.type) {
    case 'String':
      return value === undefined || value === null ? '' : prop.alpha ? unpad(String(value)) : String(value);
    case 'Decimal':
      return renderDecimal(value, prop, row);
    case 'Boolean':
      return value === true;
    case 'DateTime':
      return typeof value === 'number' ? `/Date(${value})/` : null;
    case 'DateTimeOffset':
      return typeof value === 'number' ? `/Date(${value}+0000)/` : null;
    case 'Time':
      return typeof value === 'string' && value ? value : 'PT00H00M00S';
    case 'Guid':
      return typeof value === 'string' && value ? value : '00000000-0000-0000-0000-000000000000';
    default:
      return typeof value === 'number' ? value : 0;
  }
}

export class EdmValueError extends Error {}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const JSON_DATE = /^\/Date\((-?\d+)(?:([+-])(\d{4}))?\)\/$/;
const EDM_TIME = /^PT(?:(\d{1,2})H)?(?:(\d{1,2})M)?(?:(\d{1,2})(?:\.\d+)?S)?$/;

/** A payload value from a client, validated against its Edm type (Gateway rejects JSON numbers for decimals). */
export function fromJson(prop: PropDef, value: unknown): unknown {
  const fail = (why: string): never => {
    throw new EdmValueError(`Property '${prop.name}' has invalid value: ${why}`);
  };
  if (value === null) {
    if (prop.nullable) return null;
    fail('null is not allowed');
  }
  switch (prop.type) {
    case 'String': {
      if (typeof value !== 'string') fail('expected a string');
      const text = value as string;
      if (prop.maxLength !== undefined && text.length > prop.maxLength)
        fail(`longer than ${prop.maxLength} characters`);
      return prop.alpha ? unpad(text) : text;
    }
    case 'Decimal':
      if (typeof value !== 'string' || !/^-?\d+(\.\d+)?$/.test(value.trim()))
        fail('Edm.Decimal must be a decimal string');
      return new Decimal((value as string).trim()).toFixed();
    case 'Boolean':
      if (typeof value !== 'boolean') fail('expected true or false');
      return value;
    case 'DateTime':
    case 'DateTimeOffset':
      return parseJsonDate(value) ?? fail('expected /Date(ms)/');
    case 'Time':
      if (typeof value !== 'string' || !EDM_TIME.test(value)) fail('expected PThhHmmMssS');
      return value;
    case 'Guid':
      if (typeof value !== 'string' || !GUID.test(value)) fail('expected a GUID');
      return (value as string).toLowerCase();
    default:
      if (typeof value !== 'number' || !Number.isInteger(value)) fail('expected an integer');
      return value;
  }
}

export function parseJsonDate(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = JSON_DATE.exec(value);
  if (m) return Number(m[1]);
  // Gateway also accepts ISO timestamps in V2 JSON payloads.
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z?$/.test(value)
    ? Date.parse(value.endsWith('Z') ? value : `${value}Z`)
    : NaN;
  return Number.isNaN(iso) ? undefined : iso;
}

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

export function edmTime(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `PT${pad(d.getUTCHours())}H${pad(d.getUTCMinutes())}M${pad(d.getUTCSeconds())}S`;
}

/** Edm.DateTime "date" fields are UTC midnight. */
export function utcMidnight(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}
