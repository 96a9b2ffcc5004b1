import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  WorkflowNotFoundError,
  type Client,
} from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { PlantflowInputError } from './errors';
import {
  RECONCILE_WORKFLOW_TYPE,
  reconciliationScheduleId,
  type ReconcileInput,
  type ReconcileOutcome,
} from '../workflows/messages/reconciliation';
import { SiteAttr } from '../workflows/search-attributes';
import { TaskQueue } from '../workflows/task-queues';

export interface ReconcileSettings {
  interval: string;
  lookback: string;
  autoReapply: boolean;
  paused: boolean;
}

export interface ReconciliationStatus {
  site: string;
  scheduleId: string;
  paused: boolean;
  note?: string;
  interval: string;
  runsTaken: number;
  skippedOverlapping: number;
  running: string[];
  nextRunAt?: string;
  /** The last few runs: when, the run's id, and its outcome once it has ended. */
  recent: { at: string; workflowId: string; outcome?: ReconcileOutcome; status?: string }[];
}

/**
 * A site's reconciliation schedule: created when the workers start (interval from config, a run that would
 * overlap the previous one is skipped), paused, resumed and triggered by operators from the CLI or the Web UI.
 */
export class ReconciliationClient {
  constructor(
    private readonly temporal: Client,
    private readonly settings: ReconcileSettings,
  ) {}

  private input(site: string): ReconcileInput {
    const { lookback, autoReapply } = this.settings;
    return { site, lookback, autoReapply };
  }

  /** Creates the schedule, or brings an existing one to the configured interval (its paused state is kept). */
  async ensureSchedule(site: string): Promise<'created' | 'updated'> {
    const scheduleId = reconciliationScheduleId(site);
    const action = {
      type: 'startWorkflow' as const,
      workflowType: RECONCILE_WORKFLOW_TYPE,
      workflowId: scheduleId,
      taskQueue: TaskQueue.workflows,
      args: [this.input(site)],
      typedSearchAttributes: [{ key: SiteAttr, value: site }],
      staticSummary: `Reconcile site ${site} with Odoo and SAP`,
    };
    const spec = { intervals: [{ every: this.settings.interval as Duration }] };
    try {
      await this.temporal.schedule.create({
        scheduleId,
        spec,
        action,
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
        state: this.settings.paused ? { paused: true, note: 'created paused (PLANTFLOW_RECONCILE_PAUSED)' } : {},
      });
      return 'created';
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    }
    await this.temporal.schedule.getHandle(scheduleId).update((previous) => ({
      ...previous,
      spec,
      action: { ...previous.action, ...action },
      policies: { ...previous.policies, overlap: ScheduleOverlapPolicy.SKIP },
    }));
    return 'updated';
  }

  /** Runs now (skipped when a run is still going: two runs would report the same drift twice). */
  async run(site: string): Promise<void> {
    await this.handle(site, (h) => h.trigger(ScheduleOverlapPolicy.SKIP));
  }

  async pause(site: string, note: string): Promise<void> {
    await this.handle(site, (h) => h.pause(note));
  }

  async resume(site: string, note: string): Promise<void> {
    await this.handle(site, (h) => h.unpause(note));
  }

  async status(site: string, recent = 5): Promise<ReconciliationStatus> {
    const d = await this.handle(site, (h) => h.describe());
    const every = d.spec.intervals?.[0]?.every;
    const actions = d.info.recentActions.slice(-recent).reverse();
    return {
      site,
      scheduleId: reconciliationScheduleId(site),
      paused: d.state.paused,
      note: d.state.note,
      interval: typeof every === 'number' ? `${every / 1000} s` : String(every ?? ''),
      runsTaken: d.info.numActionsTaken,
      skippedOverlapping: d.info.numActionsSkippedOverlap,
      running: d.info.runningActions.map((a) => a.workflow.workflowId),
      nextRunAt: d.info.nextActionTimes[0]?.toISOString(),
      recent: await Promise.all(
        actions.map(async (a) => ({
          at: a.takenAt.toISOString(),
          workflowId: a.action.workflow.workflowId,
          ...(await this.outcome(a.action.workflow.workflowId, a.action.workflow.firstExecutionRunId)),
        })),
      ),
    };
  }

  private async outcome(workflowId: string, runId: string): Promise<{ outcome?: ReconcileOutcome; status?: string }> {
    try {
      const handle = this.temporal.workflow.getHandle<(i: ReconcileInput) => Promise<ReconcileOutcome>>(
        workflowId,
        runId,
      );
      const { status } = await handle.describe();
      if (status.name !== 'COMPLETED') return { status: status.name };
      return { status: status.name, outcome: await handle.result() };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return { status: 'gone from retention' };
      throw err;
    }
  }

  private async handle<T>(
    site: string,
    act: (h: ReturnType<Client['schedule']['getHandle']>) => Promise<T>,
  ): Promise<T> {
    try {
      return await act(this.temporal.schedule.getHandle(reconciliationScheduleId(site)));
    } catch (err) {
      if (err instanceof ScheduleNotFoundError)
        throw new PlantflowInputError(
          `site ${site} has no reconciliation schedule: the workers create it when they start`,
          [],
        );
      throw err;
    }
  }
}
