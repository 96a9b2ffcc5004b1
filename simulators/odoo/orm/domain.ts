import { valueError } from '../errors';
import type { Env } from './env';
import type { Json, Rec } from './types';

/**
 * Odoo domains: Polish-notation lists of `[field, operator, value]` leaves joined by '&', '|', '!'
 * (implicit '&' between consecutive terms). Dotted paths follow many2one/x2many fields.
 */
type Leaf = [string, string, unknown];
type Term = Leaf | '&' | '|' | '!';

const ARITY: Record<string, number> = { '!': 1, '&': 2, '|': 2 };
const OPERATORS = new Set([
  '=',
  '!=',
  '<>',
  'in',
  'not in',
  'like',
  'ilike',
  'not like',
  'not ilike',
  '=like',
  '=ilike',
  '<',
  '>',
  '<=',
  '>=',
  'child_of',
  'parent_of',
  '=?',
]);

function normalize(domain: unknown[]): Term[] {
  const result: Term[] = [];
  let expected = 1;
  for (const token of domain) {
    if (expected === 0) {
      result.unshift('&');
      expected = 1;
    }
    if (Array.isArray(token)) {
      if (token.length !== 3 || typeof token[0] !== 'string' || typeof token[1] !== 'string') {
        throw valueError(`Invalid leaf ${JSON.stringify(token)}`);
      }
      if (!OPERATORS.has(token[1].toLowerCase()))
        throw valueError(`Invalid operator ${JSON.stringify(token[1])} in domain term`);
      expected -= 1;
      result.push([token[0], token[1].toLowerCase(), token[2]]);
    } else if (token === '&' || token === '|' || token === '!') {
      expected += ARITY[token]! - 1;
      result.push(token);
    } else {
      throw valueError(`Invalid domain term ${JSON.stringify(token)}`);
    }
  }
  return result;
}

export function matchesDomain(env: Env, model: string, rec: Rec, domain: unknown[]): boolean {
  if (!Array.isArray(domain)) throw valueError('Domain must be a list');
  if (domain.length === 0) return true;
  const terms = normalize(domain);
  let pos = 0;
  const evalNext = (): boolean => {
    const term = terms[pos++];
    if (term === undefined) throw valueError(`Invalid domain ${JSON.stringify(domain)}`);
    if (term === '!') return !evalNext();
    if (term === '&') {
      const a = evalNext();
      const b = evalNext();
      return a && b;
    }
    if (term === '|') {
      const a = evalNext();
      const b = evalNext();
      return a || b;
    }
    return matchLeaf(env, model, rec, term);
  };
  return evalNext();
}

/** Values reached by a dotted path; x2many steps fan out (Odoo's "any" semantics). */
function valuesAt(
  env: Env,
  model: string,
  rec: Rec,
  path: string[],
): { values: Json[]; relation?: string; x2many: boolean } {
  const [head, ...rest] = path;
  const def = env.fieldDef(model, head!);
  if (!def && head !== 'id' && head !== 'display_name') throw valueError(`Invalid field ${model}.${head} in leaf`);
  const value = env.value(model, rec, head!);
  if (rest.length === 0) {
    return { values: [value], relation: def?.relation, x2many: def?.type === 'one2many' || def?.type === 'many2many' };
  }
  if (!def?.relation) throw valueError(`Invalid path ${path.join('.')} on ${model}`);
  const ids = Array.isArray(value) ? (value as number[]) : value ? [value as number] : [];
  const out: Json[] = [];
  let relation: string | undefined;
  let x2many = false;
  for (const id of ids) {
    const sub = env.maybe(def.relation, id);
    if (!sub) continue;
    const r = valuesAt(env, def.relation, sub, rest);
    out.push(...r.values);
    relation = r.relation;
    x2many = r.x2many;
  }
  if (ids.length === 0) out.push(false);
  return { values: out, relation, x2many };
}

function likeToRegex(pattern: string, wrap: boolean, insensitive: boolean): RegExp {
  const escaped = pattern
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%/g, '.*')
    .replace(/_/g, '.');
  return new RegExp(wrap ? escaped : `^${escaped}$`, insensitive ? 'is' : 's');
}

function matchLeaf(env: Env, model: string, rec: Rec, [path, op, expected]: Leaf): boolean {
  const { values, relation, x2many } = valuesAt(env, model, rec, path.split('.'));
  const negative = op === '!=' || op === '<>' || op === 'not in' || op === 'not like' || op === 'not ilike';
  if (negative) {
    const positive = { '!=': '=', '<>': '=', 'not in': 'in', 'not like': 'like', 'not ilike': 'ilike' }[op]!;
    return !values.some((v) => matchOne(env, relation, x2many, v, positive, expected));
  }
  return values.some((v) => matchOne(env, relation, x2many, v, op, expected));
}

function matchOne(
  env: Env,
  relation: string | undefined,
  x2many: boolean,
  value: Json,
  op: string,
  expected: unknown,
): boolean {
  if (op === '=?')
    return (
      expected === false ||
      expected === null ||
      expected === undefined ||
      matchOne(env, relation, x2many, value, '=', expected)
    );
  if (x2many) {
    const ids = (value as number[]) ?? [];
    if (expected === false && (op === '=' || op === 'in')) return ids.length === 0;
    if (op === '=' || op === 'in') {
      const wanted = Array.isArray(expected) ? expected : [expected];
      return ids.some(
        (id) =>
          wanted.includes(id) || wanted.some((w) => typeof w === 'string' && nameMatches(env, relation, id, w, '=')),
      );
    }
    if (op === 'like' || op === 'ilike') return ids.some((id) => nameMatches(env, relation, id, String(expected), op));
    throw valueError(`Operator ${op} not supported on x2many fields by the simulator`);
  }
  if (op === 'child_of' || op === 'parent_of') return hierarchyMatch(env, relation, value, expected, op);
  if (relation && typeof expected === 'string')
    return value !== false && nameMatches(env, relation, value as number, expected, op);
  switch (op) {
    case '=':
      return equal(value, expected);
    case 'in':
      if (!Array.isArray(expected))
        throw valueError(`The domain operator 'in' needs a list, not ${JSON.stringify(expected)}`);
      return expected.some((e) => equal(value, e));
    case 'like':
    case 'ilike':
    case '=like':
    case '=ilike': {
      if (value === false || value === null) return false;
      const re = likeToRegex(String(expected), !op.startsWith('='), op.endsWith('ilike'));
      return re.test(String(value));
    }
    case '<':
    case '>':
    case '<=':
    case '>=': {
      if (value === false || value === null) return false;
      const a = value as number | string;
      const b = expected as number | string;
      return op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b;
    }
    default:
      throw valueError(`Invalid operator ${op}`);
  }
}

function equal(value: Json, expected: unknown): boolean {
  if (expected === false || expected === null) return value === false || value === null || value === '';
  if (expected === true) return value === true;
  return value === expected;
}

function nameMatches(env: Env, relation: string | undefined, id: number, text: string, op: string): boolean {
  if (!relation) return false;
  const rec = env.maybe(relation, id);
  if (!rec) return false;
  const name = env.displayName(relation, rec);
  if (op === '=' || op === 'in') return name === text;
  return likeToRegex(text, !op.startsWith('='), op.endsWith('ilike')).test(name);
}

function hierarchyMatch(env: Env, relation: string | undefined, value: Json, expected: unknown, op: string): boolean {
  if (!relation || typeof value !== 'number') return false;
  const parentField = env.model(relation).parentField;
  if (!parentField) throw valueError(`Model ${relation} has no parent field for ${op}`);
  const roots = (Array.isArray(expected) ? expected : [expected]) as number[];
  const ancestors = (id: number): number[] => {
    const chain: number[] = [];
    let current = env.maybe(relation, id);
    while (current) {
      chain.push(current.id);
      current = env.maybe(relation, current[parentField]);
    }
    return chain;
  };
  if (op === 'child_of') return ancestors(value).some((a) => roots.includes(a));
  return roots.some((r) => ancestors(r).includes(value));
}
