import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { StateFile } from '../persistence';
import { SimulatorServer } from '../server';
import { createRestApi, jsonFaultReply, type RestApi, type RestApiOptions } from './app';

/** What every REST simulator (QMS, MES) is given: where it keeps state and how it logs. */
export interface RestSimulatorOptions {
  /** Bearer token callers must present (default: the simulator token of runtime/config.ts). */
  token?: string;
  /** JSON file that keeps business state (and idempotency keys) across restarts. */
  stateFile?: string;
  logger?: boolean;
}

export interface RestSimulator<S> {
  server: SimulatorServer;
  rest: RestApi;
  /** Writes the state file now (no-op without one); call before a planned stop. */
  flush(): void;
  /** Live business state (the same object /__sim/state shows). */
  state(): S;
}

export interface RestSimulatorContext<S> {
  holder: { state: S };
  rest: RestApi;
  server: SimulatorServer;
}

interface Snapshot<S> {
  state: S;
  idempotencyKeys: ReturnType<RestApi['idempotency']['snapshot']>;
}

/**
 * Assembles a REST simulator of our own contract: the server with faults in the contract's error
 * envelope, the documented API, state seeded, reset, and persisted (with the idempotency keys) to a file.
 */
export function createRestSimulator<S>(
  options: RestSimulatorOptions,
  spec: Omit<RestApiOptions, 'token' | 'onWrite' | 'system'> & {
    system: RestApiOptions['system'];
    defaultToken: string;
    seed: () => S;
    routes: (ctx: RestSimulatorContext<S>) => FastifyPluginAsyncZod[];
  },
): RestSimulator<S> {
  const { defaultToken, seed, routes, ...api } = spec;
  const server = new SimulatorServer({
    name: spec.system,
    faultReply: jsonFaultReply(spec.system),
    logger: options.logger,
  });
  const holder = { state: seed() };
  const snapshot = (): Snapshot<S> => ({ state: holder.state, idempotencyKeys: rest.idempotency.snapshot() });
  const file = options.stateFile ? new StateFile<Snapshot<S>>(options.stateFile, snapshot) : undefined;
  const rest: RestApi = createRestApi(server, {
    ...api,
    token: options.token ?? defaultToken,
    onWrite: () => file?.changed(),
  });
  for (const plugin of routes({ holder, rest, server })) rest.routes(plugin);

  let started = false;
  server.attach({
    reset() {
      holder.state = seed();
      rest.idempotency.clear();
      // The reset inside attach() runs before the saved state is loaded: it must not overwrite the file.
      if (started) file?.changed();
    },
    dump: snapshot,
    commit: file && (() => file.commit()),
  });
  const saved = file?.load();
  if (saved) {
    holder.state = saved.state;
    rest.idempotency.restore(saved.idempotencyKeys);
  }
  started = true;
  return { server, rest, state: () => holder.state, flush: () => file?.flush() };
}
