import { businessRuleFailure } from '../shared/failures';
import { fillPath } from '../../contracts/rest-common';
import { ncrListSchema, nonconformanceSchema, QMS_ROUTES, type Nonconformance } from '../../contracts/qms';
import type { RestJsonClient } from '../shared/rest-client';
import type {
  QmsAddNonconformanceDispositionInput,
  QmsCloseNonconformanceInput,
  QmsCountNonconformancesInput,
  QmsCountNonconformancesResult,
  QmsOpenNonconformanceInput,
  QmsOpenNonconformanceResult,
  QmsUpdateNonconformanceInput,
} from './types';

const sameLots = (a: string[], b: string[]): boolean =>
  a.length === b.length && [...a].sort().join('|') === [...b].sort().join('|');

async function getNcr(client: RestJsonClient, ncrId: string): Promise<Nonconformance> {
  return client.send({
    method: 'GET',
    path: fillPath(QMS_ROUTES.nonconformance, { ncrId }),
    schema: nonconformanceSchema,
    what: `nonconformance ${ncrId}`,
  });
}

/** The ncrId is the natural key: an NCR already on file for the same material and lots is adopted. */
export async function openNonconformance(
  client: RestJsonClient,
  input: QmsOpenNonconformanceInput,
): Promise<QmsOpenNonconformanceResult> {
  const { idempotencyKey, ...body } = input;
  const created = await client.call({
    method: 'POST',
    path: QMS_ROUTES.nonconformances,
    body,
    idempotencyKey,
    schema: nonconformanceSchema,
    what: `nonconformance ${input.ncrId}`,
    tolerate: [409],
  });
  if (created.ok) return { outcome: 'opened', ncr: created.data };
  if (created.error.code !== 'ncr_exists')
    throw client.failure(created.status, {}, created.error, `nonconformance ${input.ncrId}`);
  const ncr = await getNcr(client, input.ncrId);
  if (ncr.material !== input.material || !sameLots(ncr.lotIds, [...new Set(input.lotIds)])) {
    throw businessRuleFailure(
      `qms: nonconformance ${input.ncrId} already exists for ${ncr.material} lots ${ncr.lotIds.join(', ')}`,
      {
        system: 'qms',
        code: 'ncr_exists',
      },
    );
  }
  return { outcome: 'already_open', ncr };
}

export async function updateNonconformance(
  client: RestJsonClient,
  input: QmsUpdateNonconformanceInput,
): Promise<Nonconformance> {
  const { idempotencyKey, ncrId, ...body } = input;
  return client.send({
    method: 'PATCH',
    path: fillPath(QMS_ROUTES.nonconformance, { ncrId }),
    body,
    idempotencyKey,
    schema: nonconformanceSchema,
    what: `update of nonconformance ${ncrId}`,
  });
}

/** Lines are idempotent by lineId on the QMS side too: the same line sent again is not added twice. */
export async function addNonconformanceDisposition(
  client: RestJsonClient,
  input: QmsAddNonconformanceDispositionInput,
): Promise<Nonconformance> {
  const { idempotencyKey, ncrId, ...body } = input;
  return client.send({
    method: 'POST',
    path: fillPath(QMS_ROUTES.ncrDispositions, { ncrId }),
    body,
    idempotencyKey,
    schema: nonconformanceSchema,
    what: `disposition line ${input.lineId} of nonconformance ${ncrId}`,
  });
}

/** State-guarded: closing a closed NCR is a no-op. A root cause given here is recorded first. */
export async function closeNonconformance(
  client: RestJsonClient,
  input: QmsCloseNonconformanceInput,
): Promise<Nonconformance> {
  const { idempotencyKey, ncrId, rootCause, closedBy, note, effectiveAt } = input;
  if (rootCause) {
    const current = await getNcr(client, ncrId);
    if (current.status !== 'closed') {
      await updateNonconformance(client, {
        idempotencyKey: idempotencyKey === undefined ? undefined : `${idempotencyKey}:root-cause`,
        ncrId,
        updatedBy: closedBy,
        rootCause,
      });
    }
  }
  return client.send({
    method: 'POST',
    path: fillPath(QMS_ROUTES.ncrClose, { ncrId }),
    body: { closedBy, note, effectiveAt },
    idempotencyKey,
    schema: nonconformanceSchema,
    what: `closure of nonconformance ${ncrId}`,
  });
}

/** NCRs of a material opened in a window (the CAPA recurrence rule counts them). */
export async function countNonconformances(
  client: RestJsonClient,
  input: QmsCountNonconformancesInput,
): Promise<QmsCountNonconformancesResult> {
  const list = await client.send({
    method: 'GET',
    path: QMS_ROUTES.nonconformances,
    query: {
      material: input.material,
      openedFrom: input.openedFrom,
      openedTo: input.openedTo,
      severity: input.severity,
    },
    schema: ncrListSchema,
    what: `nonconformances of ${input.material}`,
  });
  return { count: list.count, ncrIds: list.items.map((n) => n.ncrId) };
}
