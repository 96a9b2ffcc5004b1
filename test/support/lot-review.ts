import assert from 'node:assert/strict';
import type { ServedLotRecord } from '../../client/lot-record/types';
import type { ReviewInput } from '../../domain/lot-review';
import { TEST_KEYS } from './api';
import type { SigningApi } from './lot-systems';

/** The QP's review of a lot's record through the API: its hash, and a comment on each exception it lists. */
export async function reviewedRecord(api: SigningApi, material: string, lotId: string): Promise<ReviewInput> {
  const res = await api.get(`/lots/${material}/${lotId}/record`, TEST_KEYS.qp);
  assert.equal(res.statusCode, 200, res.body);
  const { hash, record } = res.json() as ServedLotRecord;
  return {
    recordHash: hash,
    acknowledgements: record.review.exceptions.map((e) => ({
      exceptionId: e.exceptionId,
      comment: `reviewed: ${e.summary}`,
    })),
  };
}
