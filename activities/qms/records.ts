import { businessRuleFailure } from '../shared/failures';
import { fillPath } from '../../contracts/rest-common';
import {
  capaSchema,
  QMS_ROUTES,
  signedRecordListSchema,
  signedRecordSchema,
  type SignedRecord,
} from '../../contracts/qms';
import type { RestJsonClient } from '../shared/rest-client';
import type {
  QmsOpenCapaInput,
  QmsOpenCapaResult,
  QmsRecordSignedDispositionInput,
  QmsRecordSignedDispositionResult,
} from './types';

/** Opens the CAPA, or (capaId already on file for the material) links the NCRs it is missing. */
export async function openCapa(client: RestJsonClient, input: QmsOpenCapaInput): Promise<QmsOpenCapaResult> {
  const { idempotencyKey, ...body } = input;
  const created = await client.call({
    method: 'POST',
    path: QMS_ROUTES.capas,
    body,
    idempotencyKey,
    schema: capaSchema,
    what: `CAPA ${input.capaId}`,
    tolerate: [409],
  });
  if (created.ok) return { outcome: 'opened', capa: created.data };
  if (created.error.code !== 'capa_exists')
    throw client.failure(created.status, {}, created.error, `CAPA ${input.capaId}`);
  const capa = await client.send({
    method: 'GET',
    path: fillPath(QMS_ROUTES.capa, { capaId: input.capaId }),
    schema: capaSchema,
    what: `CAPA ${input.capaId}`,
  });
  if (capa.material !== input.material) {
    throw businessRuleFailure(`qms: CAPA ${input.capaId} already exists for material ${capa.material}`, {
      system: 'qms',
      code: 'capa_exists',
    });
  }
  const missing = input.ncrIds.filter((id) => !capa.ncrIds.includes(id));
  if (missing.length === 0) return { outcome: 'already_open', capa };
  const linked = await client.send({
    method: 'POST',
    path: fillPath(QMS_ROUTES.capaLinks, { capaId: input.capaId }),
    body: { ncrIds: missing },
    idempotencyKey: `${idempotencyKey}:link`,
    schema: capaSchema,
    what: `links of CAPA ${input.capaId}`,
  });
  return { outcome: 'linked', capa: linked };
}

/**
 * Appends the signed record. Records are append-only, so a recordId already on file is adopted only when
 * it carries the same record hash — anything else would be a second, different record under one id.
 */
export async function recordSignedDisposition(
  client: RestJsonClient,
  input: QmsRecordSignedDispositionInput,
): Promise<QmsRecordSignedDispositionResult> {
  const { idempotencyKey, ...body } = input;
  const created = await client.call({
    method: 'POST',
    path: QMS_ROUTES.signedRecords,
    body,
    idempotencyKey,
    schema: signedRecordSchema,
    what: `signed record ${input.recordId}`,
    tolerate: [409],
  });
  if (created.ok) return { outcome: 'recorded', record: created.data };
  if (created.error.code !== 'record_exists')
    throw client.failure(created.status, {}, created.error, `signed record ${input.recordId}`);
  const record = await client.send({
    method: 'GET',
    path: fillPath(QMS_ROUTES.signedRecord, { recordId: input.recordId }),
    schema: signedRecordSchema,
    what: `signed record ${input.recordId}`,
  });
  if (record.recordHash !== input.recordHash) {
    throw businessRuleFailure(`qms: signed record ${input.recordId} already exists with a different record hash`, {
      system: 'qms',
      code: 'record_exists',
    });
  }
  return { outcome: 'already_recorded', record };
}

export async function listSignedRecords(client: RestJsonClient, input: { subject: string }): Promise<SignedRecord[]> {
  const { items } = await client.send({
    method: 'GET',
    path: QMS_ROUTES.signedRecords,
    query: { subject: input.subject },
    schema: signedRecordListSchema,
    what: `signed records of ${input.subject}`,
  });
  return items;
}
