import type { z } from 'zod';
import {
  LOT_DECISIONS,
  type Capa,
  type capaRequestSchema,
  type SignedRecord,
  type signedRecordRequestSchema,
} from '../../../contracts/qms';
import { businessRule, conflict, notFound } from '../../shared/rest-kit/errors';
import { nowIso, type QmsState } from '../state';

function requireNcrs(state: QmsState, ncrIds: string[]): void {
  const unknown = ncrIds.filter((id) => !state.nonconformances[id]);
  if (unknown.length > 0)
    throw businessRule('unknown_ncr', `unknown nonconformance(s): ${unknown.join(', ')}`, { unknown });
}

function link(state: QmsState, capa: Capa, ncrIds: string[]): boolean {
  let changed = false;
  for (const id of ncrIds) {
    if (!capa.ncrIds.includes(id)) {
      capa.ncrIds.push(id);
      changed = true;
    }
    const ncr = state.nonconformances[id]!;
    if (!ncr.capaIds.includes(capa.capaId)) ncr.capaIds.push(capa.capaId);
  }
  return changed;
}

export function openCapa(state: QmsState, req: z.infer<typeof capaRequestSchema>): Capa {
  if (state.capas[req.capaId])
    throw conflict('capa_exists', `CAPA ${req.capaId} already exists`, { capaId: req.capaId });
  requireNcrs(state, req.ncrIds);
  const capa: Capa = {
    capaId: req.capaId,
    title: req.title,
    material: req.material,
    ncrIds: [],
    trigger: req.trigger,
    owner: req.owner,
    description: req.description ?? null,
    dueAt: req.dueAt ?? null,
    status: 'open',
    openedAt: nowIso(),
  };
  state.capas[capa.capaId] = capa;
  link(state, capa, req.ncrIds);
  return capa;
}

export function linkCapa(state: QmsState, capaId: string, ncrIds: string[]): { capa: Capa; changed: boolean } {
  const capa = state.capas[capaId];
  if (!capa) throw notFound('capa_not_found', `no CAPA ${capaId}`, { capaId });
  requireNcrs(state, ncrIds);
  return { capa, changed: link(state, capa, ncrIds) };
}

const NCR_DECISIONS = new Set(['use_as_is', 'rework', 'scrap', 'return_to_vendor', 'regrade']);

/**
 * Signed records are append-only (Part 11 §11.10(e)); each signature must carry the hash of the record it
 * signs (§11.70), one signature per person, and each record chains to the subject's previous one.
 */
export function appendSignedRecord(state: QmsState, req: z.infer<typeof signedRecordRequestSchema>): SignedRecord {
  if (state.signedRecords.some((r) => r.recordId === req.recordId)) {
    throw conflict('record_exists', `signed record ${req.recordId} already exists; records are append-only`, {
      recordId: req.recordId,
    });
  }
  const allowed =
    req.recordType === 'lot'
      ? (LOT_DECISIONS as readonly string[]).includes(req.decision)
      : NCR_DECISIONS.has(req.decision);
  if (!allowed)
    throw businessRule('decision_not_allowed', `decision ${req.decision} is not a ${req.recordType} decision`);
  const unbound = req.signatures.filter((s) => s.recordHash !== req.recordHash).map((s) => s.userId);
  if (unbound.length > 0) {
    throw businessRule('signature_not_bound', 'every signature must be bound to the hash of the record it signs', {
      userIds: unbound,
    });
  }
  const signers = req.signatures.map((s) => s.userId);
  if (new Set(signers).size !== signers.length)
    throw businessRule('duplicate_signer', 'one person may sign a record only once');
  if (req.ncrId !== undefined) requireNcrs(state, [req.ncrId]);
  const chain = state.signedRecords.filter((r) => r.subject === req.subject);
  const record: SignedRecord = {
    ...req,
    material: req.material ?? null,
    lotId: req.lotId ?? null,
    ncrId: req.ncrId ?? null,
    quantity: req.quantity ?? null,
    fromDisposition: req.fromDisposition ?? null,
    toDisposition: req.toDisposition ?? null,
    justification: req.justification ?? null,
    sequence: chain.length + 1,
    previousRecordHash: chain.at(-1)?.recordHash ?? null,
    recordedAt: nowIso(),
  };
  state.signedRecords.push(record);
  return record;
}
