import assert from 'node:assert/strict';
import type { PlantflowClient } from '../../client';
import type { ServedLotRecord } from '../../client/lot-record/types';
import type { LotDispositionInput, SignedLotDisposition } from '../../domain/lot-disposition';
import type { ReviewInput } from '../../domain/lot-review';
import type { VerifiedSigner } from '../../domain/signature';
import type { LotStatusView } from '../../workflows/lot/state';
import { TEST_KEYS } from './api';
import { eventually } from './eventually';
import type { SigningApi } from './lot-systems';

const read = async (api: SigningApi, material: string, lotId: string) => {
  const res = await api.get(`/lots/${material}/${lotId}/record`, TEST_KEYS.qp);
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as ServedLotRecord;
};

/**
 * The QP's review of a lot's record through the API: its hash, and a comment on each exception it lists. Read
 * once the lot has written its results to the QMS and Odoo: those writes are in the record.
 */
export async function reviewedRecord(api: SigningApi, material: string, lotId: string): Promise<ReviewInput> {
  await eventually(
    () => api.get(`/lots/${material}/${lotId}`, TEST_KEYS.viewer).then((r) => r.json() as LotStatusView),
    (v) => v.inspectionTasks === 0,
    60_000,
  );
  return acknowledged(await read(api, material, lotId));
}

/** What the QP reviewed on the served record: its hash, and a comment on each exception it lists. */
const acknowledged = ({ hash, record }: ServedLotRecord): ReviewInput => ({
  recordHash: hash,
  acknowledgements: record.review.exceptions.map((e) => ({
    exceptionId: e.exceptionId,
    comment: `reviewed: ${e.summary}`,
  })),
});

/**
 * The QP's release through the client library, as a service signs it: the lot's record is read once its results
 * are written, each exception acknowledged, and the release signed on the record's hash (LotRecords.release).
 */
export async function releaseOnRecord(
  plantflow: PlantflowClient,
  material: string,
  lotId: string,
  input: LotDispositionInput,
  signer: VerifiedSigner,
): Promise<SignedLotDisposition> {
  await eventually(
    () => plantflow.lots.status(material, lotId),
    (v) => v.inspectionTasks === 0,
    60_000,
  );
  const review = acknowledged(await plantflow.records.serve(material, lotId));
  return plantflow.records.release(material, lotId, input, signer, review);
}
