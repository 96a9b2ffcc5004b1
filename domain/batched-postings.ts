/** Postings per batch call: the order's pipeline forms batches up to this, the adapters refuse bigger ones. */
export const POSTING_BATCH_LIMIT = 50;

/**
 * The postings a batch call carries (sapPostBatch, odooRecordConsumptions), each with the verb it would have
 * had alone, in the batch's order; undefined for any other activity. Metrics and the lot record count and
 * show postings one by one, however they travelled.
 */
export function postingsOfBatch(activity: string, input: unknown): Array<{ verb: string; input: unknown }> | undefined {
  const i = (input ?? {}) as { postings?: unknown; consumptions?: unknown };
  if (activity === 'sapPostBatch' && Array.isArray(i.postings))
    return i.postings.flatMap((item: unknown) => {
      const p = (item ?? {}) as { kind?: string; confirmation?: unknown; goodsMovement?: unknown };
      if (p.kind === 'confirmation') return [{ verb: 'sapPostConfirmation', input: p.confirmation }];
      if (p.kind === 'goodsMovement') return [{ verb: 'sapPostGoodsMovement', input: p.goodsMovement }];
      return [];
    });
  if (activity === 'odooRecordConsumptions' && Array.isArray(i.consumptions))
    return i.consumptions.map((c: unknown) => ({ verb: 'odooRecordConsumption', input: c }));
  return undefined;
}
