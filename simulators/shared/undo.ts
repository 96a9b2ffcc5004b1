/**
 * Atomic changes to a simulator's in-memory state without copying it: a change runs against a view of the
 * state that writes through and remembers, for every property it sets or deletes, what was there before.
 * A refused change undoes those writes in reverse order. A real ERP rolls back its transaction the same
 * way, and its cost grows with what the change touched, not with everything the system holds (a deep
 * copy per posting made the simulators slower with every document they kept).
 *
 * The state is plain JSON data (no Map, Set or class instances) and changes are synchronous.
 */

type Undo = () => void;

interface Scope {
  undo: Undo[];
}

let active: Scope | undefined;
const targetOf = new WeakMap<object, object>();
const viewOf = new WeakMap<object, object>();

const isObject = (v: unknown): v is object => v !== null && typeof v === 'object';

function view<T>(value: T): T {
  if (!isObject(value) || targetOf.has(value)) return value;
  let proxy = viewOf.get(value);
  if (!proxy) {
    proxy = new Proxy(value, handler);
    viewOf.set(value, proxy);
    targetOf.set(proxy, value);
  }
  return proxy as T;
}

/** The plain data behind a value, so no view is ever stored in the state itself. */
function plain<T>(value: T, seen = new Set<object>()): T {
  if (!isObject(value)) return value;
  const target = targetOf.get(value);
  if (target) return target as T;
  if (seen.has(value)) return value;
  seen.add(value);
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const inner = record[key];
    if (isObject(inner)) {
      const unwrapped = plain(inner, seen);
      if (unwrapped !== inner) record[key] = unwrapped;
    }
  }
  return value;
}

function remember(target: object, key: PropertyKey): void {
  if (!active) return;
  const record = target as Record<PropertyKey, unknown>;
  if (Array.isArray(target) && key !== 'length') {
    // Writing past the end grows the array by itself: its length is put back after the element.
    const length = target.length;
    active.undo.push(() => {
      target.length = length;
    });
  }
  if (Object.prototype.hasOwnProperty.call(target, key)) {
    const before = record[key];
    active.undo.push(() => {
      record[key] = before;
    });
  } else {
    active.undo.push(() => {
      delete record[key];
    });
  }
}

const handler: ProxyHandler<object> = {
  get(target, key) {
    const value = Reflect.get(target, key, target);
    return typeof key === 'symbol' ? value : view(value);
  },
  set(target, key, value) {
    remember(target, key);
    return Reflect.set(target, key, plain(value), target);
  },
  deleteProperty(target, key) {
    if (Object.prototype.hasOwnProperty.call(target, key)) remember(target, key);
    return Reflect.deleteProperty(target, key);
  },
  defineProperty(target, key, descriptor) {
    remember(target, key);
    const value: unknown = descriptor.value;
    return Reflect.defineProperty(
      target,
      key,
      'value' in descriptor ? { ...descriptor, value: plain(value) } : descriptor,
    );
  },
};

/**
 * Runs `change` with a view of `state` (hand it to the code as the state); if it throws, every write made
 * through the view is undone and the error goes on. Nested calls share the outer change's log.
 */
export function atomically<S extends object, R>(state: S, change: (view: S) => R): R {
  if (active) {
    // A change inside a change: its own refusal undoes only its own writes.
    const back = savepoint();
    try {
      return change(view(state));
    } catch (err) {
      back();
      throw err;
    }
  }
  const scope: Scope = { undo: [] };
  active = scope;
  try {
    return change(view(state));
  } catch (err) {
    rollback(scope, 0);
    throw err;
  } finally {
    active = undefined;
  }
}

function rollback(scope: Scope, to: number): void {
  const current = active;
  active = undefined; // undoing must not log itself
  try {
    while (scope.undo.length > to) scope.undo.pop()!();
  } finally {
    active = current;
  }
}

/** A point inside the running change to return to (Odoo's `load()` refuses one row and keeps the call going). */
export function savepoint(): () => void {
  const scope = active;
  if (!scope) throw new Error('savepoint() outside a change');
  const mark = scope.undo.length;
  return () => rollback(scope, mark);
}

/** The plain state behind a view (for code that must hand the state on, e.g. to persistence). */
export function unwrapped<T>(value: T): T {
  return isObject(value) ? ((targetOf.get(value) as T | undefined) ?? value) : value;
}
