import { z } from 'zod';

/**
 * Fault plan shared by every simulator. Tests set it through PUT /__sim/faults; protocol-specific faults
 * (CSRF expiry, ETag conflicts, Odoo commit-then-error) live in `special`, read by each simulator.
 */
export const faultPlanSchema = z
  .object({
    /** Probability (0..1) that a request is answered with `errorStatus` instead of being served. */
    errorRate: z.number().min(0).max(1).default(0),
    errorStatus: z.number().int().min(400).max(599).default(503),
    /** Added latency on every request. */
    latencyMs: z.number().int().min(0).max(120_000).default(0),
    /** Probability that a request hangs for `timeoutMs` and then the socket is destroyed (client timeout). */
    timeoutRate: z.number().min(0).max(1).default(0),
    timeoutMs: z.number().int().min(0).max(300_000).default(30_000),
    /** Probability of a 429 with a Retry-After header. */
    rateLimitRate: z.number().min(0).max(1).default(0),
    retryAfterSeconds: z.number().int().min(0).max(3600).default(1),
    /**
     * Probability that a write is applied and then its answer is lost (connection reset after commit):
     * the case that only idempotency keys make safe.
     */
    lostResponseRate: z.number().min(0).max(1).default(0),
    /** Outage windows in epoch ms: every request inside one is answered with its status. */
    outages: z.array(z.object({ from: z.number(), to: z.number(), status: z.number().int().default(503) })).default([]),
    /** Only requests whose path starts with one of these prefixes are faulted (all when empty). */
    pathPrefixes: z.array(z.string()).default([]),
    /** Only faults writes (non-GET) when true. */
    writesOnly: z.boolean().default(false),
    /** Seed of the deterministic random source, so a failing run can be replayed. */
    seed: z.number().int().default(1),
    special: z.record(z.string(), z.union([z.number(), z.boolean(), z.string()])).default({}),
  })
  .strict();

export type FaultPlan = z.infer<typeof faultPlanSchema>;
export type FaultPlanInput = z.input<typeof faultPlanSchema>;

/** Small deterministic PRNG (mulberry32): reproducible fault sequences for a given seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type FaultDecision =
  | { kind: 'none' }
  | { kind: 'status'; status: number; reason: string }
  | { kind: 'rate-limit'; retryAfterSeconds: number }
  | { kind: 'timeout'; afterMs: number };

export class FaultInjector {
  private plan: FaultPlan = faultPlanSchema.parse({});
  private random = mulberry32(1);

  get current(): FaultPlan {
    return this.plan;
  }

  set(input: FaultPlanInput): FaultPlan {
    this.plan = faultPlanSchema.parse(input);
    this.random = mulberry32(this.plan.seed);
    return this.plan;
  }

  reset(): void {
    this.set({});
  }

  /** A number in [0,1) from the plan's seeded sequence (simulators use it for their special faults). */
  roll(): number {
    return this.random();
  }

  special<T extends number | boolean | string>(name: string, fallback: T): T {
    const value = this.plan.special[name];
    return (value === undefined ? fallback : value) as T;
  }

  /** After a write was applied: should its answer be lost? */
  loseResponse(method: string, path: string): boolean {
    const p = this.plan;
    if (method === 'GET' || p.lostResponseRate === 0) return false;
    if (p.pathPrefixes.length > 0 && !p.pathPrefixes.some((prefix) => path.startsWith(prefix))) return false;
    return this.random() < p.lostResponseRate;
  }

  decide(method: string, path: string, now = Date.now()): FaultDecision {
    const p = this.plan;
    if (p.writesOnly && method === 'GET') return { kind: 'none' };
    if (p.pathPrefixes.length > 0 && !p.pathPrefixes.some((prefix) => path.startsWith(prefix))) return { kind: 'none' };
    const outage = p.outages.find((o) => now >= o.from && now < o.to);
    if (outage) return { kind: 'status', status: outage.status, reason: 'outage window' };
    if (p.timeoutRate > 0 && this.random() < p.timeoutRate) return { kind: 'timeout', afterMs: p.timeoutMs };
    if (p.rateLimitRate > 0 && this.random() < p.rateLimitRate) {
      return { kind: 'rate-limit', retryAfterSeconds: p.retryAfterSeconds };
    }
    if (p.errorRate > 0 && this.random() < p.errorRate) {
      return { kind: 'status', status: p.errorStatus, reason: 'injected error' };
    }
    return { kind: 'none' };
  }
}
