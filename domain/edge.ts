import { z } from 'zod';
import {
  materialConsumedSchema,
  materialProducedSchema,
  mesReportSchema,
  operationCompletedSchema,
  operationStartedSchema,
  type MesEvent,
} from './events';
import { edgeIdSchema, siteSchema } from './ids';

/**
 * The plant edge (edge/): the MES reports to it with the central contract, it keeps every event durably and
 * forwards it to the central API. These are its pure rules: what it accepts, in which order it forwards,
 * how full its backlog may get, and what it tells the central site about itself.
 */

/** The edge stamps recordedAt on receipt, so the MES may leave it out; everything else is the central contract. */
const stampedAtTheEdge = { recordedAt: z.iso.datetime({ offset: true }).optional() };
export const edgeMesEventSchema = z.discriminatedUnion('type', [
  operationStartedSchema.extend(stampedAtTheEdge),
  operationCompletedSchema.extend(stampedAtTheEdge),
  materialConsumedSchema.extend(stampedAtTheEdge),
  materialProducedSchema.extend(stampedAtTheEdge),
]);
export const edgeMesReportSchema = mesReportSchema(edgeMesEventSchema);
export type EdgeMesEvent = z.infer<typeof edgeMesEventSchema>;
export type EdgeMesEventInput = z.input<typeof edgeMesEventSchema>;

/** What the forwarder needs to know of a stored event to place it. */
export interface PendingEvent {
  /** Receipt order at the edge: the last tie-breaker. */
  seq: number;
  effectiveMs: number;
  type: MesEvent['type'];
  operation?: string;
  /** OperationCompleted only: the MES says the operation is done. */
  final?: boolean;
}

// Same instant: start, then consumption, then production, then completion (how the work happens).
const SAME_INSTANT_RANK: Record<MesEvent['type'], number> = {
  OperationStarted: 0,
  MaterialConsumed: 1,
  MaterialProduced: 2,
  OperationCompleted: 3,
};

/**
 * The order in which one order's stored events go to the central site: effectiveAt order, except that a
 * consumption never follows the final completion of its own operation (one without an operation never
 * follows any final completion). The order process needs the material before the confirmation that
 * finishes the operation, and perhaps the order, after which it refuses more; a backflushing MES often
 * stamps the consumption a moment after that completion. Partial completions keep their place.
 */
export function forwardingSequence<T extends PendingEvent>(events: readonly T[]): T[] {
  const sorted = [...events].sort(
    (a, b) => a.effectiveMs - b.effectiveMs || SAME_INSTANT_RANK[a.type] - SAME_INSTANT_RANK[b.type] || a.seq - b.seq,
  );
  const finalOf = new Map<string, T>();
  let firstFinal: T | undefined;
  const pulledForward = new Map<T, T[]>();
  const moved = new Set<T>();
  for (const e of sorted) {
    if (e.type === 'OperationCompleted' && e.final) {
      if (e.operation !== undefined && !finalOf.has(e.operation)) finalOf.set(e.operation, e);
      firstFinal ??= e;
    } else if (e.type === 'MaterialConsumed') {
      const anchor = e.operation !== undefined ? finalOf.get(e.operation) : firstFinal;
      if (anchor) {
        pulledForward.set(anchor, [...(pulledForward.get(anchor) ?? []), e]);
        moved.add(e);
      }
    }
  }
  return sorted.flatMap((e) => (moved.has(e) ? [] : [...(pulledForward.get(e) ?? []), e]));
}

/**
 * The next batch: whole orders' sequences, oldest receipt first, each order's events a prefix of its
 * forwarding sequence so the central site sees every order in the order it needs.
 */
export function planBatch<T extends PendingEvent>(byOrder: ReadonlyArray<readonly T[]>, size: number): T[] {
  const orders = byOrder
    .filter((events) => events.length > 0)
    .map((events) => ({
      oldest: events.reduce((m, e) => Math.min(m, e.seq), Infinity),
      sequence: forwardingSequence(events),
    }))
    .sort((a, b) => a.oldest - b.oldest);
  const batch: T[] = [];
  for (const { sequence } of orders) {
    if (batch.length >= size) break;
    batch.push(...sequence.slice(0, size - batch.length));
  }
  return batch;
}

export interface BacklogSize {
  events: number;
  bytes: number;
}
export interface BacklogLimits {
  maxEvents: number;
  maxBytes: number;
}

/** The share of the backlog at which the edge raises its alarm. */
export const BACKLOG_ALARM_RATIO = 0.8;

/** Why `incoming` does not fit in the backlog, or undefined when it does. Refused whole: never half a batch. */
export function backlogRefusal(current: BacklogSize, incoming: BacklogSize, limits: BacklogLimits): string | undefined {
  if (current.events + incoming.events > limits.maxEvents) {
    return `the edge backlog is full: ${current.events} of ${limits.maxEvents} events waiting for the central site, ${incoming.events} more do not fit`;
  }
  if (current.bytes + incoming.bytes > limits.maxBytes) {
    return `the edge backlog is full: ${current.bytes} of ${limits.maxBytes} bytes waiting for the central site, ${incoming.bytes} more do not fit`;
  }
  return undefined;
}

/** How full the backlog is, 0..1, by whichever limit is closer. */
export function backlogFill(current: BacklogSize, limits: BacklogLimits): number {
  return Math.max(current.events / limits.maxEvents, current.bytes / limits.maxBytes);
}

/**
 * The backlog's state as the central site needs to know it at once rather than at the next heartbeat:
 * drained, events waiting, or the alarm up.
 */
export type BacklogBand = 'empty' | 'waiting' | 'alarm';

export function backlogBand(current: BacklogSize, limits: BacklogLimits): BacklogBand {
  if (current.events === 0) return 'empty';
  return backlogFill(current, limits) >= BACKLOG_ALARM_RATIO ? 'alarm' : 'waiting';
}

const isoTimestamp = z.iso.datetime({ offset: true });
const count = z.number().int().min(0);

/** What an edge tells the central site about itself: at each heartbeat, and when its backlog band changes. */
export const edgeReportSchema = z.object({
  edgeId: edgeIdSchema,
  site: siteSchema,
  reportedAt: isoTimestamp,
  backlog: z.object({
    events: count,
    bytes: count,
    maxEvents: count,
    maxBytes: count,
    oldestReceivedAt: isoTimestamp.optional(),
    oldestEffectiveAt: isoTimestamp.optional(),
    /** At or above BACKLOG_ALARM_RATIO of a limit. */
    alarm: z.boolean(),
  }),
  forwarded: z.object({ accepted: count, duplicate: count, refused: count }),
  /** Events kept at the edge because they were refused (by the edge or the central site). */
  refusals: count,
  lastError: z.string().max(500).optional(),
});
export type EdgeReport = z.infer<typeof edgeReportSchema>;

/** An edge's last report as the central site keeps it: with the central clock's time of receipt. */
export interface EdgeContact extends EdgeReport {
  lastContactAt: string;
}

/** An edge as the central site judges it: silent past `silentAfterMs`, or with its backlog alarm up. */
export interface EdgeHealth extends EdgeContact {
  state: 'ok' | 'silent' | 'backlog_alarm';
  silentForSeconds: number;
}

export function edgeHealth(contact: EdgeContact, nowMs: number, silentAfterMs: number): EdgeHealth {
  const silentMs = Math.max(0, nowMs - Date.parse(contact.lastContactAt));
  const state = silentMs > silentAfterMs ? 'silent' : contact.backlog.alarm ? 'backlog_alarm' : 'ok';
  return { ...contact, state, silentForSeconds: Math.round(silentMs / 1000) };
}
