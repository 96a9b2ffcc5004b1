import Decimal from 'decimal.js';
import { unpad, type PropDef } from './edm';

/**
 * OData V2 URI literals (§3.4): the forms that appear in key predicates, $filter and function-import
 * parameters. Parsed into a tagged value so comparisons can insist on the right literal for each Edm type,
 * the way Gateway does (a Guid property compared with a plain string is an error, not a silent miss).
 */
export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'guid'; value: string }
  | { kind: 'datetime'; value: number }
  | { kind: 'datetimeoffset'; value: number }
  | { kind: 'time'; value: string }
  | { kind: 'number'; value: string; suffix: '' | 'M' | 'L' | 'D' | 'F' }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' };

export class LiteralError extends Error {}

/** Reads one literal at `pos`; returns it and the index after it. */
export function readLiteral(text: string, pos: number): { literal: Literal; end: number } | undefined {
  const rest = text.slice(pos);
  const prefixed = /^(datetimeoffset|datetime|guid|time|X|binary)'/i.exec(rest);
  if (prefixed || rest.startsWith("'")) {
    const start = pos + (prefixed ? prefixed[1]!.length : 0) + 1;
    let i = start;
    let out = '';
    for (;;) {
      if (i >= text.length) throw new LiteralError(`unterminated literal at ${pos}`);
      const ch = text[i]!;
      if (ch === "'") {
        if (text[i + 1] === "'") {
          out += "'";
          i += 2;
          continue;
        }
        break;
      }
      out += ch;
      i += 1;
    }
    const end = i + 1;
    const kind = prefixed ? prefixed[1]!.toLowerCase() : 'string';
    return { literal: typed(kind, out), end };
  }
  const bare = /^(true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?[mMlLdDfF]?)(?![\w.])/.exec(rest);
  if (!bare) return undefined;
  const token = bare[1]!;
  const end = pos + token.length;
  if (token === 'true' || token === 'false') return { literal: { kind: 'boolean', value: token === 'true' }, end };
  if (token === 'null') return { literal: { kind: 'null' }, end };
  const suffix = /[mMlLdDfF]$/.test(token) ? (token.slice(-1).toUpperCase() as 'M' | 'L' | 'D' | 'F') : '';
  return { literal: { kind: 'number', value: suffix ? token.slice(0, -1) : token, suffix }, end };
}

function typed(kind: string, raw: string): Literal {
  switch (kind) {
    case 'string':
      return { kind: 'string', value: raw };
    case 'guid':
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(raw))
        throw new LiteralError(`invalid guid literal '${raw}'`);
      return { kind: 'guid', value: raw.toLowerCase() };
    case 'datetime': {
      // datetime'2017-12-31T00:00' (seconds optional, no offset: UTC)
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(raw))
        throw new LiteralError(`invalid datetime literal '${raw}'`);
      return { kind: 'datetime', value: Date.parse(`${raw}Z`) };
    }
    case 'datetimeoffset': {
      const ms = Date.parse(raw);
      if (Number.isNaN(ms)) throw new LiteralError(`invalid datetimeoffset literal '${raw}'`);
      return { kind: 'datetimeoffset', value: ms };
    }
    case 'time':
      if (!/^PT(\d{1,2}H)?(\d{1,2}M)?(\d{1,2}(\.\d+)?S)?$/.test(raw))
        throw new LiteralError(`invalid time literal '${raw}'`);
      return { kind: 'time', value: raw };
    default:
      throw new LiteralError(`unsupported literal type ${kind}`);
  }
}

/** A whole string that must be exactly one literal (function-import parameters, single keys). */
export function parseLiteral(text: string): Literal {
  const read = readLiteral(text, 0);
  if (!read || read.end !== text.length) throw new LiteralError(`invalid literal ${text}`);
  return read.literal;
}

/** Converts a literal into the row value of a property, or throws when the literal does not fit the type. */
export function literalFor(prop: PropDef, literal: Literal): unknown {
  const mismatch = (): never => {
    throw new LiteralError(`literal of kind ${literal.kind} does not match Edm.${prop.type} property ${prop.name}`);
  };
  if (literal.kind === 'null') return null;
  switch (prop.type) {
    case 'String':
      if (literal.kind !== 'string') mismatch();
      return prop.alpha ? unpad((literal as { value: string }).value) : (literal as { value: string }).value;
    case 'Guid':
      return literal.kind === 'guid' ? literal.value : mismatch();
    case 'DateTime':
      return literal.kind === 'datetime' ? literal.value : mismatch();
    case 'DateTimeOffset':
      return literal.kind === 'datetimeoffset' || literal.kind === 'datetime' ? literal.value : mismatch();
    case 'Time':
      return literal.kind === 'time' ? literal.value : mismatch();
    case 'Boolean':
      return literal.kind === 'boolean' ? literal.value : mismatch();
    case 'Decimal':
      return literal.kind === 'number' && literal.suffix !== 'L' ? new Decimal(literal.value).toFixed() : mismatch();
    default:
      return literal.kind === 'number' &&
        (literal.suffix === '' || literal.suffix === 'L') &&
        /^-?\d+$/.test(literal.value)
        ? Number(literal.value)
        : mismatch();
  }
}

/** Key predicate `('1000')` or `(A='x',B='y')` → raw literals by name (single unnamed key under ''). */
export function parseKeyPredicate(text: string): Map<string, Literal> {
  const out = new Map<string, Literal>();
  let pos = 0;
  for (;;) {
    const named = /^([A-Za-z_][\w]*)=/.exec(text.slice(pos));
    let name = '';
    if (named) {
      name = named[1]!;
      pos += named[0].length;
    }
    const read = readLiteral(text, pos);
    if (!read) throw new LiteralError(`invalid key predicate (${text})`);
    out.set(name, read.literal);
    pos = read.end;
    if (pos === text.length) return out;
    if (text[pos] !== ',') throw new LiteralError(`invalid key predicate (${text})`);
    pos += 1;
  }
}

/** URI form of a key value, as the simulator emits it in __metadata.uri. */
export function keyLiteral(prop: PropDef, value: unknown): string {
  if (prop.type === 'Guid') return `guid'${String(value)}'`;
  if (prop.type === 'String') {
    const text = prop.alpha ? unpad(String(value ?? '')) : String(value ?? '');
    return `'${encodeURIComponent(text.replace(/'/g, "''"))}'`;
  }
  return String(value);
}
