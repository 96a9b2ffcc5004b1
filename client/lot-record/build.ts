import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { BusinessException } from '../../domain/exceptions';
import { lotWorkflowId, ncrWorkflowId } from '../../domain/ids';
import type { LotDispositionInput, SignedLotDisposition } from '../../domain/lot-disposition';
import { reviewInputSchema, reviewRefusal, type ReviewInput } from '../../domain/lot-review';
import type { VerifiedSigner } from '../../domain/signature';
import { LotReviewError, PlantflowInputError } from '../errors';
import { genealogyPicture } from '../genealogy-graph';
import { recordHash } from '../../domain/signature';
import type { TimelineEntry } from '../../workflows/order/state';
import type { LotStatusReport } from '../lots';
import type { NcrStatusReport } from '../ncrs';
import type { OrderStatusReport } from '../orders';
import type { ParkedStep } from '../../workflows/shared/parking';
import type { ExceptionsClient } from '../exceptions';
import type { LotClient } from '../lots';
import type { NcrClient } from '../ncrs';
import type { OrderClient } from '../orders';
import { readRunHistory, type RunHistory, type RunMessage } from './history';
import { erpPostings } from './postings';
import { reviewByException, withinSpecification } from './review';
import type {
  LotRecord,
  RecordHold,
  RecordInspection,
  RecordNcr,
  RecordOrder,
  RecordParking,
  RecordPosting,
  RecordSignature,
  ServedLotRecord,
} from './types';

/** The hash a release signature binds to: the record's canonical JSON, so the same record always hashes the same. */
export const lotRecordHash = (record: LotRecord): string => recordHash(record);

/**
 * Builds a lot's record from the runs themselves: the lot's status and history, its producing orders' status,
 * timeline and history (the ERPs' answers as the activities recorded them), its NCRs, the site's exception
 * record and the genealogy both ways. Runs that have closed answer their queries from their history.
 */
export class LotRecords {
  constructor(
    private readonly temporal: Client,
    private readonly plantflow: { lots: LotClient; orders: OrderClient; ncrs: NcrClient; exceptions: ExceptionsClient },
  ) {}

  /**
   * The QP's release on the reviewed record: the record is read again, and the release is refused when it no
   * longer hashes to what the QP reviewed, or when an exception it lists is not acknowledged with a comment.
   * The lot's Update checks the acknowledgements again and binds the signature to the reviewed hash.
   */
  async release(
    material: string,
    lotId: string,
    input: LotDispositionInput,
    signer: VerifiedSigner,
    review: ReviewInput,
  ): Promise<SignedLotDisposition> {
    const parsed = reviewInputSchema.safeParse(review);
    if (!parsed.success) throw PlantflowInputError.fromZod('review', parsed.error);
    if (input.decision !== 'release')
      throw new LotReviewError('ReviewIncomplete', 'only a release is signed on the reviewed lot record');
    const now = await this.serve(material, lotId);
    if (now.hash !== parsed.data.recordHash)
      throw new LotReviewError(
        'RecordChanged',
        `the lot record changed since it was reviewed (reviewed ${parsed.data.recordHash.slice(0, 12)}…, now ${now.hash.slice(0, 12)}…): review it again before signing`,
        { reviewed: parsed.data.recordHash, current: now.hash },
      );
    const exceptions = now.record.review.exceptions.map((e) => e.exceptionId);
    const refusal = reviewRefusal(exceptions, parsed.data.acknowledgements);
    if (refusal) throw new LotReviewError('ReviewIncomplete', refusal, { exceptions });
    return this.plantflow.lots.disposition(material, lotId, input, signer, {
      ...parsed.data,
      exceptions,
      lotFingerprint: now.record.lot.fingerprint,
    });
  }

  async serve(material: string, lotId: string): Promise<ServedLotRecord> {
    const record = await this.build(material, lotId);
    return {
      hash: lotRecordHash(record),
      generatedAt: new Date().toISOString(),
      record,
      genealogySvg: genealogyPicture(record.genealogy, `Genealogy of lot ${record.lot.key}`),
    };
  }

  async build(material: string, lotId: string): Promise<LotRecord> {
    const view = await this.plantflow.lots.status(material, lotId);
    const lotHistory = await readRunHistory(this.temporal, lotWorkflowId(material, lotId));
    const related = new Set([lotId, ...view.parents.map((p) => p.lotId)]);

    const orders: RecordOrder[] = [];
    const mesEvents: LotRecord['mesEvents'] = [];
    const postings: RecordPosting[] = erpPostings(lotHistory.activities, lotId, related);
    const parked: RecordParking[] = parkings(view.workflowId, view.parked, view.resolvedParkings);
    const producers = [...new Map(view.production.map((p) => [p.orderWorkflowId, p])).values()];
    for (const p of producers) {
      const site = siteOf(p.orderWorkflowId);
      const [status, timeline, history] = await Promise.all([
        this.plantflow.orders.status(site, p.orderRef),
        this.plantflow.orders.timeline(site, p.orderRef),
        readRunHistory(this.temporal, p.orderWorkflowId),
      ]);
      const orderPostings = erpPostings(history.activities, lotId, related);
      const releaseActivities = /^(odooConfirmManufacturingOrder|sapReleaseProductionOrder)$/;
      orders.push(
        orderOf(
          status,
          history,
          orderPostings.filter((x) => releaseActivities.test(x.activity)),
        ),
      );
      postings.push(...orderPostings.filter((x) => !releaseActivities.test(x.activity)));
      mesEvents.push(...timeline.filter(isMesEvent).map((e) => ({ ...e, orderRef: p.orderRef })));
      parked.push(...parkings(status.workflowId, status.parked, status.resolvedParkings));
    }

    const ncrs: RecordNcr[] = [];
    const signatures: RecordSignature[] = view.dispositions.map((d) => ({
      ...d.signature,
      context: `lot disposition ${d.recordId}`,
      recordId: d.recordId,
      ...(d.record.overridden ? { override: true } : {}),
    }));
    for (const link of view.ncrs) {
      const ncr = await this.ncr(link.ncrId);
      if (!ncr) {
        ncrs.push({
          ncrId: link.ncrId,
          workflowId: ncrWorkflowId(link.ncrId),
          origin: link.origin,
          status: link.status,
          dispositions: [],
        });
        continue;
      }
      const history = await readRunHistory(this.temporal, ncr.workflowId);
      postings.push(...erpPostings(history.activities, lotId, new Set()));
      parked.push(...parkings(ncr.workflowId, ncr.parked, ncr.resolvedParkings));
      ncrs.push(ncrOf(ncr, link.origin, lotId));
      for (const line of ncr.dispositions.lines.filter((l) => l.record.lotId === lotId))
        signatures.push(
          ...line.signatures.map((s) => ({ ...s, context: `NCR ${ncr.ncrId} line ${line.record.lineId}` })),
        );
      if (ncr.closure) signatures.push({ ...ncr.closure.signature, context: `NCR ${ncr.ncrId} closure` });
    }

    const siteExceptions = await this.exceptions(view.site, material, lotId);
    const [backward, forward] = await Promise.all([
      this.plantflow.lots.genealogy(material, lotId, { direction: 'backward' }),
      this.plantflow.lots.genealogy(material, lotId, { direction: 'forward' }),
    ]);

    const body: Omit<LotRecord, 'review'> = {
      lot: {
        material,
        lotId,
        key: view.key,
        site: view.site,
        workflowId: view.workflowId,
        status: view.status,
        disposition: view.disposition,
        origin: view.origin,
        quantity: view.quantity,
        ...(view.received
          ? {
              received: {
                receivedBy: view.received.receivedBy,
                supplier: view.received.supplier,
                reference: view.received.reference,
                receivedAt: view.received.receivedAt,
              },
            }
          : {}),
        releaseDeadline: view.sla.deadlineAt,
        overdue: view.sla.overdue,
        fingerprint: view.fingerprint,
      },
      orders,
      mesEvents: mesEvents.sort(
        (a, b) => a.effectiveAt.localeCompare(b.effectiveAt) || a.recordedAt.localeCompare(b.recordedAt),
      ),
      postings: postings.sort((a, b) => a.at.localeCompare(b.at) || a.activity.localeCompare(b.activity)),
      inspections: inspectionsOf(view),
      refusedResults: view.refusedResults,
      holds: holdsOf(lotHistory.messages, view),
      ncrs,
      signatures: signatures.sort((a, b) => a.signedAt.localeCompare(b.signedAt)),
      parked: parked.sort((a, b) => a.parkedAt.localeCompare(b.parkedAt)),
      exceptions: siteExceptions.filter((x) => x.kind !== 'Drift'),
      drift: siteExceptions.filter((x) => x.kind === 'Drift'),
      // Traces expand in parallel: the lots they list are sorted, so the same genealogy hashes the same.
      genealogy: {
        backward: { ...backward, lots: [...backward.lots].sort() },
        forward: { ...forward, lots: [...forward.lots].sort() },
      },
      timeline: view.timeline,
    };
    return { ...body, review: reviewByException(body) };
  }

  private async ncr(ncrId: string): Promise<NcrStatusReport | undefined> {
    try {
      return await this.plantflow.ncrs.status(ncrId);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  }

  /** The site's exception record about this lot (its drift included); none while the site has never had one. */
  private async exceptions(site: string, material: string, lotId: string): Promise<BusinessException[]> {
    const list = await this.plantflow.exceptions.list(site, { subject: { lotId }, limit: 500 });
    return list.exceptions
      .filter((e) => e.subject.material === undefined || e.subject.material === material)
      .sort((a, b) => a.exceptionId.localeCompare(b.exceptionId));
  }
}

const siteOf = (orderWorkflowId: string) => orderWorkflowId.split(':')[1] ?? '';

/** The order's canonical timeline holds MES events (they carry an eventId) and plantflow's own notes. */
const isMesEvent = (e: TimelineEntry) => e.eventId !== undefined && e.source !== 'plantflow';

function parkings(
  source: string,
  open: ParkedStep[],
  resolved: Array<ParkedStep & { resolvedAt: string }>,
): RecordParking[] {
  return [...open, ...resolved].map((p) => ({
    source,
    step: p.step,
    summary: p.summary,
    reason: `${p.failure.type}: ${p.failure.message}`,
    parkedAt: p.parkedAt,
    ...(p.decision
      ? {
          decision: {
            action: p.decision.action,
            by: p.decision.by,
            reason: p.decision.reason,
            at: p.decision.decidedAt,
          },
        }
      : {}),
  }));
}

function orderOf(status: OrderStatusReport, history: RunHistory, releaseDocuments: RecordPosting[]): RecordOrder {
  const released = history.messages.find((m) => m.name === 'releaseOrder');
  return {
    orderRef: status.orderRef,
    workflowId: status.workflowId,
    site: status.site,
    status: status.status,
    material: status.order?.material,
    quantity: status.order?.quantity,
    erp: { odooMo: status.order?.erp.odooMo, sapOrder: status.order?.erp.sapOrder, owner: status.order?.owner },
    releasedBy: status.order?.releasedBy,
    releasedAt: released?.at ?? status.release[0]?.at,
    release: status.release,
    releaseDocuments,
    ...(status.completion
      ? {
          completion: {
            mode: status.completion.mode,
            by: status.completion.by,
            reason: status.completion.reason,
            at: status.completion.requestedAt,
          },
        }
      : {}),
  };
}

function inspectionsOf(view: LotStatusReport): RecordInspection[] {
  const plan = new Map((view.plan?.characteristics ?? []).map((c) => [c.characteristic, c]));
  const deciding = new Set(view.inspections.map((l) => l.eventId).filter((id): id is string => id !== undefined));
  return view.results.map((r) => {
    const spec = plan.get(r.characteristic);
    return {
      characteristic: r.characteristic,
      description: spec?.description,
      required: spec?.required ?? false,
      specification: spec ? { lowerLimit: spec.lowerLimit, upperLimit: spec.upperLimit, unit: spec.unit } : null,
      result: r.result,
      value: r.value,
      unit: r.unit,
      inspector: r.inspector,
      effectiveAt: r.effectiveAt,
      receivedAt: r.receivedAt,
      eventId: r.eventId,
      withinSpecification: withinSpecification(r, spec),
      superseded: !deciding.has(r.eventId),
      ...(r.ncrId ? { ncrId: r.ncrId } : {}),
    };
  });
}

interface HoldArgs {
  holdId?: string;
  reason?: string;
  by?: string;
  ncrId?: string;
  source?: string;
}

/**
 * Every hold the lot ever had, from the requests in its history (an NCR's signals, people's Updates), with who
 * lifted it and why. Requests the run ignored (a hold already placed under another id by the same NCR) join it.
 */
function holdsOf(messages: RunMessage[], view: LotStatusReport): RecordHold[] {
  type Request = { at: string; kind: 'place' | 'lift'; args: HoldArgs };
  const requests: Request[] = [
    ...messages
      .filter((m) => /^(placeLotHold|liftLotHold)/.test(m.name))
      .map((m): Request => ({
        at: m.at,
        kind: m.name.startsWith('place') ? 'place' : 'lift',
        args: (m.args[0] ?? {}) as HoldArgs,
      })),
    // The run holds the lot itself for a failed result's NCR, and for a signed hold decision.
    ...view.results
      .filter((r) => r.ncrId)
      .map((r): Request => ({
        at: r.receivedAt,
        kind: 'place',
        args: {
          holdId: r.ncrId,
          ncrId: r.ncrId,
          source: 'ncr',
          by: 'plantflow',
          reason: `failed inspection ${r.characteristic} (nonconformance ${r.ncrId})`,
        },
      })),
    ...view.dispositions
      .filter((d) => d.record.decision === 'hold')
      .map((d): Request => ({
        at: d.record.signedAt,
        kind: 'place',
        args: {
          holdId: d.recordId,
          source: 'disposition',
          by: d.record.signer.userId,
          reason: d.record.justification ?? 'hold decision',
        },
      })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  const holds: RecordHold[] = [];
  const open = () => holds.filter((h) => !h.lifted);
  for (const { at, kind, args } of requests) {
    if (!args.holdId) continue;
    if (kind === 'place') {
      if (open().some((h) => h.holdId === args.holdId || (args.ncrId && h.ncrId === args.ncrId))) continue;
      holds.push({
        holdId: args.holdId,
        source: args.source ?? (args.ncrId ? 'ncr' : 'person'),
        reason: args.reason ?? '',
        placedBy: args.by ?? '',
        placedAt: at,
        ...(args.ncrId ? { ncrId: args.ncrId } : {}),
      });
    } else {
      for (const h of open())
        if (h.holdId === args.holdId || (h.ncrId !== undefined && (h.ncrId === args.ncrId || h.ncrId === args.holdId)))
          h.lifted = { by: args.by ?? '', reason: args.reason ?? '', at };
    }
  }
  return holds;
}

function ncrOf(ncr: NcrStatusReport, origin: string, lotId: string): RecordNcr {
  return {
    ncrId: ncr.ncrId,
    workflowId: ncr.workflowId,
    origin,
    severity: ncr.severity,
    status: ncr.status,
    description: ncr.description,
    openedAt: ncr.openedAt,
    dispositions: ncr.dispositions.lines
      .filter((l) => l.record.lotId === lotId)
      .map((l) => ({
        lineId: l.record.lineId,
        lotId: l.record.lotId,
        decision: l.record.decision,
        quantity: l.record.quantity,
        status: l.status,
        reason: l.record.reason,
        signatures: l.signatures,
      })),
    ...(ncr.rootCause
      ? {
          rootCause: {
            category: ncr.rootCause.category,
            description: ncr.rootCause.description,
            by: ncr.rootCause.recordedBy,
          },
        }
      : {}),
    ...(ncr.closure ? { closedBy: ncr.closure.signature } : {}),
  };
}
