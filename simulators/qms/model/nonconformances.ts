import type { z } from 'zod';
import { qty } from '../../../domain/quantity';
import type {
  dispositionLineRequestSchema,
  Nonconformance,
  NcrStatus,
  ncrCloseRequestSchema,
  ncrOpenRequestSchema,
  ncrQuerySchema,
  ncrUpdateRequestSchema,
} from '../../../contracts/qms';
import { businessRule, conflict, notFound } from '../../shared/rest-kit/errors';
import { nowIso, type QmsState } from '../state';

const ORDER: NcrStatus[] = ['open', 'contained', 'dispositioned', 'closed'];

export function getNcr(state: QmsState, ncrId: string): Nonconformance {
  const ncr = state.nonconformances[ncrId];
  if (!ncr) throw notFound('ncr_not_found', `no nonconformance ${ncrId}`, { ncrId });
  return ncr;
}

function openNcrFor(state: QmsState, ncrId: string): Nonconformance {
  const ncr = getNcr(state, ncrId);
  if (ncr.status === 'closed') throw businessRule('ncr_closed', `nonconformance ${ncrId} is closed`, { ncrId });
  return ncr;
}

function move(ncr: Nonconformance, to: NcrStatus, by: string, note: string | null, at = nowIso()): void {
  ncr.history.push({ from: ncr.status, to, at, by, note });
  ncr.status = to;
}

const fullyDispositioned = (ncr: Nonconformance): boolean => qty.eq(ncr.dispositionedQuantity, ncr.quantity);

export function openNcr(state: QmsState, req: z.infer<typeof ncrOpenRequestSchema>): Nonconformance {
  const existing = state.nonconformances[req.ncrId];
  if (existing) {
    throw conflict('ncr_exists', `nonconformance ${req.ncrId} already exists`, {
      ncrId: req.ncrId,
      status: existing.status,
    });
  }
  if (qty.isZero(req.quantity))
    throw businessRule('invalid_quantity', 'nonconforming quantity must be greater than zero');
  const recordedAt = nowIso();
  const ncr: Nonconformance = {
    ncrId: req.ncrId,
    source: req.source,
    severity: req.severity,
    status: 'open',
    material: req.material,
    lotIds: [...new Set(req.lotIds)],
    quantity: req.quantity,
    description: req.description,
    raisedBy: req.raisedBy,
    site: req.site ?? null,
    orderRef: req.orderRef ?? null,
    refs: { ...req.refs },
    containmentActions: [],
    dispositions: [],
    dispositionedQuantity: qty.zero(req.quantity.uom),
    rootCause: null,
    capaIds: [],
    openedAt: req.effectiveAt ?? recordedAt,
    recordedAt,
    closedAt: null,
    history: [{ from: null, to: 'open', at: recordedAt, by: req.raisedBy, note: null }],
  };
  state.nonconformances[ncr.ncrId] = ncr;
  return ncr;
}

/** Returns whether anything changed, so a repeated update is journalled as not applied. */
export function updateNcr(
  state: QmsState,
  ncrId: string,
  req: z.infer<typeof ncrUpdateRequestSchema>,
): { ncr: Nonconformance; changed: boolean } {
  const ncr = openNcrFor(state, ncrId);
  let changed = false;
  if (req.status && req.status !== ncr.status) {
    if (ORDER.indexOf(req.status) < ORDER.indexOf(ncr.status)) {
      throw businessRule(
        'invalid_transition',
        `cannot move nonconformance ${ncrId} from ${ncr.status} back to ${req.status}`,
        {
          from: ncr.status,
          to: req.status,
        },
      );
    }
    if (req.status === 'dispositioned' && !fullyDispositioned(ncr)) {
      throw businessRule(
        'not_fully_dispositioned',
        `only ${qty.format(ncr.dispositionedQuantity)} of ${qty.format(ncr.quantity)} dispositioned`,
      );
    }
  }
  if (req.severity && req.severity !== ncr.severity) {
    ncr.severity = req.severity;
    changed = true;
  }
  for (const [k, v] of Object.entries(req.refs ?? {}) as [keyof Nonconformance['refs'], string | undefined][]) {
    if (v !== undefined && ncr.refs[k] !== v) {
      ncr.refs[k] = v;
      changed = true;
    }
  }
  for (const action of req.containmentActions ?? []) {
    if (ncr.containmentActions.some((a) => a.actionId === action.actionId)) continue;
    ncr.containmentActions.push(action);
    changed = true;
  }
  if (
    req.rootCause &&
    (ncr.rootCause?.category !== req.rootCause.category || ncr.rootCause.description !== req.rootCause.description)
  ) {
    ncr.rootCause = { ...req.rootCause, recordedBy: req.updatedBy, recordedAt: nowIso() };
    changed = true;
  }
  if (req.status && req.status !== ncr.status) {
    move(ncr, req.status, req.updatedBy, req.note ?? null);
    changed = true;
  }
  return { ncr, changed };
}

export function addDisposition(
  state: QmsState,
  ncrId: string,
  req: z.infer<typeof dispositionLineRequestSchema>,
): { ncr: Nonconformance; created: boolean } {
  const ncr = openNcrFor(state, ncrId);
  const same = ncr.dispositions.find((d) => d.lineId === req.lineId);
  if (same) {
    const identical =
      same.decision === req.decision && same.lotId === (req.lotId ?? null) && qty.eq(same.quantity, req.quantity);
    if (identical) return { ncr, created: false };
    throw conflict('disposition_line_exists', `disposition line ${req.lineId} already holds a different decision`, {
      lineId: req.lineId,
    });
  }
  if (req.quantity.uom !== ncr.quantity.uom) {
    throw businessRule('uom_mismatch', `disposition must be in ${ncr.quantity.uom}`, { expected: ncr.quantity.uom });
  }
  if (qty.isZero(req.quantity))
    throw businessRule('invalid_quantity', 'disposition quantity must be greater than zero');
  if (req.lotId !== undefined && !ncr.lotIds.includes(req.lotId)) {
    throw businessRule('unknown_lot', `lot ${req.lotId} is not part of nonconformance ${ncrId}`, {
      lotIds: ncr.lotIds,
    });
  }
  const total = qty.add(ncr.dispositionedQuantity, req.quantity);
  if (qty.gt(total, ncr.quantity)) {
    throw businessRule(
      'over_dispositioned',
      `${qty.format(total)} would exceed the nonconforming ${qty.format(ncr.quantity)}`,
      {
        dispositioned: ncr.dispositionedQuantity,
        quantity: ncr.quantity,
      },
    );
  }
  ncr.dispositions.push({
    lineId: req.lineId,
    decision: req.decision,
    quantity: req.quantity,
    lotId: req.lotId ?? null,
    decidedBy: req.decidedBy,
    signedRecordId: req.signedRecordId ?? null,
    note: req.note ?? null,
    recordedAt: nowIso(),
  });
  ncr.dispositionedQuantity = total;
  if (fullyDispositioned(ncr)) move(ncr, 'dispositioned', req.decidedBy, 'every quantity dispositioned');
  return { ncr, created: true };
}

/** Closing needs every quantity dispositioned and a root cause; closing twice is a no-op. */
export function closeNcr(
  state: QmsState,
  ncrId: string,
  req: z.infer<typeof ncrCloseRequestSchema>,
): { ncr: Nonconformance; changed: boolean } {
  const ncr = getNcr(state, ncrId);
  if (ncr.status === 'closed') return { ncr, changed: false };
  if (!ncr.rootCause) throw businessRule('root_cause_missing', `nonconformance ${ncrId} has no root cause recorded`);
  if (!fullyDispositioned(ncr)) {
    throw businessRule(
      'not_fully_dispositioned',
      `only ${qty.format(ncr.dispositionedQuantity)} of ${qty.format(ncr.quantity)} dispositioned`,
    );
  }
  const at = req.effectiveAt ?? nowIso();
  move(ncr, 'closed', req.closedBy, req.note ?? null, at);
  ncr.closedAt = at;
  return { ncr, changed: true };
}

export function listNcrs(state: QmsState, q: z.infer<typeof ncrQuerySchema>): Nonconformance[] {
  const from = q.openedFrom ? Date.parse(q.openedFrom) : -Infinity;
  const to = q.openedTo ? Date.parse(q.openedTo) : Infinity;
  return Object.values(state.nonconformances)
    .filter(
      (n) =>
        (q.material === undefined || n.material === q.material) &&
        (q.lotId === undefined || n.lotIds.includes(q.lotId)) &&
        (q.status === undefined || n.status === q.status) &&
        (q.severity === undefined || n.severity === q.severity) &&
        Date.parse(n.openedAt) >= from &&
        Date.parse(n.openedAt) < to,
    )
    .sort((a, b) => a.openedAt.localeCompare(b.openedAt) || a.ncrId.localeCompare(b.ncrId));
}
