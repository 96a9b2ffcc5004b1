import { backlogFill, BACKLOG_ALARM_RATIO, type EdgeReport } from '../domain/edge';
import type { EdgeConfig } from '../runtime/config';
import type { EdgeStore, Refusal } from './store';

/** What an operator at the plant asks the edge (GET /edge/status, `plantflow edge status`). */
export interface EdgeStatus {
  edgeId: string;
  site: string;
  central: {
    url: string;
    lastContactAt?: string;
    lastForwardAt?: string;
    lastError?: string;
    lastErrorAt?: string;
    /** Only from the running edge: when it tries again after a failure. */
    nextAttemptAt?: string;
  };
  backlog: {
    events: number;
    bytes: number;
    maxEvents: number;
    maxBytes: number;
    fillPercent: number;
    alarm: boolean;
    orders: number;
    oldestReceivedAt?: string;
    oldestAgeSeconds?: number;
    oldestEffectiveAt?: string;
  };
  forwarded: { accepted: number; duplicate: number; refused: number };
  refusals: { total: number; backlogFull: number; recent: Refusal[] };
}

export function edgeStatus(
  store: EdgeStore,
  config: EdgeConfig,
  now: Date,
  live: { nextAttemptAt?: string } = {},
): EdgeStatus {
  const link = store.link();
  const size = store.backlog;
  const oldest = store.oldest();
  const fill = backlogFill(size, store.limits);
  return {
    edgeId: config.id,
    site: config.site,
    central: {
      url: config.centralUrl,
      lastContactAt: link.lastContactAt,
      lastForwardAt: link.lastForwardAt,
      lastError: link.lastError,
      lastErrorAt: link.lastErrorAt,
      nextAttemptAt: live.nextAttemptAt,
    },
    backlog: {
      ...size,
      ...store.limits,
      fillPercent: Math.round(fill * 1000) / 10,
      alarm: fill >= BACKLOG_ALARM_RATIO,
      orders: oldest.orders,
      oldestReceivedAt: oldest.receivedAt,
      oldestAgeSeconds: oldest.receivedAt
        ? Math.max(0, Math.round((now.getTime() - Date.parse(oldest.receivedAt)) / 1000))
        : undefined,
      oldestEffectiveAt: oldest.effectiveAt,
    },
    forwarded: link.forwarded,
    refusals: { total: store.refusalCount(), backlogFull: link.refusedFull, recent: store.refusals(20) },
  };
}

/** The part of the status the central site keeps for each edge. */
export function edgeReport(status: EdgeStatus, now: Date): EdgeReport {
  const { backlog } = status;
  return {
    edgeId: status.edgeId,
    site: status.site,
    reportedAt: now.toISOString(),
    backlog: {
      events: backlog.events,
      bytes: backlog.bytes,
      maxEvents: backlog.maxEvents,
      maxBytes: backlog.maxBytes,
      oldestReceivedAt: backlog.oldestReceivedAt,
      oldestEffectiveAt: backlog.oldestEffectiveAt,
      alarm: backlog.alarm,
    },
    forwarded: status.forwarded,
    refusals: status.refusals.total,
    lastError: status.central.lastError?.slice(0, 500),
  };
}

/** The status for a person at a terminal. */
export function describeEdgeStatus(s: EdgeStatus): string {
  const age = (iso?: string) => (iso ? `${iso}` : 'never');
  const lines = [
    `edge ${s.edgeId} (plant ${s.site}) → ${s.central.url}`,
    `  backlog      ${s.backlog.events} event(s) of ${s.backlog.orders} order(s), ${s.backlog.bytes} bytes — ${s.backlog.fillPercent} % full${s.backlog.alarm ? '  ⚠ ALARM (80 %)' : ''}`,
    `  oldest       ${s.backlog.oldestReceivedAt ? `received ${s.backlog.oldestReceivedAt} (${s.backlog.oldestAgeSeconds} s ago), effective ${s.backlog.oldestEffectiveAt}` : '—'}`,
    `  last contact ${age(s.central.lastContactAt)}   last forward ${age(s.central.lastForwardAt)}`,
    ...(s.central.lastError ? [`  last error   ${s.central.lastErrorAt}: ${s.central.lastError}`] : []),
    ...(s.central.nextAttemptAt ? [`  next attempt ${s.central.nextAttemptAt}`] : []),
    `  forwarded    ${s.forwarded.accepted} accepted, ${s.forwarded.duplicate} duplicate, ${s.forwarded.refused} refused by the central site`,
    `  refusals     ${s.refusals.total} kept at the edge; ${s.refusals.backlogFull} report(s) refused with 507 (backlog full)`,
    ...s.refusals.recent
      .slice(0, 5)
      .map((r) => `    ${r.refusedAt} ${r.by} ${r.code} ${r.orderRef ?? ''} ${r.type ?? ''} ${r.eventId}: ${r.reason}`),
  ];
  return lines.join('\n');
}
