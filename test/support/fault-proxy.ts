import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HeldAnswer {
  method: string;
  path: string;
  requestBody: string;
  status: number;
  answer: string;
}

/**
 * The WAN between a plant and the central site, on loopback: passes requests through, or is cut (requests
 * hang unanswered, as packets lost on a dead link), or holds answers (the central site did the work, the
 * answer never reaches the plant).
 */
export class FaultProxy {
  private mode: 'pass' | 'cut' | 'hold' = 'pass';
  private server?: Server;
  private readonly stuck = new Set<ServerResponse>();
  private readonly held: HeldAnswer[] = [];
  private waiters: Array<(held: HeldAnswer) => void> = [];
  readonly counts = { passed: 0, cut: 0, held: 0 };
  /** Bodies of the requests that went through and were answered, in order. */
  readonly passed: Array<{ method: string; path: string; body: string }> = [];

  constructor(private readonly upstream: string) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.restore();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  cut(): void {
    this.mode = 'cut';
  }

  /** Requests reach the central site; their answers stay here until restore() drops them. */
  holdAnswers(): void {
    this.mode = 'hold';
  }

  /** The link works again; requests stuck in it are dropped (their senders see the connection reset). */
  restore(): void {
    this.mode = 'pass';
    for (const res of this.stuck) res.destroy();
    this.stuck.clear();
  }

  /** Resolves with the first answer held for `method path` (from now on, or already held). */
  nextHeld(method: string, path: string): Promise<HeldAnswer> {
    const found = this.held.find((h) => h.method === method && h.path === path);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => {
      const waiter = (h: HeldAnswer) => {
        if (h.method !== method || h.path !== path) return;
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(h);
      };
      this.waiters.push(waiter);
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    if (this.mode === 'cut') {
      this.counts.cut += 1;
      this.stuck.add(res);
      return;
    }
    const holding = this.mode === 'hold';
    const upstream = await this.forward(req, body).catch((err: Error) => err);
    if (upstream instanceof Error) {
      res.destroy();
      return;
    }
    if (holding) {
      this.counts.held += 1;
      const held: HeldAnswer = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        requestBody: body.toString('utf8'),
        status: upstream.status,
        answer: upstream.body.toString('utf8'),
      };
      this.held.push(held);
      this.stuck.add(res);
      for (const w of [...this.waiters]) w(held);
      return;
    }
    this.counts.passed += 1;
    this.passed.push({ method: req.method ?? 'GET', path: req.url ?? '/', body: body.toString('utf8') });
    res.writeHead(upstream.status, upstream.headers);
    res.end(upstream.body);
  }

  private forward(
    req: IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const target = new URL(req.url ?? '/', this.upstream);
      const out = request(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
        const parts: Buffer[] = [];
        answer.on('data', (c: Buffer) => parts.push(c));
        answer.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(answer.headers)) if (typeof v === 'string') headers[k] = v;
          resolve({ status: answer.statusCode ?? 502, headers, body: Buffer.concat(parts) });
        });
        answer.on('error', reject);
      });
      out.on('error', reject);
      out.end(body);
    });
  }
}
