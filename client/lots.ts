import { WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import { lotKey, lotWorkflowId } from '../domain/ids';
import { receivedLotSchema, type ReceivedLotInput } from '../domain/lot';
import { dispositionInputSchema, type LotDispositionInput, type SignedLotDisposition } from '../domain/lot-disposition';
import type { GenealogyNode, GenealogyTrace } from '../domain/lot-genealogy';
import type { Quantity } from '../domain/quantity';
import { lotInspectionSchema, type LotInspectionInput } from '../domain/lot-inspection';
import { verifiedSignerSchema, type VerifiedSigner } from '../domain/signature';
import type { materialLot } from '../workflows/lot';
import type { LotStatusView } from '../workflows/lot/state';
import {
  dispositionLotUpdate,
  inspectionResultSignal,
  liftLotHoldUpdate,
  LOT_WORKFLOW_TYPE,
  lotStatusQuery,
  lotStockReceivedSignal,
  placeLotHoldUpdate,
  resolveParkedStepUpdate,
  type LotLiftHoldRequest,
  type LotWorkflowStart,
  type PersonLotHoldRequest,
  type ResolveParkedStepRequest,
} from '../workflows/messages';
import {
  LotIdAttr,
  LotStatusAttr,
  MaterialAttr,
  OrderRefAttr,
  OverdueAttr,
  ParentLotsAttr,
  SiteAttr,
} from '../workflows/search-attributes';
import type { RetryTuning } from '../workflows/shared/tuning';
import { TaskQueue } from '../workflows/task-queues';
import { PlantflowInputError } from './errors';

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

const quote = (v: string) => `'${v.replace(/'/g, '')}'`;

/** Typed access to lot runs: receive, inspections, signed disposition, holds, status and genealogy. */
export class LotClient {
  constructor(
    private readonly client: Client,
    private readonly options: LotClientOptions = {},
  ) {}

  handle(material: string, lotId: string): WorkflowHandle<typeof materialLot> {
    return this.client.workflow.getHandle<typeof materialLot>(lotWorkflowId(material, lotId));
  }

  /** Starts the run of a lot that arrived from outside; a lot id already run is refused (409). */
  async receive(input: ReceivedLotInput): Promise<{ workflowId: string; runId: string }> {
    const parsed = receivedLotSchema.safeParse(input);
    if (!parsed.success) throw PlantflowInputError.fromZod('received lot', parsed.error);
    const lot = parsed.data;
    const start: LotWorkflowStart = {
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

  status(material: string, lotId: string): Promise<LotStatusView> {
    return this.handle(material, lotId).query(lotStatusQuery);
  }

  /** One inspection result (by signal, docs/architecture.md §2.2); the lot must exist. */
  async recordInspection(input: LotInspectionInput): Promise<{ workflowId: string; eventId: string }> {
    const parsed = lotInspectionSchema.safeParse(input);
    if (!parsed.success) throw PlantflowInputError.fromZod('inspection result', parsed.error);
    const { material, lotId, ...result } = parsed.data;
    const handle = this.handle(material, lotId);
    await handle.signal(inspectionResultSignal, result);
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
  ): Promise<SignedLotDisposition> {
    const parsed = dispositionInputSchema.safeParse(input);
    if (!parsed.success) throw PlantflowInputError.fromZod('disposition', parsed.error);
    const verified = verifiedSignerSchema.safeParse(signer);
    if (!verified.success) throw PlantflowInputError.fromZod('signer', verified.error);
    return this.handle(material, lotId).executeUpdate(dispositionLotUpdate, {
      args: [{ ...parsed.data, signer: verified.data }],
    });
  }

  placeHold(material: string, lotId: string, req: PersonLotHoldRequest): Promise<{ holds: number; status: string }> {
    return this.handle(material, lotId).executeUpdate(placeLotHoldUpdate, { args: [req] });
  }

  liftHold(material: string, lotId: string, req: LotLiftHoldRequest): Promise<{ holds: number; status: string }> {
    return this.handle(material, lotId).executeUpdate(liftLotHoldUpdate, { args: [req] });
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
    const clauses = [`WorkflowType = ${quote(LOT_WORKFLOW_TYPE)}`];
    if (filter.material) clauses.push(`Material = ${quote(filter.material)}`);
    if (filter.status) clauses.push(`LotStatus = ${quote(filter.status)}`);
    if (filter.overdue !== undefined) clauses.push(`Overdue = ${filter.overdue}`);
    if (filter.parent) clauses.push(`ParentLots = ${quote(filter.parent)}`);
    const limit = filter.limit ?? 100;
    const seen = new Map<string, LotListItem>();
    for await (const wf of this.client.workflow.list({ query: clauses.join(' AND ') })) {
      if (seen.has(wf.workflowId)) continue; // continue-as-new: one entry per lot, the newest run
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
      if (seen.size >= limit) break;
    }
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
