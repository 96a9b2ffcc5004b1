import { Counter, Gauge, Registry } from 'prom-client';
import type { PlantHealth } from '../plant-health';

/** Five-minute buckets over the last 24 hours: the page's throughput, failure-rate and latency charts. */
const BUCKET_MS = 5 * 60_000;
const BUCKETS = 288;

interface Bucket {
  start: number;
  accepted: number;
  duplicate: number;
  refused: number;
  latencySumMs: number;
  latencyMaxMs: number;
}

export interface EventSeries {
  bucketMinutes: number;
  starts: string[];
  accepted: number[];
  duplicate: number[];
  refused: number[];
  /** Refused share of all events in the bucket (0..1), null without events. */
  failureRate: Array<number | null>;
  /** Mean and max time from the event's recordedAt to plantflow's answer, in seconds. */
  latencyMeanSeconds: Array<number | null>;
  latencyMaxSeconds: Array<number | null>;
}

/**
 * What this API process saw of the shop floor's events since it started (in memory, 24 h): the live picture
 * for the page. Prometheus keeps the long history from the counters below and the workers' histograms.
 */
class EventHistory {
  private readonly buckets: Bucket[] = [];

  record(outcome: 'accepted' | 'duplicate' | 'refused', recordedAt: string | undefined, now = Date.now()): void {
    const start = now - (now % BUCKET_MS);
    let last = this.buckets[this.buckets.length - 1];
    if (!last || last.start !== start) {
      last = { start, accepted: 0, duplicate: 0, refused: 0, latencySumMs: 0, latencyMaxMs: 0 };
      this.buckets.push(last);
      while (this.buckets.length > 0 && this.buckets[0]!.start <= start - BUCKETS * BUCKET_MS) this.buckets.shift();
    }
    last[outcome] += 1;
    const at = recordedAt ? Date.parse(recordedAt) : NaN;
    if (outcome === 'accepted' && Number.isFinite(at)) {
      const ms = Math.max(0, now - at);
      last.latencySumMs += ms;
      last.latencyMaxMs = Math.max(last.latencyMaxMs, ms);
    }
  }

  series(now = Date.now()): EventSeries {
    const end = now - (now % BUCKET_MS);
    const byStart = new Map(this.buckets.map((b) => [b.start, b]));
    const out: EventSeries = {
      bucketMinutes: BUCKET_MS / 60_000,
      starts: [],
      accepted: [],
      duplicate: [],
      refused: [],
      failureRate: [],
      latencyMeanSeconds: [],
      latencyMaxSeconds: [],
    };
    for (let i = BUCKETS - 1; i >= 0; i--) {
      const start = end - i * BUCKET_MS;
      const b = byStart.get(start);
      const all = b ? b.accepted + b.duplicate + b.refused : 0;
      out.starts.push(new Date(start).toISOString());
      out.accepted.push(b?.accepted ?? 0);
      out.duplicate.push(b?.duplicate ?? 0);
      out.refused.push(b?.refused ?? 0);
      out.failureRate.push(b && all > 0 ? b.refused / all : null);
      out.latencyMeanSeconds.push(b && b.accepted > 0 ? b.latencySumMs / b.accepted / 1000 : null);
      out.latencyMaxSeconds.push(b && b.accepted > 0 ? b.latencyMaxMs / 1000 : null);
    }
    return out;
  }
}

const GAUGES: Array<[string, string, string[]]> = [
  ['plantflow_orders', 'Running orders by plantflow status', ['status']],
  [
    'plantflow_runs_needing_attention',
    'Running orders, lots and NCRs with a parked step (NeedsAttention)',
    ['process'],
  ],
  ['plantflow_lots_awaiting_disposition', 'Lots restricted or on hold, waiting for a disposition', []],
  ['plantflow_lots_on_hold', 'Lots on hold', []],
  ['plantflow_lots_overdue', 'Lots past their release deadline without a final disposition', []],
  ['plantflow_ncrs_open', 'Open nonconformances', []],
  ['plantflow_ncrs_overdue', 'Nonconformances past their deadline', []],
  ['plantflow_exceptions_open', 'Open business exceptions by site and kind', ['site', 'kind']],
  ['plantflow_drift_open', 'Open drift between plantflow and the systems, by site and reason', ['site', 'reason']],
];

/** The API's /metrics: the plant's counts (from visibility, cached) and the MES events it answered. */
export function createApiMetrics(health: PlantHealth) {
  const registry = new Registry();
  const registers = [registry];
  for (const [name, help, labelNames] of GAUGES) {
    new Gauge({
      name,
      help,
      labelNames,
      registers,
      async collect() {
        const snapshot = await health.snapshot();
        this.reset();
        for (const c of snapshot.counts) if (c.metric === name) this.set(c.labels, c.value);
      },
    });
  }
  new Gauge({
    name: 'plantflow_edges',
    help: 'Plant edges reporting to this site, by state (ok, silent, backlog_alarm)',
    labelNames: ['state'],
    registers,
    async collect() {
      const { edges } = await health.snapshot();
      this.reset();
      for (const state of ['ok', 'silent', 'backlog_alarm'])
        this.set({ state }, edges.filter((e) => e.state === state).length);
    },
  });
  const mesEvents = new Counter({
    name: 'plantflow_mes_events_total',
    help: 'MES events the API answered, by event type and outcome (accepted, duplicate, buffered, refused)',
    labelNames: ['type', 'outcome'],
    registers,
  });
  const history = new EventHistory();
  return {
    registry,
    /** Counts one MES event's answer for /metrics and the page's charts. */
    mesEvent(type: string, answered: string, recordedAt?: string): void {
      const outcome = answered === 'rejected' ? 'refused' : answered;
      mesEvents.inc({ type, outcome });
      if (outcome === 'accepted' || outcome === 'duplicate' || outcome === 'refused')
        history.record(outcome, recordedAt);
    },
    series: () => history.series(),
  };
}
export type ApiMetrics = ReturnType<typeof createApiMetrics>;
