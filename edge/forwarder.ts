import type { Logger } from 'pino';
import { backlogBand, type BacklogBand } from '../domain/edge';
import type { EdgeConfig } from '../runtime/config';
import { Backoff } from './backoff';
import type { CentralSite, ForwardResult } from './central';
import type { EdgeMetrics } from './metrics';
import { edgeReport, edgeStatus } from './status';
import type { EdgeStore, StoredEvent } from './store';

const PRUNE_EVERY_MS = 60_000;

/**
 * Sends the backlog to the central site, batch after batch, and takes an event out only once the central
 * site has answered it. Anything else (no link, 5xx, 429, a refused key) leaves the backlog as it is and
 * waits with backoff. A crash between "sent" and "settled" resends the batch: the central site answers
 * those events as duplicates, by eventId.
 */
export class Forwarder {
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  /** A wake-up that came while the loop was busy: the next idle wait does not happen. */
  private woken = false;
  private nextAttemptAt?: Date;
  private lastReportAt = 0;
  private reportedBand?: BacklogBand;
  private lastPruneAt = 0;
  private lastReportError?: string;
  private readonly backoff: Backoff;

  constructor(
    private readonly store: EdgeStore,
    private readonly central: CentralSite,
    private readonly config: EdgeConfig,
    private readonly logger: Logger,
    private readonly metrics: EdgeMetrics,
    private readonly onBacklogChanged: () => void = () => undefined,
  ) {
    this.backoff = new Backoff(config.retryInitialMs, config.retryMaxMs);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Finishes the attempt in flight (its answer is settled) and stops. */
  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
  }

  /** New events were stored: forward now unless waiting out a failure. */
  wake(): void {
    if (this.nextAttemptAt) return;
    this.woken = true;
    this.wakeUp?.();
  }

  get live(): { nextAttemptAt?: string } {
    return { nextAttemptAt: this.nextAttemptAt?.toISOString() };
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.cycle();
      } catch (err) {
        // A store error (disk full, …): nothing was settled; log it and try again after a pause.
        this.logger.error({ err }, 'forwarding cycle failed');
        await this.sleep(this.backoff.next());
      }
    }
  }

  private async cycle(): Promise<void> {
    this.prune();
    this.woken = false; // whatever was stored until now is in this batch
    const batch = this.store.nextBatch(this.config.batchSize);
    if (batch.length === 0) {
      await this.reportIfDue();
      if (!this.woken) await this.sleep(Math.max(0, this.lastReportAt + this.config.reportEveryMs - Date.now()));
      return;
    }
    const failure = await this.forward(batch);
    if (failure) {
      this.metrics.failures.inc();
      const wait = this.backoff.next(failure.retryAfterMs);
      this.store.noteFailure(failure.reason, new Date(), failure.contact);
      this.logger.warn(
        { backlog: this.store.backlog, attempt: this.backoff.attempts, retryInMs: wait },
        `forwarding paused: ${failure.reason}`,
      );
      this.nextAttemptAt = new Date(Date.now() + wait);
      await this.sleep(wait);
      this.nextAttemptAt = undefined;
      return;
    }
    this.backoff.reset();
    await this.reportIfDue();
  }

  /**
   * A report costs the central site a signal on the edge's record: one per heartbeat (reportEveryMs), and
   * one at once when the backlog drains, starts to wait or raises its alarm — not one per batch.
   */
  private async reportIfDue(): Promise<void> {
    const due = Date.now() - this.lastReportAt >= this.config.reportEveryMs;
    if (due || backlogBand(this.store.backlog, this.store.limits) !== this.reportedBand) await this.report();
  }

  /** Forwards one batch; a request refused as a whole is retried event by event, so one bad event stays alone. */
  private async forward(batch: StoredEvent[]): Promise<Extract<ForwardResult, { kind: 'retry' }> | undefined> {
    const result = await this.send(batch);
    if (result.kind === 'retry') return result;
    if (result.kind === 'answered') {
      this.settle(result.answers);
      return undefined;
    }
    if (batch.length === 1) {
      this.settle([{ eventId: batch[0]!.eventId, outcome: 'rejected', code: result.code, reason: result.reason }]);
      return undefined;
    }
    this.logger.warn(
      { status: result.status, code: result.code, events: batch.length },
      'central site refused a batch as a whole; sending its events one by one',
    );
    for (const event of batch) {
      const failure = await this.forward([event]);
      if (failure) return failure;
    }
    return undefined;
  }

  private async send(batch: StoredEvent[]): Promise<ForwardResult> {
    const timer = this.metrics.batchSeconds.startTimer();
    const result = await this.central.forward(batch);
    if (result.kind !== 'retry') timer();
    return result;
  }

  private settle(answers: Parameters<EdgeStore['settle']>[0]): void {
    this.store.settle(answers, new Date());
    this.onBacklogChanged();
    for (const a of answers) this.metrics.forwarded.inc({ outcome: a.outcome });
    const refused = answers.filter((a) => a.outcome === 'rejected');
    if (refused.length > 0) {
      this.logger.warn(
        { refused: refused.map((a) => ({ eventId: a.eventId, code: a.code, reason: a.reason })) },
        `central site refused ${refused.length} event(s); kept at the edge as refusals`,
      );
    }
    this.logger.debug({ answered: answers.length, backlog: this.store.backlog }, 'batch answered');
  }

  /** Tells the central site the edge's state; a failure is only noted (the next heartbeat retries). */
  private async report(): Promise<void> {
    this.lastReportAt = Date.now();
    // Noted when tried: a report the central site refuses is tried again at the heartbeat, not per batch.
    this.reportedBand = backlogBand(this.store.backlog, this.store.limits);
    const now = new Date();
    try {
      await this.central.report(edgeReport(edgeStatus(this.store, this.config, now), now));
      this.store.noteContact(new Date());
      this.lastReportError = undefined;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      // Said once per distinct failure: a refused report (wrong key role) must not hide in debug logs.
      if (message !== this.lastReportError) this.logger.warn({ err: message }, 'edge report not delivered');
      this.lastReportError = message;
      if (this.store.backlog.events === 0) this.store.noteFailure(`edge report not delivered: ${message}`, now, false);
    }
  }

  private prune(): void {
    if (Date.now() - this.lastPruneAt < PRUNE_EVERY_MS) return;
    this.lastPruneAt = Date.now();
    const forgotten = this.store.forgetForwardedBefore(new Date(Date.now() - this.config.rememberForwardedMs));
    if (forgotten > 0) this.logger.debug({ forgotten }, 'forgot forwarded event ids past their retention');
  }

  private sleep(ms: number): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }
}
