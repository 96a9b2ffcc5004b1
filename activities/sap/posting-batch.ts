import { z } from 'zod';
import { POSTING_BATCH_LIMIT } from '../../domain/batched-postings';
import type { SapCustomizing } from '../../contracts/sap-customizing';
import { postConfirmation } from './confirmations';
import { postGoodsMovement } from './goods-movements';
import { checkInput } from './inputs';
import type { SapODataClient } from './odata-client';
import type {
  SapPostConfirmationInput,
  SapPostConfirmationResult,
  SapPostGoodsMovementInput,
  SapPostGoodsMovementResult,
} from './types';

export type SapBatchedPosting =
  | { kind: 'confirmation'; confirmation: SapPostConfirmationInput }
  | { kind: 'goodsMovement'; goodsMovement: SapPostGoodsMovementInput };

export interface SapPostBatchInput {
  postings: SapBatchedPosting[];
}

export interface SapPostBatchResult {
  results: Array<SapPostConfirmationResult | SapPostGoodsMovementResult>;
}

// Each posting's own fields are checked by its verb; here only the envelope.
const envelope = z.object({
  postings: z
    .array(z.object({ kind: z.enum(['confirmation', 'goodsMovement']) }).passthrough())
    .min(1)
    .max(POSTING_BATCH_LIMIT),
});

/**
 * Several postings of one order in one activity, in their order. Each keeps its own idempotency key, so a
 * retried attempt finds what the previous one already posted; a refusal stops the batch at that posting
 * (the workflow then posts them one by one, and parks only the refused one).
 */
export async function postBatch(
  client: SapODataClient,
  input: SapPostBatchInput,
  customizing?: SapCustomizing,
): Promise<SapPostBatchResult> {
  checkInput(envelope, input, 'sapPostBatch');
  const results: SapPostBatchResult['results'] = [];
  for (const posting of input.postings) {
    results.push(
      posting.kind === 'confirmation'
        ? await postConfirmation(client, posting.confirmation)
        : await postGoodsMovement(client, posting.goodsMovement, customizing),
    );
  }
  return { results };
}
