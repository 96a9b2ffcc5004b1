import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { backlogFill, BACKLOG_ALARM_RATIO } from '../domain/edge';
import type { EdgeStore } from './store';

/** The edge's Prometheus metrics (GET /metrics): backlog, receipts, forwarding, the link to the central site. */
export function createEdgeMetrics(store: EdgeStore) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'plantflow_edge_process_' });
  const registers = [registry];
  const gauge = (name: string, help: string, value: () => number) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(value());
      },
    });
  gauge('plantflow_edge_backlog_events', 'Events stored at the edge, not yet answered by the central site', () => {
    return store.backlog.events;
  });
  gauge('plantflow_edge_backlog_bytes', 'Bytes of the events in the backlog', () => store.backlog.bytes);
  gauge('plantflow_edge_backlog_fill_ratio', 'Backlog fill against the closer of its two limits (0..1)', () =>
    backlogFill(store.backlog, store.limits),
  );
  gauge('plantflow_edge_backlog_alarm', `1 when the backlog is at ${BACKLOG_ALARM_RATIO * 100} % of a limit`, () =>
    backlogFill(store.backlog, store.limits) >= BACKLOG_ALARM_RATIO ? 1 : 0,
  );
  gauge('plantflow_edge_oldest_event_age_seconds', 'Age of the oldest event waiting in the backlog', () => {
    const oldest = store.oldest().receivedAt;
    return oldest ? (Date.now() - Date.parse(oldest)) / 1000 : 0;
  });
  gauge('plantflow_edge_last_contact_timestamp_seconds', 'When the central site last answered the edge', () => {
    const at = store.link().lastContactAt;
    return at ? Date.parse(at) / 1000 : 0;
  });
  gauge('plantflow_edge_refusals', 'Events kept at the edge because they were refused', () => store.refusalCount());
  return {
    registry,
    received: new Counter({
      name: 'plantflow_edge_received_total',
      help: 'Events the MES reported, by the edge answer (stored, duplicate, rejected, backlog_full)',
      labelNames: ['outcome'] as const,
      registers,
    }),
    forwarded: new Counter({
      name: 'plantflow_edge_forwarded_total',
      help: 'Events the central site answered, by its answer (accepted, duplicate, buffered, rejected)',
      labelNames: ['outcome'] as const,
      registers,
    }),
    failures: new Counter({
      name: 'plantflow_edge_forward_failures_total',
      help: 'Forwarding attempts that decided nothing (unreachable, busy, failing, or refusing the edge)',
      registers,
    }),
    batchSeconds: new Histogram({
      name: 'plantflow_edge_forward_batch_seconds',
      help: 'Time for the central site to answer one batch',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
  };
}

export type EdgeMetrics = ReturnType<typeof createEdgeMetrics>;
