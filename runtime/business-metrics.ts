import { createServer, type Server } from 'node:http';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * plantflow's business metrics as the workers see them (the SDK's own metrics stay on PLANTFLOW_METRICS_BIND):
 * every call to a system by outcome, postings and their event-to-posting latency, refusals that park a step,
 * and whether each system answers. The names are the ones the Grafana dashboard in deploy/ reads.
 */
export function createWorkerMetrics() {
  const registry = new Registry();
  const registers = [registry];
  return {
    registry,
    calls: new Counter({
      name: 'plantflow_system_calls_total',
      help: 'Activity attempts against a system, by activity and outcome (ok, refused, transient)',
      labelNames: ['system', 'activity', 'outcome'],
      registers,
    }),
    postings: new Counter({
      name: 'plantflow_postings_total',
      help: 'Postings (writes with an idempotency key) by system, verb (also inside a batch call) and outcome (posted, already_posted, refused, retrying)',
      labelNames: ['system', 'activity', 'outcome'],
      registers,
    }),
    eventToPosting: new Histogram({
      name: 'plantflow_event_to_posting_seconds',
      help: "From the MES event's recordedAt or effectiveAt (label from) to the system's answer to its posting",
      labelNames: ['system', 'from'],
      buckets: [0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600, 4 * 3600, 24 * 3600],
      registers,
    }),
    callSeconds: new Histogram({
      name: 'plantflow_system_call_seconds',
      help: 'Duration of one activity attempt against a system',
      labelNames: ['system'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    refusals: new Counter({
      name: 'plantflow_steps_refused_total',
      help: 'Steps a system refused for good (the step parks for an operator), by system and failure type',
      labelNames: ['system', 'reason'],
      registers,
    }),
    up: new Gauge({
      name: 'plantflow_downstream_up',
      help: 'Whether the last call to the system got an answer (1) or failed to reach it (0)',
      labelNames: ['system'],
      registers,
    }),
  };
}
export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;

/** GET /metrics on host:port for a process without an HTTP server of its own (the workers). */
export function serveMetrics(registry: Registry, bindAddress: string): Promise<Server> {
  const [host, port] = [bindAddress.slice(0, bindAddress.lastIndexOf(':')), Number(bindAddress.split(':').pop())];
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (err: Error) => response.writeHead(500).end(err.message),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
