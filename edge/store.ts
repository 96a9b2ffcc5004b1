import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  edgeMesEventSchema,
  backlogRefusal,
  planBatch,
  type BacklogLimits,
  type BacklogSize,
  type EdgeMesEvent,
  type PendingEvent,
} from '../domain/edge';
import type { MesEvent } from '../domain/events';

/**
 * The edge's backlog: one SQLite file in WAL mode with synchronous=FULL, so a commit is on disk (the WAL
 * fsynced) before the MES hears "stored". One process writes it; `plantflow edge status` may read it beside.
 */

/** How the edge answered one event the MES reported. */
export type ReceiptAnswer =
  | { outcome: 'stored'; eventId: string; recordedAt: string }
  | { outcome: 'duplicate'; eventId: string }
  /** Refused by the edge (wrong_site, conflicting_resend), or a resend of an event the central site refused. */
  | { outcome: 'rejected'; eventId: string; code: string; reason: string; by: 'edge' | 'central' };

/** What `requeue` did: the refused events back in the backlog, and those asked for that it could not take back. */
export interface RequeueResult {
  requeued: string[];
  skipped: Array<{ eventId: string; reason: string }>;
}

/** How the central site answered one forwarded event. */
export interface CentralAnswer {
  eventId: string;
  outcome: 'accepted' | 'duplicate' | 'buffered' | 'rejected';
  code?: string;
  reason?: string;
}

export interface StoredEvent extends PendingEvent {
  eventId: string;
  site: string;
  orderRef: string;
  body: string;
}

export interface Refusal {
  eventId: string;
  by: 'edge' | 'central';
  code: string;
  reason: string;
  orderRef?: string;
  type?: string;
  effectiveAt?: string;
  receivedAt: string;
  refusedAt: string;
  event: unknown;
}

export interface LinkState {
  lastContactAt?: string;
  lastForwardAt?: string;
  lastError?: string;
  lastErrorAt?: string;
  forwarded: { accepted: number; duplicate: number; refused: number };
  /** Reports the edge refused whole with 507 because the backlog was full. */
  refusedFull: number;
}

/** The backlog cannot take the report: nothing of it was stored. */
export class BacklogFullError extends Error {}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS backlog (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL UNIQUE,
  fingerprint TEXT NOT NULL,
  site TEXT NOT NULL,
  order_ref TEXT NOT NULL,
  type TEXT NOT NULL,
  operation TEXT,
  final INTEGER NOT NULL,
  effective_ms INTEGER NOT NULL,
  effective_at TEXT NOT NULL,
  received_at TEXT NOT NULL,
  body TEXT NOT NULL,
  bytes INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS backlog_by_order ON backlog (site, order_ref, seq);
CREATE TABLE IF NOT EXISTS forwarded (
  event_id TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  outcome TEXT NOT NULL,
  answered_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS forwarded_by_time ON forwarded (answered_ms);
CREATE TABLE IF NOT EXISTS refusals (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT NOT NULL,
  refused_by TEXT NOT NULL,
  code TEXT NOT NULL,
  reason TEXT NOT NULL,
  order_ref TEXT,
  type TEXT,
  effective_at TEXT,
  received_at TEXT NOT NULL,
  refused_at TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS link (name TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

/**
 * One refusal row per event, refuser and code: a resend refused again updates its row. Backlogs written
 * before this kept a row per resend; the newest of each is kept.
 */
const REFUSALS_ONCE = `
DELETE FROM refusals WHERE id NOT IN (SELECT MAX(id) FROM refusals GROUP BY event_id, refused_by, code);
CREATE UNIQUE INDEX IF NOT EXISTS refusals_once ON refusals (event_id, refused_by, code);
`;

/** The event without the edge's own stamp: a resend is the same event when this matches. */
function fingerprint(event: EdgeMesEvent): string {
  const { recordedAt: _stamp, ...rest } = event;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex');
}

/** The backlog row of an event: `body` is what goes to the central site (recordedAt stamped at receipt). */
function backlogRow(
  event: EdgeMesEvent,
  body: string,
  receivedAt: string,
): Record<string, unknown> & { bytes: number } {
  return {
    eventId: event.eventId,
    fingerprint: fingerprint(event),
    site: event.site,
    orderRef: event.correlation.orderRef,
    type: event.type,
    operation: event.correlation.operation ?? null,
    final: event.type === 'OperationCompleted' && event.payload.final ? 1 : 0,
    effectiveMs: Date.parse(event.effectiveAt),
    effectiveAt: event.effectiveAt,
    receivedAt,
    body,
    bytes: Buffer.byteLength(body),
  };
}

interface PendingRow {
  seq: number;
  event_id: string;
  site: string;
  order_ref: string;
  type: MesEvent['type'];
  operation: string | null;
  final: number;
  effective_ms: number;
}

export class EdgeStore {
  private readonly db: Database.Database;
  private size: BacklogSize;

  private constructor(
    readonly file: string,
    readonly site: string,
    readonly limits: BacklogLimits,
    readonly: boolean,
  ) {
    if (!readonly) mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file, { readonly, fileMustExist: readonly });
    if (!readonly) {
      this.db.pragma('journal_mode = WAL');
      // FULL: the WAL is fsynced at every commit, so "stored" survives a power cut, not only a crash.
      this.db.pragma('synchronous = FULL');
      this.db.exec(SCHEMA);
      this.db.exec(REFUSALS_ONCE);
    }
    this.db.pragma('busy_timeout = 5000');
    const row = this.db.prepare('SELECT COUNT(*) AS events, COALESCE(SUM(bytes), 0) AS bytes FROM backlog').get() as
      BacklogSize | undefined;
    this.size = { events: row?.events ?? 0, bytes: row?.bytes ?? 0 };
  }

  static open(file: string, site: string, limits: BacklogLimits): EdgeStore {
    return new EdgeStore(file, site, limits, false);
  }

  /** For `plantflow edge status` beside a running edge: reads only. */
  static openReadOnly(file: string, site: string, limits: BacklogLimits): EdgeStore {
    return new EdgeStore(file, site, limits, true);
  }

  close(): void {
    this.db.close();
  }

  get backlog(): BacklogSize {
    return { ...this.size };
  }

  /**
   * Stores what the MES reported, in one transaction: when this returns, every `stored` event is on disk.
   * A resend of a known event is a duplicate; the same id with other content is refused, as is an event
   * for another plant. Throws BacklogFullError (nothing stored) when the new events do not fit.
   */
  receive(events: EdgeMesEvent[], receivedAt: Date): ReceiptAnswer[] {
    const at = receivedAt.toISOString();
    const known = this.db.prepare<[{ id: string }], { fingerprint: string; outcome: string | null }>(
      `SELECT fingerprint, NULL AS outcome FROM backlog WHERE event_id = @id
       UNION ALL SELECT fingerprint, outcome FROM forwarded WHERE event_id = @id`,
    );
    const centralRefusal = this.db.prepare<[string], { code: string; reason: string }>(
      "SELECT code, reason FROM refusals WHERE event_id = ? AND refused_by = 'central' ORDER BY id DESC LIMIT 1",
    );
    const insert = this.db.prepare(
      `INSERT INTO backlog (event_id, fingerprint, site, order_ref, type, operation, final, effective_ms, effective_at, received_at, body, bytes)
       VALUES (@eventId, @fingerprint, @site, @orderRef, @type, @operation, @final, @effectiveMs, @effectiveAt, @receivedAt, @body, @bytes)`,
    );
    const run = this.db.transaction((): { answers: ReceiptAnswer[]; incoming: BacklogSize } => {
      const seen = new Map<string, string>();
      const answers: ReceiptAnswer[] = [];
      const rows: Array<Record<string, unknown> & { bytes: number }> = [];
      const refused: Array<{ event: EdgeMesEvent; code: string; reason: string }> = [];
      for (const event of events) {
        const fp = fingerprint(event);
        const stored = known.get({ id: event.eventId });
        const earlier = seen.get(event.eventId) ?? stored?.fingerprint;
        const refusal = (code: string, reason: string, by: 'edge' | 'central' = 'edge') =>
          answers.push({ outcome: 'rejected', eventId: event.eventId, code, reason, by });
        if (event.site !== this.site) {
          const reason = `event is for plant ${event.site}; this edge serves plant ${this.site}`;
          refusal('wrong_site', reason);
          refused.push({ event, code: 'wrong_site', reason });
        } else if (earlier !== undefined && earlier !== fp) {
          const reason = `event ${event.eventId} was already reported with different content; a resend must repeat it unchanged`;
          refusal('conflicting_resend', reason);
          refused.push({ event, code: 'conflicting_resend', reason });
        } else if (stored?.outcome === 'rejected' && !seen.has(event.eventId)) {
          // The central site refused it: the resend hears that refusal, not "duplicate" (kept once already).
          const kept = centralRefusal.get(event.eventId);
          refusal(kept?.code ?? 'rejected', kept?.reason ?? 'refused by the central site', 'central');
        } else if (earlier !== undefined) {
          answers.push({ outcome: 'duplicate', eventId: event.eventId });
        } else {
          seen.set(event.eventId, fp);
          rows.push(backlogRow(event, JSON.stringify({ ...event, recordedAt: at }), at));
          answers.push({ outcome: 'stored', eventId: event.eventId, recordedAt: at });
        }
      }
      const incoming = { events: rows.length, bytes: rows.reduce((n, r) => n + r.bytes, 0) };
      const full = backlogRefusal(this.size, incoming, this.limits);
      if (full) throw new BacklogFullError(full);
      for (const row of rows) insert.run(row);
      for (const r of refused) this.recordRefusal('edge', r.code, r.reason, r.event, at, at);
      return { answers, incoming };
    });
    const { answers, incoming } = run.immediate();
    this.size = { events: this.size.events + incoming.events, bytes: this.size.bytes + incoming.bytes };
    return answers;
  }

  /** Counts a report refused whole because the backlog was full (it was answered 507). */
  noteRefusedFull(): void {
    this.updateLink((s) => ({ ...s, refusedFull: s.refusedFull + 1 }));
  }

  /** The next events to forward: see planBatch. */
  nextBatch(size: number): StoredEvent[] {
    const orders = this.db
      .prepare<[number], { site: string; order_ref: string }>(
        'SELECT site, order_ref, MIN(seq) AS oldest FROM backlog GROUP BY site, order_ref ORDER BY oldest LIMIT ?',
      )
      .all(size);
    const ofOrder = this.db.prepare<[string, string], PendingRow>(
      'SELECT seq, event_id, site, order_ref, type, operation, final, effective_ms FROM backlog WHERE site = ? AND order_ref = ?',
    );
    const pending = orders.map(({ site, order_ref }) =>
      ofOrder.all(site, order_ref).map((r): Omit<StoredEvent, 'body'> => ({
        seq: r.seq,
        eventId: r.event_id,
        site: r.site,
        orderRef: r.order_ref,
        type: r.type,
        operation: r.operation ?? undefined,
        final: r.final === 1,
        effectiveMs: r.effective_ms,
      })),
    );
    const batch = planBatch(pending, size);
    const body = this.db.prepare<[number], { body: string }>('SELECT body FROM backlog WHERE seq = ?');
    return batch.map((e) => ({ ...e, body: body.get(e.seq)!.body }));
  }

  /**
   * Takes answered events out of the backlog, in one transaction with the record of their answer (kept
   * for the MES's resends) and, for a refusal, the event itself where an operator can find it.
   */
  settle(answers: CentralAnswer[], at: Date): void {
    const when = at.toISOString();
    const row = this.db.prepare<
      [string],
      {
        fingerprint: string;
        body: string;
        bytes: number;
        order_ref: string;
        type: string;
        effective_at: string;
        received_at: string;
      }
    >('SELECT fingerprint, body, bytes, order_ref, type, effective_at, received_at FROM backlog WHERE event_id = ?');
    const remove = this.db.prepare('DELETE FROM backlog WHERE event_id = ?');
    const remember = this.db.prepare(
      'INSERT OR REPLACE INTO forwarded (event_id, fingerprint, outcome, answered_ms) VALUES (?, ?, ?, ?)',
    );
    const run = this.db.transaction(() => {
      let events = 0;
      let bytes = 0;
      const counts = { accepted: 0, duplicate: 0, refused: 0 };
      for (const answer of answers) {
        const stored = row.get(answer.eventId);
        if (!stored) continue; // answered twice in one batch, or settled before a crash
        remove.run(answer.eventId);
        remember.run(answer.eventId, stored.fingerprint, answer.outcome, at.getTime());
        events += 1;
        bytes += stored.bytes;
        if (answer.outcome === 'rejected') {
          counts.refused += 1;
          this.recordRefusal(
            'central',
            answer.code ?? 'rejected',
            answer.reason ?? 'refused by the central site',
            JSON.parse(stored.body) as unknown,
            stored.received_at,
            when,
          );
        } else if (answer.outcome === 'duplicate') counts.duplicate += 1;
        else counts.accepted += 1;
      }
      this.updateLink((s) => ({
        ...s,
        lastContactAt: when,
        lastForwardAt: when,
        lastError: undefined,
        lastErrorAt: undefined,
        forwarded: {
          accepted: s.forwarded.accepted + counts.accepted,
          duplicate: s.forwarded.duplicate + counts.duplicate,
          refused: s.forwarded.refused + counts.refused,
        },
      }));
      return { events, bytes };
    });
    const removed = run.immediate();
    this.size = { events: this.size.events - removed.events, bytes: this.size.bytes - removed.bytes };
  }

  /** The central site could not be reached or did not take the batch. */
  noteFailure(message: string, at: Date, contact: boolean): void {
    const when = at.toISOString();
    this.updateLink((s) => ({
      ...s,
      lastError: message.slice(0, 500),
      lastErrorAt: when,
      lastContactAt: contact ? when : s.lastContactAt,
    }));
  }

  /** The central site took the edge's report. */
  noteContact(at: Date): void {
    this.updateLink((s) => ({ ...s, lastContactAt: at.toISOString(), lastError: undefined, lastErrorAt: undefined }));
  }

  /**
   * Puts events the central site refused back in the backlog, once the cause is fixed (a central bug, master
   * data set up late): chosen by event id, by refusal code, or both. Each goes back with its first receipt
   * and the MES's content as it was stored; its refusal record is removed. Events the edge itself refused
   * (wrong_site, conflicting_resend) are the MES's to report again, so they are skipped with the reason.
   * Throws BacklogFullError (nothing requeued) when they do not fit.
   */
  requeue(which: { eventIds?: string[]; code?: string }): RequeueResult {
    const clauses: string[] = [];
    const params: string[] = [];
    if (which.eventIds?.length) {
      clauses.push(`event_id IN (${which.eventIds.map(() => '?').join(',')})`);
      params.push(...which.eventIds);
    }
    if (which.code) {
      clauses.push('code = ?');
      params.push(which.code);
    }
    if (clauses.length === 0) throw new Error('requeue needs event ids or a refusal code');
    const found = this.db
      .prepare<
        string[],
        {
          id: number;
          event_id: string;
          refused_by: 'edge' | 'central';
          code: string;
          body: string;
          received_at: string;
        }
      >(
        `SELECT id, event_id, refused_by, code, body, received_at FROM refusals WHERE ${clauses.join(' AND ')} ORDER BY id`,
      )
      .all(...params);
    const inBacklog = this.db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM backlog WHERE event_id = ?');
    const insert = this.db.prepare(
      `INSERT INTO backlog (event_id, fingerprint, site, order_ref, type, operation, final, effective_ms, effective_at, received_at, body, bytes)
       VALUES (@eventId, @fingerprint, @site, @orderRef, @type, @operation, @final, @effectiveMs, @effectiveAt, @receivedAt, @body, @bytes)`,
    );
    const run = this.db.transaction((): RequeueResult & { incoming: BacklogSize } => {
      const skipped: RequeueResult['skipped'] = [];
      const rows = new Map<string, Record<string, unknown> & { bytes: number }>();
      for (const r of found) {
        if (r.refused_by === 'edge') {
          skipped.push({
            eventId: r.event_id,
            reason: `refused by the edge (${r.code}): the MES must report it again, corrected`,
          });
          continue;
        }
        if (rows.has(r.event_id)) continue;
        if (inBacklog.get(r.event_id)!.n > 0) {
          skipped.push({ eventId: r.event_id, reason: 'already waiting in the backlog' });
          continue;
        }
        const parsed = edgeMesEventSchema.safeParse(JSON.parse(r.body));
        if (!parsed.success) {
          skipped.push({
            eventId: r.event_id,
            reason: `the kept event no longer reads as an MES event: ${parsed.error.message}`,
          });
          continue;
        }
        rows.set(r.event_id, backlogRow(parsed.data, r.body, r.received_at));
      }
      for (const id of which.eventIds ?? []) {
        if (!found.some((r) => r.event_id === id))
          skipped.push({ eventId: id, reason: 'no refusal kept for this event' });
      }
      const incoming = { events: rows.size, bytes: [...rows.values()].reduce((n, r) => n + r.bytes, 0) };
      const full = backlogRefusal(this.size, incoming, this.limits);
      if (full) throw new BacklogFullError(full);
      const forget = this.db.prepare('DELETE FROM forwarded WHERE event_id = ?');
      const unrefuse = this.db.prepare("DELETE FROM refusals WHERE event_id = ? AND refused_by = 'central'");
      for (const [eventId, row] of rows) {
        insert.run(row);
        forget.run(eventId);
        unrefuse.run(eventId);
      }
      return { requeued: [...rows.keys()], skipped, incoming };
    });
    const { requeued, skipped, incoming } = run.immediate();
    this.size = { events: this.size.events + incoming.events, bytes: this.size.bytes + incoming.bytes };
    return { requeued, skipped };
  }

  /** Forgets forwarded event ids older than the retention (their resends would reach the central dedup). */
  forgetForwardedBefore(at: Date): number {
    return this.db.prepare('DELETE FROM forwarded WHERE answered_ms < ?').run(at.getTime()).changes;
  }

  link(): LinkState {
    const row = this.db.prepare<[], { value: string }>("SELECT value FROM link WHERE name = 'state'").get();
    const empty: LinkState = { forwarded: { accepted: 0, duplicate: 0, refused: 0 }, refusedFull: 0 };
    return row ? { ...empty, ...(JSON.parse(row.value) as Partial<LinkState>) } : empty;
  }

  oldest(): { receivedAt?: string; effectiveAt?: string; orders: number } {
    const received = this.db
      .prepare<[], { received_at: string }>('SELECT received_at FROM backlog ORDER BY seq LIMIT 1')
      .get();
    const effective = this.db
      .prepare<[], { effective_at: string }>('SELECT effective_at FROM backlog ORDER BY effective_ms LIMIT 1')
      .get();
    const orders = this.db
      .prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM (SELECT 1 FROM backlog GROUP BY site, order_ref)')
      .get()!.n;
    return { receivedAt: received?.received_at, effectiveAt: effective?.effective_at, orders };
  }

  refusalCount(): number {
    return this.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM refusals').get()!.n;
  }

  /** Newest first. */
  refusals(limit: number): Refusal[] {
    type Row = {
      event_id: string;
      refused_by: 'edge' | 'central';
      code: string;
      reason: string;
      order_ref: string | null;
      type: string | null;
      effective_at: string | null;
      received_at: string;
      refused_at: string;
      body: string;
    };
    return this.db
      .prepare<[number], Row>('SELECT * FROM refusals ORDER BY refused_at DESC, id DESC LIMIT ?')
      .all(limit)
      .map((r) => ({
        eventId: r.event_id,
        by: r.refused_by,
        code: r.code,
        reason: r.reason,
        orderRef: r.order_ref ?? undefined,
        type: r.type ?? undefined,
        effectiveAt: r.effective_at ?? undefined,
        receivedAt: r.received_at,
        refusedAt: r.refused_at,
        event: JSON.parse(r.body) as unknown,
      }));
  }

  private recordRefusal(
    by: 'edge' | 'central',
    code: string,
    reason: string,
    event: unknown,
    receivedAt: string,
    refusedAt: string,
  ): void {
    const e = event as Partial<MesEvent>;
    this.db
      .prepare(
        `INSERT INTO refusals (event_id, refused_by, code, reason, order_ref, type, effective_at, received_at, refused_at, body)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (event_id, refused_by, code) DO UPDATE SET
           reason = excluded.reason, refused_at = excluded.refused_at, body = excluded.body`,
      )
      .run(
        e.eventId ?? '',
        by,
        code,
        reason,
        e.correlation?.orderRef ?? null,
        e.type ?? null,
        e.effectiveAt ?? null,
        receivedAt,
        refusedAt,
        JSON.stringify(event),
      );
  }

  private updateLink(change: (state: LinkState) => LinkState): void {
    const next = change(this.link());
    this.db.prepare("INSERT OR REPLACE INTO link (name, value) VALUES ('state', ?)").run(JSON.stringify(next));
  }
}
