import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { edgeReportSchema, type EdgeReport } from '../../domain/edge';
import { mesEventReportSchema, type MesEvent } from '../../domain/events';

/** What the central site does with one request: answer, fail, or hold the connection open. */
export type CentralBehaviour =
  | { kind: 'answer'; delayMs?: number }
  | { kind: 'status'; status: number; retryAfter?: string; body?: unknown; html?: string }
  | { kind: 'hang' };

export interface Delivery {
  eventId: string;
  /** Which request carried it (1-based). */
  request: number;
  /** The edge process that sent it (its User-Agent names the pid). */
  run?: string;
}

/**
 * A stand-in for the central API's MES batch route and edge report route, for unit tests of the edge:
 * the same body schema and the same per-event answers, applying each eventId once like the order runs do.
 */
export class FakeCentral {
  readonly applied: MesEvent[] = [];
  readonly appliedIds = new Set<string>();
  readonly deliveries: Delivery[] = [];
  readonly reports: EdgeReport[] = [];
  requests = 0;
  behaviour: (request: number, events: MesEvent[]) => CentralBehaviour = () => ({ kind: 'answer' });
  /** Called once a batch is applied, before its answer leaves (a test may kill the edge here). */
  onApplied?: (request: number) => void;
  /** Called once a batch's answer is on its way to the edge. */
  onAnswered?: (request: number) => void;
  /** A business refusal for an event, as the order run would give it. */
  refuse: (event: MesEvent) => string | undefined = () => undefined;
  private server?: Server;
  private readonly open = new Set<ServerResponse>();

  constructor(readonly apiKey = 'central-key-for-the-test-edge-0000') {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const res of this.open) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** How many times each event reached the central site. */
  deliveryCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const d of this.deliveries) counts.set(d.eventId, (counts.get(d.eventId) ?? 0) + 1);
    return counts;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      this.open.delete(res);
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${this.apiKey}`) {
      return send(401, { code: 'unauthenticated', message: 'unknown API key' });
    }
    let json: unknown;
    try {
      json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return send(400, { code: 'invalid_request', message: 'body is not JSON' });
    }
    if (req.method === 'PUT' && req.url?.startsWith('/edges/')) {
      const report = edgeReportSchema.safeParse(json);
      if (!report.success) return send(400, { code: 'invalid_request', message: report.error.message });
      this.reports.push(report.data);
      return send(200, { lastContactAt: new Date().toISOString() });
    }
    if (req.method !== 'POST' || req.url !== '/mes/events') return send(404, { code: 'not_found', message: req.url });
    const request = ++this.requests;
    const parsed = mesEventReportSchema.safeParse(json);
    if (!parsed.success) return send(400, { code: 'invalid_request', message: 'request body is invalid' });
    const events = 'events' in parsed.data ? parsed.data.events : [parsed.data];
    const behaviour = this.behaviour(request, events);
    if (behaviour.kind === 'hang') {
      this.open.add(res);
      return;
    }
    if (behaviour.kind === 'status' && behaviour.html !== undefined) {
      // Not plantflow's answer: a proxy or a gateway between the edge and the central site.
      res.writeHead(behaviour.status, { 'content-type': 'text/html' });
      res.end(behaviour.html);
      return;
    }
    if (behaviour.kind === 'status') {
      return send(
        behaviour.status,
        behaviour.body ?? { code: 'unavailable', message: 'central site failing' },
        behaviour.retryAfter ? { 'retry-after': behaviour.retryAfter } : {},
      );
    }
    const run = /pid (\d+)/.exec(req.headers['user-agent'] ?? '')?.[1];
    const results = events.map((event) => {
      this.deliveries.push({ eventId: event.eventId, request, run });
      if (this.appliedIds.has(event.eventId)) return { outcome: 'duplicate', eventId: event.eventId };
      const reason = this.refuse(event);
      this.appliedIds.add(event.eventId);
      if (reason) return { outcome: 'rejected', eventId: event.eventId, reason };
      this.applied.push(event);
      return { outcome: 'accepted', eventId: event.eventId, postings: 1 };
    });
    this.onApplied?.(request);
    if (behaviour.delayMs) {
      this.open.add(res);
      await new Promise((r) => setTimeout(r, behaviour.delayMs));
    }
    res.once('finish', () => this.onAnswered?.(request));
    send(200, { results });
  }
}
