import { randomBytes } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { ncrWorkflowId } from '../domain/ids';
import type { NcrPolicyOverrides, RootCause } from '../domain/ncr';
import type { DispositionLine, DispositionRequest } from '../domain/ncr-dispositions';
import {
  confirmExecutionBodySchema,
  dispositionBodySchema,
  ncrOpenSchema,
  personReasonSchema,
  rootCauseBodySchema,
  type NcrOpenInput,
} from '../domain/ncr-requests';
import { qty } from '../domain/quantity';
import type { VerifiedSigner } from '../domain/signature';
import type { NcrStart } from '../domain/starts';
import type { RetryTuning } from '../domain/tuning';
import { resolveParkedStepUpdate, type ResolveParkedStepRequest } from '../workflows/messages/shared';
import {
  closeNcrUpdate,
  coSignNcrDispositionUpdate,
  confirmNcrExecutionUpdate,
  dispositionNcrUpdate,
  NCR_WORKFLOW_TYPE,
  ncrStatusQuery,
  recordNcrRootCauseUpdate,
  rerunNcrContainmentUpdate,
  withdrawNcrDispositionUpdate,
  type NcrContainmentRequest,
  type NcrExecutionConfirmation,
  type NcrLineDecisionRequest,
  type NcrRootCauseRequest,
  type NcrWorkflowInput,
} from '../workflows/messages/ncr';
import type { nonconformance } from '../workflows/nonconformance';
import type { NcrView } from '../workflows/nonconformance/state';
import {
  LotIdAttr,
  MaterialAttr,
  NcrStatusAttr,
  OrderRefAttr,
  OverdueAttr,
  SiteAttr,
} from '../workflows/search-attributes';
import { TaskQueue } from '../workflows/task-queues';
import { PlantflowInputError } from './errors';
import { listRuns, type VisibilityCondition } from './visibility';

import { withRealEnd, type StatusReport } from './run-end';

export type NcrStatusReport = StatusReport<NcrView>;

export interface NcrClientOptions {
  /** Retry tuning passed to new NCR runs (tests shorten it). */
  tuning?: Partial<RetryTuning>;
  /** SLA and CAPA policy for new NCR runs (default: domain/ncr.ts DEFAULT_NCR_POLICY). */
  policy?: NcrPolicyOverrides;
  maxHistoryEvents?: number;
}

export interface NcrSummary {
  ncrId: string;
  workflowId: string;
  status?: string;
  material?: string;
  lotId?: string;
  overdue?: boolean;
  startedAt: string;
  running: boolean;
}

/** `NCR-20261123-7F3A9C`: readable, sortable by day, unique enough for one plant. */
export function newNcrId(now = new Date()): string {
  return `NCR-${now.toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(3).toString('hex').toUpperCase()}`;
}

/** The validated opening request as the workflow's start input. */
export function ncrStartFrom(input: NcrOpenInput, ncrId = newNcrId()): NcrStart {
  const parsed = ncrOpenSchema.safeParse(input);
  if (!parsed.success) throw PlantflowInputError.fromZod('nonconformance', parsed.error);
  const n = parsed.data;
  const lots = n.lots.map((l) => ({
    material: l.material ?? n.material,
    lotId: l.lotId,
    quantity: l.quantity,
    ...(l.wip ? { wip: true } : {}),
    ...(l.storageLocation ? { storageLocation: l.storageLocation } : {}),
  }));
  return {
    ncrId: n.ncrId ?? ncrId,
    source: n.source,
    severity: n.severity,
    site: n.site,
    material: n.material,
    lots,
    quantity:
      n.quantity ??
      qty.sum(
        lots.map((l) => l.quantity),
        lots[0]!.quantity.uom,
      ),
    description: n.description,
    raisedBy: n.raisedBy,
    orderRef: n.orderRef,
    erp: n.erp,
    operation: n.operation,
    inspection: n.inspection,
    openedAt: n.openedAt,
  };
}

function parse<T>(
  what: string,
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: import('zod').ZodError } },
  value: unknown,
): T {
  const r = schema.safeParse(value);
  if (!r.success) throw PlantflowInputError.fromZod(what, r.error);
  return r.data;
}

/** Typed access to nonconformance runs: open, decide (signed), co-sign, root cause, close, status. */
export class NcrClient {
  constructor(
    private readonly client: Client,
    private readonly options: NcrClientOptions = {},
  ) {}

  /** Validates the request (bad input starts nothing), then starts `ncr:<id>`; an id already used is refused. */
  async open(input: NcrOpenInput): Promise<{ ncrId: string; workflowId: string }> {
    const start = ncrStartFrom(input);
    const { workflowId } = await this.openStart(start, { existing: 'fail' });
    return { ncrId: start.ncrId, workflowId };
  }

  /**
   * Starts the run from a complete start input; `existing: 'use'` leaves an NCR that exists as it is
   * (running or closed: a closed NCR is never reopened). `tuning` overrides the client's own.
   */
  async openStart(
    start: NcrStart,
    opts: { existing: 'use' | 'fail'; tuning?: Partial<RetryTuning> },
  ): Promise<{ workflowId: string; alreadyExisted: boolean }> {
    const workflowId = ncrWorkflowId(start.ncrId);
    const args: NcrWorkflowInput = {
      ...start,
      tuning: opts.tuning ?? this.options.tuning,
      policy: this.options.policy,
      maxHistoryEvents: this.options.maxHistoryEvents,
    };
    try {
      await this.client.workflow.start<typeof nonconformance>(NCR_WORKFLOW_TYPE, {
        workflowId,
        taskQueue: TaskQueue.workflows,
        args: [args],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        workflowIdConflictPolicy: opts.existing === 'use' ? 'USE_EXISTING' : 'FAIL',
        typedSearchAttributes: [
          { key: NcrStatusAttr, value: 'open' },
          { key: MaterialAttr, value: start.material },
          { key: LotIdAttr, value: start.lots[0]!.lotId },
          { key: SiteAttr, value: start.site },
          { key: OverdueAttr, value: false },
          ...(start.orderRef ? [{ key: OrderRefAttr, value: start.orderRef }] : []),
        ],
        staticSummary:
          `NCR ${start.ncrId} (${start.severity}, ${start.source}): ` +
          `${qty.format(start.quantity)} of ${start.material} ${start.lots.map((l) => l.lotId).join(', ')}`,
      });
      return { workflowId, alreadyExisted: false };
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError && opts.existing === 'use')
        return { workflowId, alreadyExisted: true };
      throw err;
    }
  }

  handle(ncrId: string): WorkflowHandle<typeof nonconformance> {
    return this.client.workflow.getHandle<typeof nonconformance>(ncrWorkflowId(ncrId));
  }

  /** The NCR's status; for a run Temporal ended (failed, terminated …), that end and its failure. */
  status(ncrId: string): Promise<NcrStatusReport> {
    const handle = this.handle(ncrId);
    return withRealEnd(handle, () => handle.query(ncrStatusQuery));
  }

  /** One signed decision; the line id doubles as the update id, so a resent request is answered once. */
  async dispose(ncrId: string, line: DispositionRequest, signer: VerifiedSigner): Promise<DispositionLine> {
    const parsed = parse('disposition', dispositionBodySchema, line);
    return this.handle(ncrId).executeUpdate(dispositionNcrUpdate, {
      args: [{ line: parsed, signer }],
      updateId: parsed.lineId ? `disposition:${parsed.lineId}` : undefined,
    });
  }

  coSign(ncrId: string, lineId: string, reason: string, signer: VerifiedSigner): Promise<DispositionLine> {
    return this.handle(ncrId).executeUpdate(coSignNcrDispositionUpdate, { args: [{ lineId, reason, signer }] });
  }

  async withdraw(ncrId: string, req: NcrLineDecisionRequest): Promise<DispositionLine> {
    const body = parse('withdrawal', personReasonSchema, { by: req.by, reason: req.reason });
    return this.handle(ncrId).executeUpdate(withdrawNcrDispositionUpdate, { args: [{ lineId: req.lineId, ...body }] });
  }

  async confirmExecution(ncrId: string, req: NcrExecutionConfirmation): Promise<DispositionLine> {
    const body = parse('confirmation', confirmExecutionBodySchema, {
      by: req.by,
      reference: req.reference,
      note: req.note,
    });
    return this.handle(ncrId).executeUpdate(confirmNcrExecutionUpdate, { args: [{ lineId: req.lineId, ...body }] });
  }

  async recordRootCause(ncrId: string, req: NcrRootCauseRequest): Promise<RootCause> {
    const body = parse('root cause', rootCauseBodySchema, req) as NcrRootCauseRequest;
    return this.handle(ncrId).executeUpdate(recordNcrRootCauseUpdate, { args: [body] });
  }

  async rerunContainment(ncrId: string, req: NcrContainmentRequest): Promise<{ runs: number }> {
    const body = parse('containment request', personReasonSchema, req);
    return this.handle(ncrId).executeUpdate(rerunNcrContainmentUpdate, { args: [body] });
  }

  close(ncrId: string, reason: string, signer: VerifiedSigner): Promise<{ status: string }> {
    return this.handle(ncrId).executeUpdate(closeNcrUpdate, { args: [{ reason, signer }] });
  }

  resolveParkedStep(ncrId: string, req: ResolveParkedStepRequest): Promise<{ step: string; action: string }> {
    return this.handle(ncrId).executeUpdate(resolveParkedStepUpdate, { args: [req] });
  }

  /** NCR runs by visibility (newest first): by material, status or overdue. */
  async list(
    filter: { material?: string; status?: string; overdue?: boolean; limit?: number } = {},
  ): Promise<NcrSummary[]> {
    const out: NcrSummary[] = [];
    const conditions: VisibilityCondition[] = [
      ['WorkflowType', '=', NCR_WORKFLOW_TYPE],
      filter.material ? ['Material', '=', filter.material] : undefined,
      filter.status ? ['NcrStatus', '=', filter.status] : undefined,
      filter.overdue !== undefined ? ['Overdue', '=', filter.overdue] : undefined,
    ];
    await listRuns(this.client, conditions, (info) => {
      out.push({
        ncrId: info.workflowId.replace(/^ncr:/, ''),
        workflowId: info.workflowId,
        status: info.typedSearchAttributes.get(NcrStatusAttr),
        material: info.typedSearchAttributes.get(MaterialAttr),
        lotId: info.typedSearchAttributes.get(LotIdAttr),
        overdue: info.typedSearchAttributes.get(OverdueAttr),
        startedAt: info.startTime.toISOString(),
        running: info.status.name === 'RUNNING',
      });
      return out.length >= (filter.limit ?? 100) ? 'stop' : undefined;
    });
    return out;
  }

  /** NCR runs of a material started since a time (CAPA recurrence), oldest first, by visibility. */
  async countSince(material: string, since: string): Promise<{ count: number; ncrIds: string[] }> {
    const runs = new Map<string, number>();
    const conditions: VisibilityCondition[] = [
      ['WorkflowType', '=', NCR_WORKFLOW_TYPE],
      ['Material', '=', material],
      ['StartTime', '>=', since],
    ];
    await listRuns(this.client, conditions, (info) => {
      const id = info.workflowId.replace(/^ncr:/, '');
      const started = info.startTime.getTime();
      if (!runs.has(id) || started < runs.get(id)!) runs.set(id, started);
    });
    const ncrIds = [...runs.entries()].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1)).map(([id]) => id);
    return { count: ncrIds.length, ncrIds };
  }
}
