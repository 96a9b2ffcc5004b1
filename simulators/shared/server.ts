import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { AddressInfo } from 'node:net';
import { FaultInjector, faultPlanSchema } from './faults';
import { WriteJournal } from './journal';

export interface SimulatorOptions {
  name: 'odoo' | 'sap' | 'qms' | 'mes';
  /** Writes fault answers in the protocol's own shape (e.g. an ICM HTML page for SAP). */
  faultReply?: (reply: FastifyReply, status: number, reason: string) => FastifyReply;
  logger?: boolean;
}

export interface SimulatorHooks {
  /** Restores the seeded master data: called by POST /__sim/reset and at start. */
  reset(): void;
  /** Business state as JSON, for GET /__sim/state and persistence. */
  dump(): unknown;
  /**
   * Resolves once the state every change so far left is durable (a simulator with a state file). No answer
   * is sent before it: a real system commits before it answers, so a crash loses nothing it acknowledged.
   */
  commit?(): Promise<void>;
}

/**
 * A simulator is a fastify app speaking the real system's wire protocol, plus admin routes under /__sim
 * (faults, reset, the journal of writes) that only tests and the demo use.
 */
export class SimulatorServer {
  readonly app: FastifyInstance;
  readonly faults = new FaultInjector();
  readonly journal = new WriteJournal();
  private hooks: SimulatorHooks | undefined;
  url: string | undefined;

  constructor(readonly options: SimulatorOptions) {
    this.app = Fastify({ logger: options.logger ?? false, bodyLimit: 10 * 1024 * 1024 });
    this.app.addHook('onRequest', async (request, reply) => {
      if (request.url.startsWith('/__sim/')) return;
      const decision = this.faults.decide(request.method, request.url);
      const latency = this.faults.current.latencyMs;
      if (latency > 0) await new Promise((r) => setTimeout(r, latency));
      switch (decision.kind) {
        case 'none':
          return;
        case 'timeout':
          await new Promise((r) => setTimeout(r, decision.afterMs));
          reply.raw.destroy();
          return reply;
        case 'rate-limit':
          reply.header('Retry-After', String(decision.retryAfterSeconds));
          return this.replyFault(reply, 429, 'rate limited');
        case 'status':
          return this.replyFault(reply, decision.status, decision.reason);
      }
    });
    this.app.addHook('onSend', async (request, reply, payload) => {
      if (request.url.startsWith('/__sim/') || reply.statusCode >= 400) return payload;
      // The write is already applied; the caller never hears about it.
      if (this.faults.loseResponse(request.method, request.url)) reply.raw.destroy();
      return payload;
    });
    this.registerAdminRoutes();
  }

  /** Binds the simulator's business state; call once from the simulator's factory. */
  attach(hooks: SimulatorHooks): void {
    this.hooks = hooks;
    hooks.reset();
    // Registered last, after the protocol's own onSend hooks (which may still write, e.g. idempotency keys).
    const commit = hooks.commit;
    if (commit) this.app.addHook('onSend', async (_request, _reply, payload) => (await commit(), payload));
  }

  private replyFault(reply: FastifyReply, status: number, reason: string): FastifyReply {
    if (this.options.faultReply) return this.options.faultReply(reply, status, reason);
    return reply.code(status).type('text/plain').send(`${this.options.name} simulator: ${reason}`);
  }

  private registerAdminRoutes(): void {
    const app = this.app;
    app.get('/__sim/health', async () => ({ system: this.options.name, status: 'ok' }));
    app.get('/__sim/faults', async () => this.faults.current);
    app.put('/__sim/faults', async (request, reply) => {
      const parsed = faultPlanSchema.safeParse(request.body ?? {});
      if (!parsed.success) return reply.code(400).send({ error: 'invalid fault plan', issues: parsed.error.issues });
      return this.faults.set(parsed.data);
    });
    app.post('/__sim/reset', async () => {
      this.reset();
      return { reset: true };
    });
    app.get('/__sim/writes', async (request, reply) => {
      const q = request.query as { operation?: string; applied?: string; after?: string };
      const after = q.after === undefined ? undefined : Number(q.after);
      if (after !== undefined && !Number.isInteger(after))
        return reply.code(400).send({ error: 'after: a sequence number' });
      return this.journal.list({
        operation: q.operation,
        applied: q.applied === undefined ? undefined : q.applied === 'true',
        after,
      });
    });
    app.get('/__sim/state', async () => this.hooks?.dump() ?? {});
  }

  reset(): void {
    this.faults.reset();
    this.journal.clear();
    this.hooks?.reset();
  }

  async start(port: number, host = '127.0.0.1'): Promise<string> {
    await this.app.listen({ port, host });
    const address = this.app.server.address() as AddressInfo;
    this.url = `http://${host}:${address.port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await this.app.close();
  }
}
