import Decimal from 'decimal.js';
import type { PlanCharacteristic } from '../../domain/lot-inspection';
import type { ReviewCategory, ReviewException } from '../../domain/lot-review';
import type { LotRecord, RecordReview } from './types';

/** A result recorded this long after it happened is late: the reviewer checks why. */
export const LATE_AFTER_MS = 24 * 60 * 60 * 1000;

/** Within the plan's limits (inclusive) when both a value and limits exist; otherwise the result decides. */
export function withinSpecification(
  result: { result: 'pass' | 'fail'; value?: string },
  spec: Pick<PlanCharacteristic, 'lowerLimit' | 'upperLimit'> | undefined,
): boolean {
  if (result.result === 'fail') return false;
  if (!spec || result.value === undefined) return true;
  const v = new Decimal(result.value);
  if (spec.lowerLimit !== null && v.lt(spec.lowerLimit)) return false;
  if (spec.upperLimit !== null && v.gt(spec.upperLimit)) return false;
  return true;
}

const late = (happened: string, recorded: string) => Date.parse(recorded) - Date.parse(happened) > LATE_AFTER_MS;

/**
 * Review by exception: what in the record a reviewer must look at (each with a stable id an acknowledgement
 * names) — out-of-specification and late results, deviations, parked steps, manual skips and overrides, refused
 * events, drift, holds, business exceptions — and the sections the system reviewed because nothing was off.
 */
export function reviewByException(record: Omit<LotRecord, 'review'>): RecordReview {
  const found: ReviewException[] = [];
  const add = (category: ReviewCategory, exceptionId: string, summary: string, source: string, at?: string) => {
    if (!found.some((e) => e.exceptionId === exceptionId))
      found.push({ exceptionId, category, summary, source, ...(at ? { at } : {}) });
  };
  const lotSource = record.lot.workflowId;

  for (const r of record.inspections) {
    if (!r.withinSpecification)
      add(
        'out_of_specification',
        `oos:${r.eventId}`,
        `${r.characteristic} ${r.result}${r.value ? ` (${r.value}${r.unit ? ` ${r.unit}` : ''})` : ''} by ${r.inspector}${r.superseded ? ', superseded by a later result' : ''}`,
        lotSource,
        r.effectiveAt,
      );
    if (late(r.effectiveAt, r.receivedAt) || Date.parse(r.receivedAt) > Date.parse(record.lot.releaseDeadline))
      add(
        'late_result',
        `late:${r.eventId}`,
        `${r.characteristic} recorded at ${r.receivedAt}, effective ${r.effectiveAt}`,
        lotSource,
        r.receivedAt,
      );
  }
  if (record.lot.overdue)
    add(
      'late_result',
      'late:release-deadline',
      `no final disposition by the release deadline ${record.lot.releaseDeadline}`,
      lotSource,
      record.lot.releaseDeadline,
    );
  for (const e of record.mesEvents) {
    if (e.outcome === 'rejected')
      add(
        'refused_event',
        `refused:${e.orderRef}:${e.eventId ?? e.effectiveAt}`,
        `${e.type} for order ${e.orderRef} refused: ${e.summary}`,
        `order ${e.orderRef}`,
        e.recordedAt,
      );
    else if (e.eventId && late(e.effectiveAt, e.recordedAt))
      add(
        'late_result',
        `late:${e.orderRef}:${e.eventId}`,
        `${e.type} for order ${e.orderRef} recorded ${e.recordedAt}, effective ${e.effectiveAt}`,
        `order ${e.orderRef}`,
        e.recordedAt,
      );
  }
  for (const r of record.refusedResults)
    add('refused_event', `refused:${r.eventId}`, `${r.characteristic} result refused: ${r.reason}`, lotSource, r.at);
  for (const n of record.ncrs)
    add(
      'deviation',
      `ncr:${n.ncrId}`,
      `nonconformance ${n.ncrId} (${n.severity ?? 'severity unknown'}, ${n.status}): ${n.description ?? n.origin}`,
      n.workflowId,
      n.openedAt,
    );
  for (const p of record.parked) {
    add(
      'parked_step',
      `parked:${p.source}:${p.step}:${p.parkedAt}`,
      `${p.summary} parked: ${p.reason}`,
      p.source,
      p.parkedAt,
    );
    if (p.decision && p.decision.action !== 'retry')
      add(
        'manual_decision',
        `manual:${p.source}:${p.step}:${p.decision.at}`,
        `${p.decision.action} of "${p.summary}" by ${p.decision.by}: ${p.decision.reason}`,
        p.source,
        p.decision.at,
      );
  }
  for (const s of record.signatures)
    if (s.override && s.recordId)
      add(
        'manual_decision',
        `override:${s.recordId}`,
        `${s.meaningText} with override by ${s.printedName}: ${s.reason}`,
        lotSource,
        s.signedAt,
      );
  for (const o of record.orders)
    if (o.completion && o.completion.mode !== 'complete')
      add(
        'manual_decision',
        `completion:${o.orderRef}`,
        `order ${o.orderRef} completed as ${o.completion.mode} by ${o.completion.by}${o.completion.reason ? `: ${o.completion.reason}` : ''}`,
        o.workflowId,
        o.completion.at,
      );
  for (const h of record.holds)
    add(
      'hold',
      `hold:${h.holdId}`,
      `hold ${h.holdId} by ${h.placedBy}: ${h.reason}${h.lifted ? `; lifted by ${h.lifted.by}: ${h.lifted.reason}` : ' (active)'}`,
      lotSource,
      h.placedAt,
    );
  for (const d of record.drift)
    add('drift', `exception:${d.exceptionId}`, `${d.summary} (${d.status})`, `exceptions:${d.site}`, d.firstSeenAt);
  for (const x of record.exceptions)
    add(
      'business_exception',
      `exception:${x.exceptionId}`,
      `${x.summary} (${x.status})`,
      `exceptions:${x.site}`,
      x.firstSeenAt,
    );

  const exceptions = found.sort(
    (a, b) => (a.at ?? '').localeCompare(b.at ?? '') || a.exceptionId.localeCompare(b.exceptionId),
  );
  const counts: RecordReview['counts'] = {};
  for (const e of exceptions) counts[e.category] = (counts[e.category] ?? 0) + 1;
  const sections: Array<[string, ReviewCategory[]]> = [
    ['inspections against specification', ['out_of_specification', 'late_result']],
    ['MES events', ['refused_event']],
    ['nonconformances', ['deviation']],
    ['parked steps and manual decisions', ['parked_step', 'manual_decision']],
    ['holds', ['hold']],
    ['reconciliation', ['drift']],
    ['business exceptions', ['business_exception']],
  ];
  const reviewedBySystem = [
    'order release and ERP documents',
    'postings',
    'signatures',
    'genealogy',
    ...sections.filter(([, cats]) => cats.every((c) => !counts[c])).map(([name]) => name),
  ];
  return { exceptions, counts, reviewedBySystem };
}
