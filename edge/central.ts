import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { z } from 'zod';
import type { EdgeReport } from '../domain/edge';
import type { EdgeConfig } from '../runtime/config';
import { retryAfterMs } from './backoff';
import type { CentralAnswer, StoredEvent } from './store';

/** What became of one forwarding attempt. */
export type ForwardResult =
  /** The central site answered every event it was sent (some maybe not: those stay in the backlog). */
  | { kind: 'answered'; answers: CentralAnswer[] }
  /** Nothing was decided: the link is down, the central site is busy, failing or refuses the edge itself. */
  | { kind: 'retry'; reason: string; retryAfterMs?: number; contact: boolean }
  /**
   * The central API refused the request as a whole (4xx with plantflow's error body): alone, an event gets
   * this as its refusal. A 4xx in any other body is no refusal: it comes back as `retry`.
   */
  | { kind: 'refused'; status: number; code: string; reason: string };

const resultsSchema = z.object({
  results: z.array(
    z
      .object({
        outcome: z.enum(['accepted', 'duplicate', 'buffered', 'rejected']),
        eventId: z.string(),
        reason: z.string().optional(),
        code: z.string().optional(),
        message: z.string().optional(),
      })
      .loose(),
  ),
});
const errorSchema = z.object({ code: z.string(), message: z.string() }).loose();

/** The central plantflow API as the edge uses it: the MES batch route and the edge reporting route. */
export class CentralSite {
  private readonly http: AxiosInstance;

  constructor(config: EdgeConfig) {
    this.http = axios.create({
      baseURL: config.centralUrl,
      timeout: config.timeoutMs,
      headers: {
        authorization: `Bearer ${config.centralApiKey ?? ''}`,
        'content-type': 'application/json',
        // Names the edge and its process in the central site's logs.
        'user-agent': `plantflow-edge/${config.id} (plant ${config.site}; pid ${process.pid})`,
      },
      validateStatus: () => true,
      // The bodies are already JSON; keep them byte for byte.
      transformRequest: [(data: unknown) => data],
      transformResponse: [(data: unknown) => data],
      responseType: 'text',
    });
  }

  /** Sends stored events as one batch, in the given order. */
  async forward(events: StoredEvent[]): Promise<ForwardResult> {
    const body = `{"events":[${events.map((e) => e.body).join(',')}]}`;
    let res: AxiosResponse<string>;
    try {
      res = await this.http.post<string>('/mes/events', body);
    } catch (err) {
      return { kind: 'retry', reason: `central site unreachable: ${describe(err)}`, contact: false };
    }
    const wait = retryAfterMs(header(res, 'retry-after'), new Date());
    if (res.status >= 200 && res.status < 300) {
      const parsed = resultsSchema.safeParse(parseJson(res.data));
      if (!parsed.success) {
        return { kind: 'retry', reason: `central site answered ${res.status} with an unreadable body`, contact: true };
      }
      const sent = new Set(events.map((e) => e.eventId));
      const answers = parsed.data.results
        .filter((r) => sent.has(r.eventId))
        .map((r): CentralAnswer => ({
          eventId: r.eventId,
          outcome: r.outcome,
          code: r.code ?? (r.outcome === 'rejected' ? 'EventRejected' : undefined),
          reason: r.reason ?? r.message,
        }));
      return { kind: 'answered', answers };
    }
    const error = errorSchema.safeParse(parseJson(res.data));
    const said = error.success ? `${error.data.code}: ${error.data.message}` : `HTTP ${res.status}`;
    if (res.status === 429 || res.status >= 500 || res.status === 408) {
      return {
        kind: 'retry',
        reason: `central site answered ${res.status} (${said})`,
        retryAfterMs: wait,
        contact: true,
      };
    }
    if ([401, 403, 404, 405].includes(res.status)) {
      // The edge's key or URL is wrong: nothing about the events; they wait until someone fixes it.
      return {
        kind: 'retry',
        reason: `central site refuses the edge itself (${res.status} ${said}): check PLANTFLOW_EDGE_CENTRAL_URL and PLANTFLOW_EDGE_CENTRAL_API_KEY`,
        retryAfterMs: wait,
        contact: true,
      };
    }
    if (!error.success) {
      // Not plantflow's answer: a proxy, a gateway or a WAF between the plant and the central site. It says
      // nothing about the events, so they stay in the backlog until someone fixes the path.
      return {
        kind: 'retry',
        reason: `central site answered ${res.status} without plantflow's error body (a proxy or gateway in the way?): ${snippet(res.data)}`,
        retryAfterMs: wait,
        contact: false,
      };
    }
    return { kind: 'refused', status: res.status, code: error.data.code, reason: error.data.message };
  }

  /** Tells the central site the edge's state; throws when it did not take it. */
  async report(report: EdgeReport): Promise<void> {
    const path = `/edges/${encodeURIComponent(report.site)}/${encodeURIComponent(report.edgeId)}`;
    const res = await this.http.put<string>(path, JSON.stringify(report));
    if (res.status >= 300) throw new Error(`central site answered ${res.status} to the edge report: ${res.data}`);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function snippet(text: string): string {
  const flat = String(text ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat || '(empty body)';
}

function header(res: AxiosResponse, name: string): string | undefined {
  const value: unknown = res.headers[name];
  return typeof value === 'string' ? value : undefined;
}

function describe(err: unknown): string {
  if (axios.isAxiosError(err)) return err.code ? `${err.code} ${err.message}` : err.message;
  return err instanceof Error ? err.message : String(err);
}
