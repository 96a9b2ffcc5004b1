import { z } from 'zod';
import { POSTING_BATCH_LIMIT } from '../../domain/batched-postings';
import { businessRuleFailure } from '../shared/failures';
import type { OdooClient } from './client';
import { recordConsumption } from './postings';
import type { OdooConsumptionResult, OdooRecordConsumptionInput } from './types';

export interface OdooRecordConsumptionsInput {
  consumptions: OdooRecordConsumptionInput[];
}

export interface OdooRecordConsumptionsResult {
  results: OdooConsumptionResult[];
}

// Each consumption's own fields are checked on its way; here the envelope and the one-MO rule.
const envelope = z.object({
  consumptions: z
    .array(z.object({ moName: z.string().min(1), idempotencyKey: z.string().min(1) }).passthrough())
    .min(1)
    .max(POSTING_BATCH_LIMIT),
});

/**
 * Several component consumptions of one manufacturing order in one activity, in their order. Each line is
 * loaded under its own idempotency key, so a retried attempt finds the lines the previous one made; a
 * refusal stops the batch there (the workflow then posts them one by one and parks only the refused one).
 */
export async function recordConsumptions(
  client: OdooClient,
  input: OdooRecordConsumptionsInput,
): Promise<OdooRecordConsumptionsResult> {
  const parsed = envelope.safeParse(input);
  if (!parsed.success) throw businessRuleFailure(`odooRecordConsumptions: ${parsed.error.message}`, { system: 'odoo' });
  if (new Set(input.consumptions.map((c) => c.moName)).size > 1)
    throw businessRuleFailure('odooRecordConsumptions: a batch is for one manufacturing order', { system: 'odoo' });
  const results: OdooConsumptionResult[] = [];
  for (const consumption of input.consumptions) results.push(await recordConsumption(client, consumption));
  return { results };
}
