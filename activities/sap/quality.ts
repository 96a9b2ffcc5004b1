import { z } from 'zod';
import { keyedText, textKey } from './idempotency';
import { checkInput, inputSchemas } from './inputs';
import type { SapODataClient } from './odata-client';
import { literal, quantityToSap, sapKey } from './odata-values';
import { plantCustomizing, type SapCustomizing } from '../../contracts/sap-customizing';
import { businessRuleFailure } from '../shared/failures';
import { DEFAULT_DEFECT_CODE_GROUP, sapPlant } from './plant';
import type {
  SapCompleteQualityNotificationInput,
  SapCompleteQualityNotificationResult,
  SapCreateQualityNotificationInput,
  SapCreateQualityNotificationResult,
  SapDefectInput,
} from './types';

/**
 * Quality notifications through CE_QUALITYNOTIFICATION_0001, the OData V4 service SAP releases for them
 * ("Quality Notification - Read, Create"): I_QltyNotificationTP's elements, defects as items.
 */
export const QUALITY_NOTIFICATION_SERVICE =
  '/sap/opu/odata4/sap/api_qualitynotification/srvd_a2x/sap/qualitynotification/0001/';

/** Processing phase 4 = completed. */
const COMPLETED = '4';

function splitCode(code: string): { group: string; code: string } {
  const [group, c] = code.includes('/') ? code.split('/') : [DEFAULT_DEFECT_CODE_GROUP, code];
  return { group: group!, code: c! };
}

function defectFields(d: SapDefectInput): Record<string, unknown> {
  const { group, code } = splitCode(d.code);
  return {
    DefectCodeGroup: group,
    DefectCode: code,
    ...(d.quantity ? { DefectiveQuantityUnit: quantityToSap(d.quantity).unit } : {}),
  };
}

const notificationSchema = z.object({
  QualityNotification: sapKey,
  NotificationText: z.string(),
  NotifProcessingPhase: z.string(),
});

/**
 * Opens a quality notification of the plant's notification type (Q3 internal problem by default), with its
 * defects as items. Exactly once: a marker derived from the idempotency key starts the short text and is
 * searched first. The released entity has no order field: the order is reached through batch and lot.
 */
export async function createQualityNotification(
  client: SapODataClient,
  input: SapCreateQualityNotificationInput,
  customizing?: SapCustomizing,
): Promise<SapCreateQualityNotificationResult> {
  const i = checkInput(inputSchemas.notification, input, 'sapCreateQualityNotification');
  const marker = textKey(i.idempotencyKey, 'quality-notification');
  const what = `quality notification for ${i.material}${i.batch ? `/${i.batch}` : ''}`;
  const found = await client.list(QUALITY_NOTIFICATION_SERVICE, 'QualityNotification', notificationSchema, what, {
    $filter: `startswith(NotificationText,${literal.string(marker)})`,
    $select: 'QualityNotification,NotificationText,NotifProcessingPhase',
  });
  if (found[0]) return { notification: found[0].QualityNotification, alreadyCreated: true };
  const type = plantCustomizing(customizing, sapPlant(i.plant).plant).notificationType;
  const created = await client.create(
    QUALITY_NOTIFICATION_SERVICE,
    'QualityNotification',
    {
      NotificationType: type,
      NotificationText: keyedText(marker, i.text),
      Material: i.material,
      Plant: sapPlant(i.plant).plant,
      ...(i.batch ? { Batch: i.batch } : {}),
      ...(i.inspectionLot ? { InspectionLot: i.inspectionLot } : {}),
      _QualityNotificationItem: (i.defects ?? []).map((d) => ({
        NotificationItemText: d.text.slice(0, 40),
        ...defectFields(d),
        ...(d.quantity ? { InternalDefectiveQuantity: quantityToSap(d.quantity).value } : {}),
      })),
    },
    notificationSchema,
    what,
  );
  return { notification: created.data.QualityNotification, alreadyCreated: false };
}

/**
 * Completes a notification — only where the tenant offers a bound action for it (configured): the released
 * service creates and reads, it has no update and no completing action. Otherwise the notification is
 * left to quality management in SAP, and the answer says so.
 */
export async function completeQualityNotification(
  client: SapODataClient,
  input: SapCompleteQualityNotificationInput,
  customizing?: SapCustomizing,
): Promise<SapCompleteQualityNotificationResult> {
  const { notification } = checkInput(inputSchemas.completeNotification, input, 'sapCompleteQualityNotification');
  const what = `quality notification ${notification}`;
  const resource = `QualityNotification(${literal.string(notification)})`;
  const current = await client.readOptional(QUALITY_NOTIFICATION_SERVICE, resource, notificationSchema, what);
  if (!current) throw businessRuleFailure(`SAP has no ${what}`, { system: 'sap', notification });
  const base = { notification, phase: current.data.NotifProcessingPhase };
  if (current.data.NotifProcessingPhase === COMPLETED) return { ...base, outcome: 'already_completed' };
  const action = customizing?.notificationCompleteAction;
  if (!action) {
    return {
      ...base,
      outcome: 'left_open',
      reason: `the SAP quality notification service cannot complete notifications: complete ${notification} in SAP`,
    };
  }
  await client.create(QUALITY_NOTIFICATION_SERVICE, `${resource}/${action}`, {}, z.unknown(), what);
  const after = await client.readOptional(QUALITY_NOTIFICATION_SERVICE, resource, notificationSchema, what);
  return { notification, phase: after?.data.NotifProcessingPhase ?? '', outcome: 'completed' };
}
