import { z } from 'zod';
import { m2oId, m2oName, m2oSchema, type OdooClient } from './client';
import { keyMarker } from './keys';
import { readProduct, refuse, requireLot, requireProduct, requireProduction, type LotRecord } from './lookup';
import type {
  OdooCreateQualityAlertInput,
  OdooQualityAlertResult,
  OdooQualityAlertStageResult,
  OdooQualityCheckInput,
  OdooQualityCheckResult,
  OdooSetQualityAlertStageInput,
} from './types';

/**
 * Enterprise quality. Keys: a check carries its marker in `additional_note`, an alert in its
 * `description` (both searched with ilike before creating). do_pass/do_fail return None.
 */
const checkSchema = z
  .object({ id: z.number().int(), name: z.string(), quality_state: z.enum(['none', 'pass', 'fail']) })
  .loose();
const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function lotValue(client: OdooClient, lot: LotRecord): number | [number, number, number[]][] {
  return client.traits.qualityLotField === 'lot_ids' ? [[6, 0, [lot.id]]] : lot.id;
}

/** The manufacturing orders that produce a lot (their to-do checks are the lot's checks). */
async function producersOf(client: OdooClient, lot: LotRecord): Promise<number[]> {
  return client.search('mrp.production', [
    [client.traits.lotProducingField, 'in', [lot.id]],
    ['company_id', '=', client.companyId],
  ]);
}

export async function recordQualityCheck(
  client: OdooClient,
  input: OdooQualityCheckInput,
): Promise<OdooQualityCheckResult> {
  const marker = keyMarker(input.idempotencyKey);
  const fields = ['name', 'quality_state'];
  let check = await client.searchOne('quality.check', [['additional_note', 'ilike', marker]], fields, checkSchema);
  let created = false;
  if (!check && input.checkId !== undefined) {
    // The generated check named by the caller: recorded by someone else meanwhile, it stays as it is.
    const todo = await client.readOne(
      'quality.check',
      input.checkId,
      [...fields, 'product_id'],
      checkSchema.extend({ product_id: m2oSchema }),
    );
    if (todo.quality_state !== 'none')
      return { checkId: todo.id, checkName: todo.name, state: todo.quality_state, created: false };
    const lot = await requireLot(client, await readProduct(client, m2oId(todo.product_id)!), input.lot);
    const note = `${input.note ? `${input.note}\n` : ''}[plantflow ${marker}]`;
    await client.write('quality.check', [todo.id], {
      additional_note: note,
      [client.traits.qualityLotField]: lotValue(client, lot),
    });
    check = todo;
  }
  if (!check) {
    const mo = input.moName ? await requireProduction(client, input.moName) : undefined;
    const product = input.material
      ? await requireProduct(client, input.material)
      : mo
        ? await readProduct(client, m2oId(mo.product_id)!)
        : undefined;
    if (!product) throw refuse('A quality check needs a material or a manufacturing order');
    const productId = product.id;
    const lot = await requireLot(client, product, input.lot);
    const point = await client.searchOne(
      'quality.point',
      [
        '|',
        ['title', '=', input.characteristic],
        ['title', '=ilike', `${input.characteristic} -%`],
        ['product_ids', 'in', [productId]],
      ],
      ['title', 'team_id', 'test_type_id'],
      z
        .object({
          id: z.number().int(),
          title: z.union([z.string(), z.literal(false)]),
          team_id: m2oSchema,
          test_type_id: m2oSchema,
        })
        .loose(),
    );
    const note = `${input.note ? `${input.note}\n` : ''}[plantflow ${marker}]`;
    // A "to do" check Odoo generated for this point on the order — given, or the one producing the lot
    // (one finished lot per MO) — is completed rather than duplicated.
    const orders = mo ? [mo.id] : await producersOf(client, lot);
    const todo = point
      ? await client.searchOne(
          'quality.check',
          [
            ['point_id', '=', point.id],
            ['quality_state', '=', 'none'],
            orders.length > 0 ? ['production_id', 'in', orders] : ['production_id', '=', false],
            ['additional_note', '=', false],
          ],
          fields,
          checkSchema,
          'id asc',
        )
      : undefined;
    const lotField = client.traits.qualityLotField;
    if (todo) {
      await client.write('quality.check', [todo.id], { additional_note: note, [lotField]: lotValue(client, lot) });
      check = todo;
    } else {
      const id = await client.create('quality.check', {
        title: point?.title || input.characteristic,
        product_id: productId,
        [lotField]: lotValue(client, lot),
        additional_note: note,
        ...(point
          ? { point_id: point.id, team_id: m2oId(point.team_id), test_type_id: m2oId(point.test_type_id) }
          : {}),
        ...(mo ? { production_id: mo.id } : {}),
      });
      check = await client.readOne('quality.check', id, fields, checkSchema);
      created = true;
    }
  }
  if (check.quality_state !== input.result) {
    await client.call('quality.check', input.result === 'pass' ? 'do_pass' : 'do_fail', { ids: [check.id] });
    check = await client.readOne('quality.check', check.id, fields, checkSchema);
  }
  if (check.quality_state === 'none') throw refuse(`Odoo kept quality check ${check.name} to do`);
  return { checkId: check.id, checkName: check.name, state: check.quality_state, created };
}

const alertSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    stage_id: m2oSchema,
    date_close: z.union([z.string(), z.literal(false)]),
  })
  .loose();
const ALERT_FIELDS = ['name', 'stage_id', 'date_close'];

function findAlert(client: OdooClient, key: string) {
  return client.searchOne('quality.alert', [['description', 'ilike', keyMarker(key)]], ALERT_FIELDS, alertSchema);
}

export async function createQualityAlert(
  client: OdooClient,
  input: OdooCreateQualityAlertInput,
): Promise<OdooQualityAlertResult> {
  const existing = await findAlert(client, input.idempotencyKey);
  if (existing)
    return { alertId: existing.id, name: existing.name, stage: m2oName(existing.stage_id) ?? '', created: false };
  const product = await requireProduct(client, input.material);
  const lot = input.lot ? await requireLot(client, product, input.lot) : undefined;
  const mo = input.moName ? await requireProduction(client, input.moName) : undefined;
  let teamId: number | undefined;
  if (input.team) {
    const team = await client.searchOne(
      'quality.alert.team',
      [['name', '=', input.team]],
      ['name'],
      z.object({ id: z.number().int() }).loose(),
    );
    if (!team) throw refuse(`Odoo has no quality team "${input.team}"`);
    teamId = team.id;
  }
  const description = `${input.description ? `<p>${escapeHtml(input.description)}</p>` : ''}<p>plantflow ref ${keyMarker(input.idempotencyKey)}</p>`;
  const id = await client.create('quality.alert', {
    title: input.title,
    description,
    product_id: product.id,
    ...(lot ? { [client.traits.qualityLotField]: lotValue(client, lot) } : {}),
    ...(mo ? { production_id: mo.id } : {}),
    ...(teamId ? { team_id: teamId } : {}),
  });
  const alert = await client.readOne('quality.alert', id, ALERT_FIELDS, alertSchema);
  return { alertId: alert.id, name: alert.name, stage: m2oName(alert.stage_id) ?? '', created: true };
}

const stageSchema = z
  .object({ id: z.number().int(), name: z.string(), sequence: z.number(), done: z.boolean() })
  .loose();

/** new → the first stage, in_progress → the next not-done stage, done → the first "done" stage. */
function pickStage(stages: z.infer<typeof stageSchema>[], wanted: OdooSetQualityAlertStageInput['stage']) {
  const open = stages.filter((s) => !s.done);
  if (wanted === 'new') return open[0];
  if (wanted === 'in_progress') return open[1] ?? open[0];
  return stages.find((s) => s.done);
}

export async function setQualityAlertStage(
  client: OdooClient,
  input: OdooSetQualityAlertStageInput,
): Promise<OdooQualityAlertStageResult> {
  const alert = input.alertId
    ? await client.readOne(
        'quality.alert',
        input.alertId,
        [...ALERT_FIELDS, 'reason_id'],
        alertSchema.extend({ reason_id: m2oSchema }),
      )
    : input.idempotencyKey
      ? await client.searchOne(
          'quality.alert',
          [['description', 'ilike', keyMarker(input.idempotencyKey)]],
          [...ALERT_FIELDS, 'reason_id'],
          alertSchema.extend({ reason_id: m2oSchema }),
        )
      : undefined;
  if (!alert) throw refuse('Odoo has no such quality alert (give alertId or the idempotencyKey it was created with)');
  const stages = await client.searchRead('quality.alert.stage', [], ['name', 'sequence', 'done'], stageSchema, {
    order: 'sequence, id',
  });
  const stage = pickStage(stages, input.stage);
  if (!stage) throw refuse(`Odoo has no quality alert stage for "${input.stage}"`);
  const vals: Record<string, unknown> = {};
  if (m2oId(alert.stage_id) !== stage.id) vals.stage_id = stage.id;
  if (input.rootCause) {
    const reasonSchema = z.object({ id: z.number().int() }).loose();
    const reason = await client.searchOne('quality.reason', [['name', '=', input.rootCause]], ['name'], reasonSchema);
    const reasonId = reason?.id ?? (await client.create('quality.reason', { name: input.rootCause }));
    if (m2oId(alert.reason_id) !== reasonId) vals.reason_id = reasonId;
  }
  if (Object.keys(vals).length > 0) await client.write('quality.alert', [alert.id], vals);
  const after = await client.readOne('quality.alert', alert.id, ALERT_FIELDS, alertSchema);
  return {
    alertId: after.id,
    stage: m2oName(after.stage_id) ?? '',
    done: stage.done,
    changed: Object.keys(vals).length > 0,
    closedAt: after.date_close || null,
  };
}
