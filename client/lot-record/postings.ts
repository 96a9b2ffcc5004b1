import type { ActivityCall } from './history';
import type { RecordPosting } from './types';

/** ERP activities that only read: they post nothing, so the record leaves them out. */
const READS = /^(odoo|sap)(Read|Find|Check|OpenProduction)/;
/** Fields of an answer that say how it went, not which document it made. */
const NOT_DOCUMENTS = new Set([
  'messages',
  'changed',
  'created',
  'alreadyPosted',
  'alreadyReleased',
  'alreadyCompleted',
]);

/** The documents an ERP answer names: its scalar fields and lists of names, as text. */
export function documentsOf(result: unknown): Record<string, string> {
  if (!result || typeof result !== 'object') return {};
  const docs: Record<string, string> = {};
  for (const [key, value] of Object.entries(result as Record<string, unknown>)) {
    if (NOT_DOCUMENTS.has(key) || value === null || value === undefined || typeof value === 'boolean') continue;
    if (typeof value === 'string' || typeof value === 'number') docs[key] = String(value);
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) docs[key] = value.join(', ');
    else if (typeof value === 'object' && 'value' in value && 'uom' in value) {
      const q = value as { value: string; uom: string };
      docs[key] = `${q.value} ${q.uom}`;
    }
  }
  return docs;
}

/** The lot an ERP write names in its input (Odoo `lot`, SAP `batch`), if any. */
function lotNamed(input: unknown): string | undefined {
  if (!input || typeof input !== 'object') return undefined;
  const i = input as Record<string, unknown>;
  const named = i.lot ?? i.batch ?? i.lotId;
  return typeof named === 'string' ? named : undefined;
}

/**
 * The ERP writes among a run's activities that concern the lot: those naming no lot (an operation's
 * confirmation, the order's release) and those naming this lot or one it was made from; a write for another
 * lot the same order or NCR made is that lot's record.
 */
export function erpPostings(calls: ActivityCall[], lotId: string, related: ReadonlySet<string>): RecordPosting[] {
  return calls
    .filter((c) => /^(odoo|sap)/.test(c.activity) && !READS.test(c.activity))
    .filter((c) => {
      const named = lotNamed(c.input);
      return named === undefined || named === lotId || related.has(named);
    })
    .map((c) => ({
      at: c.endedAt ?? c.scheduledAt,
      system: c.activity.startsWith('sap') ? ('sap' as const) : ('odoo' as const),
      by: c.workflowId,
      activity: c.activity,
      summary: c.summary ?? c.activity,
      outcome: c.outcome,
      documents: documentsOf(c.result),
      ...(c.failure ? { failure: c.failure } : {}),
    }));
}
