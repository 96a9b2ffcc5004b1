import { WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { RegisterLotInput } from '../activities/plantflow/runs';
import { lotKey, lotWorkflowId } from '../domain/ids';
import { receivedLotSchema, type ReceivedLotInput } from '../domain/lot';
import { dispositionInputSchema, type LotDispositionInput, type SignedLotDisposition } from '../domain/lot-disposition';
import type {
  ForwardTrace,
  ForwardTraceRequest,
  GenealogyLot,
  GenealogyNode,
  GenealogyTrace,
} from '../domain/lot-genealogy';
import type { LotReview } from '../domain/lot-review';
import { lotInspectionSchema, type LotInspectionInput } from '../domain/lot-inspection';
import type { LotLiftHoldRequest, PersonLotHoldRequest } from '../domain/notices';
import type { Quantity } from '../domain/quantity';
import { verifiedSignerSchema, type VerifiedSigner } from '../domain/signature';
import type { LotStart } from '../domain/starts';
import type { RetryTuning } from '../domain/tuning';
import type { materialLot } from '../workflows/lot';
import type { LotStatusView } from '../workflows/lot/state';
import {
  dispositionLotUpdate,
  liftLotHoldUpdate,
  LOT_WORKFLOW_TYPE,
  lotChildLearnedSignal,
  lotProducedSignal,
  lotStatusQuery,
  lotStockReceivedSignal,
  placeLotHoldUpdate,
  recordInspectionResultSignal,
} from '../workflows/messages/lot';
import { resolveParkedStepUpdate, type ResolveParkedStepRequest } from '../workflows/messages/shared';
import {
  LotIdAttr,
  LotStatusAttr,
  MaterialAttr,
  OrderRefAttr,
  OverdueAttr,
  ParentLotsAttr,
  SiteAttr,
} from '../workflows/search-attributes';
import { TaskQueue } from '../workflows/task-queues';
import { PlantflowInputError } from './errors';
import { containmentOf, stillContained, type LotContainment } from './lot-containment';
import { withRealEnd, type StatusReport } from './run-end';
import { ExceptionsClient } from './exceptions';
import { lateLotRefusal } from './refusals';
import { listRuns, type VisibilityCondition } from './visibility';

/** A lot's status as readers get it; `contained` when an NCR blocked it after its run closed. */
export type LotStatusReport = Omit<StatusReport<LotStatusView>, 'status'> & {
  status: StatusReport<LotStatusView>['status'] | 'contained';
  containedBy?: LotContainment[];
};

export interface LotClientOptions {
  /** Retry tuning passed to lot runs started here (tests shorten it). */
  tuning?: Partial<RetryTuning>;
  /** The plant's release deadline for lots received here that do not name their own. */
  releaseWithin?: string;
}

export interface LotListItem {
  workflowId: string;
  material: string;
  lotId: string;
  status?: string;
  overdue: boolean;
  orderRef?: string;
  parents: string[];
  running: boolean;
}

export interface LotListFilter {
  material?: string;
  status?: string;
  overdue?: boolean;
  /** Lots made from this lot key ("RM-300:H-1001"): one level of forward genealogy. */
  parent?: string;
  limit?: number;
}

/** Traces stop here unless asked for less: deep enough for any plant, bounded for the servers. */
export const MAX_TRACE_DEPTH = 50;

/** Typed access to lot runs: receive, production, inspections, signed disposition, holds, status, genealogy. */
export class LotClient {
  private readonly exceptions: ExceptionsClient;

  constructor(
    private readonly client: Client,
    private readonly options: LotClientOptions = {},
  ) {
    this.exceptions = new ExceptionsClient(client);
  }

  handle(material: string, lotId: string): WorkflowHandle<typeof materialLot> {
    return this.client.workflow.getHandle<typeof materialLot>(lotWorkflowId(material, lotId));
  }

  /** Starts the run of a lot that arrived from outside; a lot id already run is refused (409). */
  async receive(input: ReceivedLotInput): Promise<{ workflowId: string; runId: string }> {
    const parsed = receivedLotSchema.safeParse(input);
    if (!parsed.success) throw PlantflowInputError.fromZod('received lot', parsed.error);
    const lot = parsed.data;
    const start: LotStart = {
      material: lot.material,
      lotId: lot.lotId,
      site: lot.site,
      received: {
        quantity: lot.quantity,
        receivedBy: lot.receivedBy,
        supplier: lot.supplier,
        reference: lot.reference,
        parents: lot.parents,
        receivedAt: new Date().toISOString(),
      },
      releaseWithin: lot.releaseWithin ?? this.options.releaseWithin,
      tuning: this.options.tuning,
    };
    const handle = await this.client.workflow.start<typeof materialLot>(LOT_WORKFLOW_TYPE, {
      workflowId: lotWorkflowId(lot.material, lot.lotId),
      taskQueue: TaskQueue.workflows,
      args: [start],
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [
        { key: LotIdAttr, value: lot.lotId },
        { key: MaterialAttr, value: lot.material },
        { key: SiteAttr, value: lot.site },
        { key: ParentLotsAttr, value: [...new Set(lot.parents.map((p) => lotKey(p.material, p.lotId)))].sort() },
      ],
      staticSummary: `Lot ${lot.lotId} of ${lot.material}, received by ${lot.receivedBy}${lot.supplier ? ` from ${lot.supplier}` : ''}`,
    });
    return { workflowId: handle.workflowId, runId: handle.firstExecutionRunId };
  }

  /**
   * Starts a produced lot's run, or tells the running one about more production (signal-with-start). Then
   * each parent lot's running workflow learns its new child (best effort: forward genealogy does not rely
   * on it — the child's ParentLots search attribute is the index, and works for closed parents too).
   */
  async registerProduced(input: RegisterLotInput): Promise<{ workflowId: string; parentsTold: number }> {
    const workflowId = lotWorkflowId(input.material, input.lotId);
    // Only a run started here takes the deadline: signal-with-start leaves a running lot's input as it is.
    const start: LotStart = {
      material: input.material,
      lotId: input.lotId,
      site: input.site,
      ...(this.options.releaseWithin ? { releaseWithin: this.options.releaseWithin } : {}),
    };
    await this.client.workflow.signalWithStart(LOT_WORKFLOW_TYPE, {
      workflowId,
      taskQueue: TaskQueue.workflows,
      args: [start],
      signal: lotProducedSignal,
      signalArgs: [
        {
          sourceEventId: input.sourceEventId ?? `${input.producedBy.orderWorkflowId}@${input.producedAt}`,
          quantity: input.quantity,
          parents: input.parents,
          producedBy: input.producedBy,
          executors: input.executors,
          producedAt: input.producedAt,
        },
      ],
      typedSearchAttributes: [
        { key: LotIdAttr, value: input.lotId },
        { key: MaterialAttr, value: input.material },
        { key: SiteAttr, value: input.site },
        { key: OrderRefAttr, value: input.producedBy.orderRef },
        { key: ParentLotsAttr, value: [...new Set(input.parents.map((p) => lotKey(p.material, p.lotId)))].sort() },
      ],
      staticSummary: `Lot ${input.lotId} of ${input.material}, made by order ${input.producedBy.orderRef}`,
    });
    let parentsTold = 0;
    for (const parent of input.parents) {
      try {
        await this.handle(parent.material, parent.lotId).signal(lotChildLearnedSignal, {
          material: input.material,
          lotId: input.lotId,
          quantity: parent.quantity,
          orderRef: input.producedBy.orderRef,
          learnedAt: input.producedAt,
        });
        parentsTold += 1;
      } catch (err) {
        // No lot run (seeded stock, a supplier lot) or a closed one: visibility still finds the child.
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
    }
    return { workflowId, parentsTold };
  }

  /**
   * The lot's status. A lot whose run has closed (released, rejected) is no longer guarded by it: an NCR
   * that contained it since shows here (`containedBy`), and while that containment stands the lot reads
   * `contained`, not the status its run closed with. A run Temporal ended reads as that end.
   */
  async status(material: string, lotId: string): Promise<LotStatusReport> {
    const handle = this.handle(material, lotId);
    const report: LotStatusReport = await withRealEnd(handle, () => handle.query(lotStatusQuery));
    if (report.running) return report;
    const containedBy = await containmentOf(this.client, material, lotId);
    if (containedBy.length === 0) return report;
    return { ...report, status: stillContained(containedBy) ? 'contained' : report.status, containedBy };
  }

  /** One inspection result (by signal, docs/architecture.md §2.2); the lot must exist. */
  async recordInspection(input: LotInspectionInput): Promise<{ workflowId: string; eventId: string }> {
    const parsed = lotInspectionSchema.safeParse(input);
    if (!parsed.success) throw PlantflowInputError.fromZod('inspection result', parsed.error);
    const { material, lotId, ...result } = parsed.data;
    const handle = this.handle(material, lotId);
    await this.late(handle.signal(recordInspectionResultSignal, result), {
      material,
      lotId,
      what: 'inspection result',
      ref: result.eventId,
      arrived: parsed.data,
    });
    return { workflowId: handle.workflowId, eventId: result.eventId };
  }

  /**
   * Signs a disposition. `signer` must come from a re-authentication made for this signing
   * (client/api/signing: password or OIDC ID token) — never from what the caller claims.
   */
  async disposition(
    material: string,
    lotId: string,
    input: LotDispositionInput,
    signer: VerifiedSigner,
    /** Required for a release (the lot refuses one without, ReviewRequired): LotRecords.release builds and checks it. */
    review?: LotReview,
  ): Promise<SignedLotDisposition> {
    const parsed = dispositionInputSchema.safeParse(input);
    if (!parsed.success) throw PlantflowInputError.fromZod('disposition', parsed.error);
    const verified = verifiedSignerSchema.safeParse(signer);
    if (!verified.success) throw PlantflowInputError.fromZod('signer', verified.error);
    const update = this.handle(material, lotId).executeUpdate(dispositionLotUpdate, {
      args: [{ ...parsed.data, signer: verified.data, ...(review ? { review } : {}) }],
    });
    const { userId } = verified.data;
    return this.late(update, {
      material,
      lotId,
      what: 'disposition',
      ref: `${parsed.data.decision}/${userId}`,
      arrived: { ...parsed.data, signer: userId },
    });
  }

  placeHold(material: string, lotId: string, req: PersonLotHoldRequest): Promise<{ holds: number; status: string }> {
    const update = this.handle(material, lotId).executeUpdate(placeLotHoldUpdate, { args: [req] });
    return this.late(update, { material, lotId, what: 'hold', ref: req.holdId, arrived: req });
  }

  liftHold(material: string, lotId: string, req: LotLiftHoldRequest): Promise<{ holds: number; status: string }> {
    const update = this.handle(material, lotId).executeUpdate(liftLotHoldUpdate, { args: [req] });
    return this.late(update, { material, lotId, what: 'hold lift', ref: req.holdId, arrived: req });
  }

  /** A request that reached a closed lot is refused as a LateLotRequest, kept in the exception record. */
  private async late<T>(
    request: Promise<T>,
    what: { material: string; lotId: string; what: string; ref: string; arrived: unknown },
  ): Promise<T> {
    try {
      return await request;
    } catch (err) {
      const workflowId = lotWorkflowId(what.material, what.lotId);
      throw await lateLotRefusal(this.client, this.exceptions, err, { workflowId, ...what });
    }
  }

  /** A received lot's goods are booked into Odoo now (a produced lot hears it from its order). */
  async stockReceived(material: string, lotId: string, reference: string): Promise<void> {
    await this.handle(material, lotId).signal(lotStockReceivedSignal, {
      orderRef: reference,
      receivedAt: new Date().toISOString(),
    });
  }

  resolveParkedStep(
    material: string,
    lotId: string,
    req: ResolveParkedStepRequest,
  ): Promise<{ step: string; action: string }> {
    return this.handle(material, lotId).executeUpdate(resolveParkedStepUpdate, { args: [req] });
  }

  /** Lot runs by visibility (open and closed), newest first. */
  async list(filter: LotListFilter = {}): Promise<LotListItem[]> {
    const limit = filter.limit ?? 100;
    const seen = new Map<string, LotListItem>();
    const conditions: VisibilityCondition[] = [
      ['WorkflowType', '=', LOT_WORKFLOW_TYPE],
      filter.material ? ['Material', '=', filter.material] : undefined,
      filter.status ? ['LotStatus', '=', filter.status] : undefined,
      filter.overdue !== undefined ? ['Overdue', '=', filter.overdue] : undefined,
      filter.parent ? ['ParentLots', '=', filter.parent] : undefined,
    ];
    await listRuns(this.client, conditions, (wf) => {
      if (seen.has(wf.workflowId)) return; // continue-as-new: one entry per lot, the newest run
      const sa = wf.typedSearchAttributes;
      seen.set(wf.workflowId, {
        workflowId: wf.workflowId,
        material: sa.get(MaterialAttr) ?? '',
        lotId: sa.get(LotIdAttr) ?? '',
        status: sa.get(LotStatusAttr),
        overdue: sa.get(OverdueAttr) ?? false,
        orderRef: sa.get(OrderRefAttr),
        parents: sa.get(ParentLotsAttr) ?? [],
        running: wf.status.name === 'RUNNING',
      });
      return seen.size >= limit ? 'stop' : undefined;
    });
    return [...seen.values()];
  }

  /**
   * Genealogy to any depth. Backward follows each lot's parents (its status query; search attributes
   * when the query cannot answer); forward asks visibility for lots whose ParentLots holds the key, so
   * closed runs are found too. A lot already shown is not expanded twice.
   */
  async genealogy(
    material: string,
    lotId: string,
    opts: { direction?: 'backward' | 'forward'; depth?: number } = {},
  ): Promise<GenealogyTrace> {
    const direction = opts.direction ?? 'backward';
    const depth = Math.min(Math.max(opts.depth ?? MAX_TRACE_DEPTH, 1), MAX_TRACE_DEPTH);
    const known = new Map<string, LotFacts>();
    const seen = new Set<string>([lotKey(material, lotId)]);
    const root = await this.node(known, material, lotId, undefined);
    const linksOf = (node: GenealogyNode) =>
      direction === 'backward' ? this.parentsOf(known, node) : this.childrenOf(known, node);
    const expand = async (node: GenealogyNode, level: number): Promise<void> => {
      node.links = await linksOf(node);
      await Promise.all(
        node.links.map(async (link) => {
          if (seen.has(link.key)) link.truncated = 'repeat';
          else if (level >= depth) {
            if (await this.hasLinks(known, link, direction)) link.truncated = 'depth';
          } else {
            seen.add(link.key);
            await expand(link, level + 1);
          }
        }),
      );
    };
    await expand(root, 1);
    return { direction, depth, root, lots: [...seen].filter((k) => k !== root.key) };
  }

  /**
   * Forward genealogy for containment: every lot made from the roots, breadth first to `maxDepth`, each
   * once at its shallowest depth, with whether a lot run still guards it. A running lot whose final
   * decision is taken counts as closed: it takes no holds.
   */
  async traceForward(request: ForwardTraceRequest): Promise<ForwardTrace> {
    const maxLots = request.maxLots ?? 500;
    const found = new Map<string, GenealogyLot>();
    for (const r of request.roots) {
      const workflowId = lotWorkflowId(r.material, r.lotId);
      found.set(lotKey(r.material, r.lotId), {
        ...r,
        key: lotKey(r.material, r.lotId),
        depth: 0,
        workflowId,
        workflow: await this.runState(workflowId),
      });
    }
    let frontier = [...found.values()];
    let truncated = false;
    for (let depth = 1; depth <= request.maxDepth && frontier.length > 0 && !truncated; depth++) {
      const next: GenealogyLot[] = [];
      for (const parent of frontier) {
        for (const child of await this.list({ parent: parent.key, limit: maxLots + 1 })) {
          const key = lotKey(child.material, child.lotId);
          if (found.has(key)) continue;
          if (found.size >= maxLots) {
            truncated = true;
            break;
          }
          const lot: GenealogyLot = {
            material: child.material,
            lotId: child.lotId,
            key,
            depth,
            via: parent.key,
            workflowId: child.workflowId,
            workflow: child.running ? 'running' : 'closed',
          };
          found.set(key, lot);
          next.push(lot);
        }
      }
      frontier = next;
    }
    for (const lot of found.values()) if (lot.workflow === 'running') await this.checkUndecided(lot);
    return { lots: [...found.values()], truncated };
  }

  private async runState(workflowId: string): Promise<GenealogyLot['workflow']> {
    try {
      const d = await this.client.workflow.getHandle(workflowId).describe();
      return d.status.name === 'RUNNING' ? 'running' : 'closed';
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return 'none';
      throw err;
    }
  }

  /** A lot workflow past its final decision ignores holds: the NCR must block that lot itself. */
  private async checkUndecided(lot: GenealogyLot): Promise<void> {
    try {
      const view = await this.status(lot.material, lot.lotId);
      if (view.decided) {
        lot.workflow = 'closed';
        lot.decided = view.decided.decision;
      }
    } catch {
      // Not answering now (busy, or it just ended): describe() said running, a hold signal will tell.
    }
  }

  private async facts(material: string, lotId: string): Promise<LotFacts> {
    try {
      const view = await this.status(material, lotId);
      return {
        tracked: true,
        status: view.status,
        parents: view.parents.map((p) => ({
          key: lotKey(p.material, p.lotId),
          material: p.material,
          lotId: p.lotId,
          quantity: p.quantity,
        })),
      };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return { tracked: false, parents: [] };
      // The run exists but cannot answer a query now: its search attributes still name the parents.
      const sa = (await this.handle(material, lotId).describe()).typedSearchAttributes;
      const parents = (sa.get(ParentLotsAttr) ?? []).map((key) => ({
        key,
        material: key.slice(0, key.indexOf(':')),
        lotId: key.slice(key.indexOf(':') + 1),
      }));
      return { tracked: true, status: sa.get(LotStatusAttr), parents };
    }
  }

  private async node(
    known: Map<string, LotFacts>,
    material: string,
    lotId: string,
    quantity: Quantity | undefined,
  ): Promise<GenealogyNode> {
    const key = lotKey(material, lotId);
    if (!known.has(key)) known.set(key, await this.facts(material, lotId));
    const facts = known.get(key)!;
    return {
      material,
      lotId,
      key,
      ...(quantity ? { quantity } : {}),
      ...(facts.status ? { status: facts.status } : {}),
      tracked: facts.tracked,
      links: [],
    };
  }

  private parentsOf(known: Map<string, LotFacts>, node: GenealogyNode): Promise<GenealogyNode[]> {
    return Promise.all(
      (known.get(node.key)?.parents ?? []).map((p) => this.node(known, p.material, p.lotId, p.quantity)),
    );
  }

  private async childrenOf(known: Map<string, LotFacts>, node: GenealogyNode): Promise<GenealogyNode[]> {
    const children = await this.list({ parent: node.key, limit: 1000 });
    return Promise.all(
      children.map(async (c) => {
        const child = await this.node(known, c.material, c.lotId, undefined);
        const consumed = known.get(child.key)?.parents.find((p) => p.key === node.key)?.quantity;
        return consumed ? { ...child, quantity: consumed } : child;
      }),
    );
  }

  private async hasLinks(
    known: Map<string, LotFacts>,
    node: GenealogyNode,
    direction: 'backward' | 'forward',
  ): Promise<boolean> {
    if (direction === 'backward') return (known.get(node.key)?.parents.length ?? 0) > 0;
    return (await this.list({ parent: node.key, limit: 1 })).length > 0;
  }
}

interface LotFacts {
  tracked: boolean;
  status?: string;
  parents: Array<{ key: string; material: string; lotId: string; quantity?: Quantity }>;
}
