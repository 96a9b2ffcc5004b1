import type { SimulatorServer } from '../../shared/server';
import { atomically } from '../../shared/undo';
import { accessError, attributeError, httpError, indexError, OdooError, userError } from '../errors';
import { recomputeManufacturing } from '../models/mrp-production';
import { Env } from '../orm/env';
import { RecordSet, type MethodSpec, type OdooState, type Registry } from '../orm/types';
import { SIM_UID } from '../seed';
import { bindArguments } from './bind';

/** The answer was committed, then lost on the way back (proxy 502): Odoo's worst case for idempotency. */
export class CommitThenError extends Error {
  constructor(readonly result: unknown) {
    super('committed, then the answer was lost');
  }
}

export interface ModelCall {
  protocol: 'jsonrpc' | 'json2';
  path: string;
  model: string;
  method: string;
  /** JSON-RPC: execute_kw args (ids first unless @api.model). */
  positional: unknown[];
  kwargs: Record<string, unknown>;
  /** JSON-2: the `ids` key. */
  ids?: unknown;
  context: Record<string, unknown>;
}

export interface RuntimeHolder {
  registry: Registry;
  state: OdooState;
}

/**
 * `call_kw` over the simulated database: method lookup with Odoo's refusals, argument binding, one
 * transaction per call (rolled back on any error), result downgrading per version, and the write journal.
 */
export class OdooRuntime {
  constructor(
    private readonly holder: RuntimeHolder,
    private readonly server: SimulatorServer,
    private readonly onCommit: () => void,
  ) {}

  private resolve(call: ModelCall): MethodSpec {
    const { model, method, protocol } = call;
    const def = this.holder.registry.models.get(model);
    if (!def) {
      throw protocol === 'json2'
        ? httpError(404, 'NotFound', `the model '${model}' does not exist`)
        : userError(`Object ${model} doesn't exist`);
    }
    if (method.startsWith('_'))
      throw accessError(`Private methods (such as '${model}.${method}') cannot be called remotely.`);
    const spec = def.methods?.[method];
    if (!spec) {
      const message = `The method '${method}' does not exist on the model '${model}'`;
      throw protocol === 'json2' ? httpError(404, 'NotFound', message) : attributeError(message);
    }
    return spec;
  }

  private bind(call: ModelCall, spec: MethodSpec): { ids: number[]; args: Record<string, unknown> } {
    if (call.protocol === 'json2') {
      const ids = normalizeIds(call.ids ?? []);
      if (spec.model && ids.length > 0)
        throw httpError(422, 'UnprocessableEntity', `cannot call ${call.model}.${call.method} with ids`);
      return { ids, args: bindArguments(spec, call.method, [], call.kwargs, 'json2') };
    }
    if (spec.model) {
      if (call.method === 'create' && call.positional.length === 0) throw indexError('tuple index out of range');
      return { ids: [], args: bindArguments(spec, call.method, call.positional, call.kwargs, 'call_kw') };
    }
    if (call.positional.length === 0) throw indexError('list index out of range');
    return {
      ids: normalizeIds(call.positional[0]),
      args: bindArguments(spec, call.method, call.positional.slice(1), call.kwargs, 'call_kw'),
    };
  }

  private checkCompanies(env: Env, context: Record<string, unknown>): void {
    const allowed = context.allowed_company_ids;
    if (allowed === undefined) return;
    const mine = (env.get('res.users', env.uid).company_ids as number[]) ?? [];
    if (!Array.isArray(allowed) || !allowed.every((c) => mine.includes(c as number))) {
      throw accessError('Access to unauthorized or invalid companies.');
    }
  }

  call(call: ModelCall): unknown {
    const spec = this.resolve(call);
    const { ids, args } = this.bind(call, spec);
    const env = new Env(this.holder, SIM_UID, call.context);
    this.checkCompanies(env, call.context);
    if (spec.readonly) return this.convert(call, spec, spec.run(env, ids, args));

    const operation = `${call.model}.${call.method}`;
    const before = this.refsOf(env, call.model, ids);
    this.raceLotCreation(call, args);
    let raw: unknown;
    try {
      const committed = this.holder.state;
      raw = atomically(committed, (view) => {
        this.holder.state = view;
        try {
          const answer = spec.run(env, ids, args);
          recomputeManufacturing(env);
          return answer;
        } finally {
          this.holder.state = committed;
        }
      });
    } catch (err) {
      const status = call.protocol === 'json2' && err instanceof OdooError ? err.httpStatus : 200;
      this.journal(call, operation, { ...before, ...env.refs }, status, false);
      throw err;
    }
    const touched = raw instanceof RecordSet ? raw.ids : isLoadResult(raw) && raw.ids ? raw.ids : [];
    const refs = {
      ...before,
      ...this.refsOf(env, raw instanceof RecordSet ? raw.model : call.model, touched),
      ...env.refs,
    };
    const applied = !(isLoadResult(raw) && raw.ids === false);
    const result = this.convert(call, spec, raw);
    this.onCommit();
    if (applied && this.server.faults.special('commitThenErrorRate', 0) > this.server.faults.roll()) {
      this.journal(call, operation, refs, 502, true);
      throw new CommitThenError(result);
    }
    this.journal(call, operation, refs, 200, applied);
    return result;
  }

  /** create(dict) → id, create(list) → ids; other recordsets per version (19: always ids). */
  private convert(call: ModelCall, spec: MethodSpec, raw: unknown): unknown {
    if (!(raw instanceof RecordSet)) return raw;
    if (call.method === 'create') {
      if (call.protocol === 'json2') return raw.ids;
      const first = call.positional[0];
      return first && typeof first === 'object' && !Array.isArray(first) ? raw.ids[0] : raw.ids;
    }
    if (this.holder.registry.traits.recordsetResultAsIds || call.protocol === 'json2') return raw.ids;
    return spec.returnsSingle ? (raw.ids[0] ?? false) : raw.ids;
  }

  private refsOf(env: Env, model: string, ids: number[]): Record<string, string> {
    const def = env.sim.registry.models.get(model);
    const out: Record<string, string> = {};
    for (const id of ids) {
      const rec = env.maybe(model, id);
      if (rec && def?.refs) Object.assign(out, def.refs(env, rec));
    }
    return out;
  }

  private journal(
    call: ModelCall,
    operation: string,
    refs: Record<string, string>,
    status: number,
    applied: boolean,
  ): void {
    this.server.journal.record({
      method: 'POST',
      path: call.path,
      operation,
      refs,
      body: { args: call.positional, kwargs: call.kwargs, ids: call.ids, context: call.context },
      status,
      applied,
    });
  }

  /**
   * Special fault `lotUniqueRaceRate`: another transaction commits the same lot first, so this create
   * fails on the Python-only uniqueness check — the race Odoo's own code leaves open.
   */
  private raceLotCreation(call: ModelCall, args: Record<string, unknown>): void {
    if (call.model !== 'stock.lot' || call.method !== 'create') return;
    if (!(this.server.faults.special('lotUniqueRaceRate', 0) > this.server.faults.roll())) return;
    const list = Array.isArray(args.vals_list) ? args.vals_list : [args.vals_list];
    const concurrent = new Env(this.holder, SIM_UID);
    // The concurrent transaction commits on its own, before this call's snapshot.
    const created = list.map((vals) => concurrent.create('stock.lot', { ...(vals as Record<string, unknown>) }));
    this.server.journal.record({
      method: 'POST',
      path: call.path,
      operation: 'stock.lot.create',
      refs: { lot: created.map((l) => String(l.name)).join(','), concurrent: 'true' },
      body: { vals_list: list },
      status: 200,
      applied: true,
    });
  }
}

function normalizeIds(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'number')) return value as number[];
  throw new OdooError('builtins.TypeError', `unhashable or invalid ids: ${JSON.stringify(value)}`, 422);
}

function isLoadResult(raw: unknown): raw is { ids: number[] | false; messages: unknown[] } {
  return !!raw && typeof raw === 'object' && 'messages' in raw && 'ids' in raw;
}
