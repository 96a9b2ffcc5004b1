import Decimal from 'decimal.js';
import { unpad, type PropDef, type Row } from './edm';
import { literalFor, LiteralError, readLiteral, type Literal } from './literals';

/**
 * $filter for OData V2: eq ne gt ge lt le, and or not, parentheses, and the string functions clients
 * commonly send (substringof, startswith, endswith, tolower, toupper). Literals must match the property's
 * Edm type, so a client that sends `guid` keys as plain strings gets the 400 a real Gateway gives.
 */
type Expr =
  | { kind: 'binary'; op: string; left: Expr; right: Expr }
  | { kind: 'not'; expr: Expr }
  | { kind: 'prop'; name: string }
  | { kind: 'literal'; literal: Literal }
  | { kind: 'call'; name: string; args: Expr[] };

export class FilterError extends Error {}

const COMPARISONS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const FUNCTIONS = new Set(['substringof', 'startswith', 'endswith', 'tolower', 'toupper']);

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parse(): Expr {
    const expr = this.parseOr();
    this.skip();
    if (this.pos < this.text.length) throw new FilterError(`unexpected '${this.text.slice(this.pos, this.pos + 12)}'`);
    return expr;
  }

  private skip(): void {
    while (this.text[this.pos] === ' ') this.pos += 1;
  }

  private keyword(word: string): boolean {
    this.skip();
    const re = new RegExp(`^${word}(?=[ (]|$)`);
    if (re.test(this.text.slice(this.pos))) {
      this.pos += word.length;
      return true;
    }
    return false;
  }

  private parseOr(): Expr {
    let left = this.parseAnd();
    while (this.keyword('or')) left = { kind: 'binary', op: 'or', left, right: this.parseAnd() };
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseUnary();
    while (this.keyword('and')) left = { kind: 'binary', op: 'and', left, right: this.parseUnary() };
    return left;
  }

  private parseUnary(): Expr {
    if (this.keyword('not')) return { kind: 'not', expr: this.parseUnary() };
    return this.parseComparison();
  }

  private parseComparison(): Expr {
    const left = this.parsePrimary();
    this.skip();
    const op = /^(eq|ne|gt|ge|lt|le)(?= )/.exec(this.text.slice(this.pos));
    if (!op) return left;
    this.pos += op[1]!.length;
    return { kind: 'binary', op: op[1]!, left, right: this.parsePrimary() };
  }

  private parsePrimary(): Expr {
    this.skip();
    if (this.text[this.pos] === '(') {
      this.pos += 1;
      const inner = this.parseOr();
      this.skip();
      if (this.text[this.pos] !== ')') throw new FilterError('missing )');
      this.pos += 1;
      return inner;
    }
    let read: ReturnType<typeof readLiteral>;
    try {
      read = readLiteral(this.text, this.pos);
    } catch (err) {
      throw new FilterError((err as Error).message);
    }
    if (read) {
      this.pos = read.end;
      return { kind: 'literal', literal: read.literal };
    }
    const ident = /^[A-Za-z_][\w]*/.exec(this.text.slice(this.pos));
    if (!ident) throw new FilterError(`unexpected '${this.text.slice(this.pos, this.pos + 12)}'`);
    this.pos += ident[0].length;
    if (this.text[this.pos] === '(') {
      if (!FUNCTIONS.has(ident[0])) throw new FilterError(`function ${ident[0]} is not supported`);
      this.pos += 1;
      const args: Expr[] = [];
      for (;;) {
        args.push(this.parseOr());
        this.skip();
        const ch = this.text[this.pos];
        this.pos += 1;
        if (ch === ')') break;
        if (ch !== ',') throw new FilterError('expected , or ) in function call');
      }
      return { kind: 'call', name: ident[0], args };
    }
    return { kind: 'prop', name: ident[0] };
  }
}

export type RowPredicate = (row: Row) => boolean;

/** Compiles a $filter against the properties of one entity type; unknown properties are an error. */
export function compileFilter(text: string, props: PropDef[]): RowPredicate {
  const expr = new Parser(text).parse();
  const byName = new Map(props.map((p) => [p.name, p]));
  const propOf = (name: string): PropDef => {
    const p = byName.get(name);
    if (!p) throw new FilterError(`Property ${name} not found`);
    return p;
  };
  // Validate eagerly so a bad filter fails even against an empty set.
  validate(expr, propOf);
  return (row) => truthy(evaluate(expr, row, propOf));
}

function validate(expr: Expr, propOf: (n: string) => PropDef): void {
  if (expr.kind === 'prop') propOf(expr.name);
  if (expr.kind === 'binary') {
    validate(expr.left, propOf);
    validate(expr.right, propOf);
    if (COMPARISONS.has(expr.op)) {
      const [p, l] =
        expr.left.kind === 'prop' && expr.right.kind === 'literal' ? [expr.left, expr.right] : [expr.right, expr.left];
      if (p.kind === 'prop' && l.kind === 'literal') {
        try {
          literalFor(propOf(p.name), l.literal);
        } catch (err) {
          throw new FilterError((err as LiteralError).message);
        }
      }
    }
  }
  if (expr.kind === 'not') validate(expr.expr, propOf);
  if (expr.kind === 'call') expr.args.forEach((a) => validate(a, propOf));
}

type Value = { prop?: PropDef; value: unknown } | { literal: Literal };

function truthy(v: unknown): boolean {
  return v === true;
}

function evaluate(expr: Expr, row: Row, propOf: (n: string) => PropDef): unknown {
  switch (expr.kind) {
    case 'binary': {
      if (expr.op === 'and')
        return truthy(evaluate(expr.left, row, propOf)) && truthy(evaluate(expr.right, row, propOf));
      if (expr.op === 'or')
        return truthy(evaluate(expr.left, row, propOf)) || truthy(evaluate(expr.right, row, propOf));
      return compare(expr.op, operand(expr.left, row, propOf), operand(expr.right, row, propOf));
    }
    case 'not':
      return !truthy(evaluate(expr.expr, row, propOf));
    case 'call': {
      const args = expr.args.map((a) => text(operand(a, row, propOf)));
      switch (expr.name) {
        case 'substringof':
          return args[1]!.includes(args[0]!);
        case 'startswith':
          return args[0]!.startsWith(args[1]!);
        case 'endswith':
          return args[0]!.endsWith(args[1]!);
        case 'tolower':
          return args[0]!.toLowerCase();
        default:
          return args[0]!.toUpperCase();
      }
    }
    case 'prop':
      return row[expr.name];
    case 'literal':
      return expr.literal.kind === 'null' ? null : (expr.literal as { value: unknown }).value;
  }
}

function operand(expr: Expr, row: Row, propOf: (n: string) => PropDef): Value {
  if (expr.kind === 'prop') return { prop: propOf(expr.name), value: row[expr.name] };
  if (expr.kind === 'literal') return { literal: expr.literal };
  return { value: evaluate(expr, row, propOf) };
}

function text(v: Value): string {
  if ('literal' in v) return v.literal.kind === 'null' ? '' : String((v.literal as { value: unknown }).value);
  const raw = v.value ?? '';
  return v.prop?.alpha ? unpad(String(raw)) : String(raw);
}

function compare(op: string, a: Value, b: Value): boolean {
  // Bring a literal to the type of the property on the other side.
  const [left, right] = resolvePair(a, b);
  let c: number;
  if (left === null || right === null || left === undefined || right === undefined) {
    c = left === right || (left == null && right == null) ? 0 : NaN;
  } else if (isDecimalPair(a, b)) {
    c = new Decimal(String(left)).comparedTo(String(right));
  } else if (typeof left === 'number' && typeof right === 'number') {
    c = left - right;
  } else if (typeof left === 'boolean' || typeof right === 'boolean') {
    c = left === right ? 0 : NaN;
  } else {
    const l = String(left);
    const r = String(right);
    c = l === r ? 0 : l < r ? -1 : 1;
  }
  switch (op) {
    case 'eq':
      return c === 0;
    case 'ne':
      return c !== 0;
    case 'gt':
      return c > 0;
    case 'ge':
      return c >= 0;
    case 'lt':
      return c < 0;
    default:
      return c <= 0;
  }
}

function isDecimalPair(a: Value, b: Value): boolean {
  const prop = ('prop' in a && a.prop) || ('prop' in b && b.prop);
  return !!prop && prop.type === 'Decimal';
}

function resolvePair(a: Value, b: Value): [unknown, unknown] {
  const side = (v: Value, other: Value): unknown => {
    if ('literal' in v) {
      const prop = 'prop' in other ? other.prop : undefined;
      if (prop) return literalFor(prop, v.literal);
      return v.literal.kind === 'null' ? null : (v.literal as { value: unknown }).value;
    }
    if (v.prop?.alpha && typeof v.value === 'string') return unpad(v.value);
    if (v.prop?.type === 'Guid' && typeof v.value === 'string') return v.value.toLowerCase();
    return v.value;
  };
  return [side(a, b), side(b, a)];
}
