import { z } from 'zod';
import { keyedText, textKey } from './idempotency';
import { checkInput, inputSchemas } from './inputs';
import type { SapODataClient } from './odata-client';
import { entityPath, literal, quantityToSap, sapKey } from './odata-values';
import { DEFAULT_DEFECT_CODE_GROUP } from './plant';
import type {
  SapCompleteQualityNotificationInput,
  SapCompleteQualityNotificationResult,
  SapCreateQualityNotificationInput,
  SapCreateQualityNotificationResult,
  SapDefectInput,
} from './types';

/** V2 quality notification service (metadata unconfirmed in the reference; see docs/sap-simulator.md). */
export const QUALITY_NOTIFICATION_SERVICE = 'API_QUALITYNOTIFICATION';

/** Notification type/origin Q3 = internal problem report (nonconformance found in production). */
const INTERNAL_PROBLEM = 'Q3';
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
 * Opens a quality notification (internal problem, with its defects as items). Exactly once: a marker
 * derived from the idempotency key starts the short text and is searched first.
 */
export async function createQualityNotification(
  client: SapODataClient,
  input: SapCreateQualityNotificationInput,
): Promise<SapCreateQualityNotificationResult> {
  const i = checkInput(inputSchemas.notification, input, 'sapCreateQualityNotification');
  const marker = textKey(i.idempotencyKey, 'quality-notification');
  const what = `quality notification for ${i.material}${i.batch ? `/${i.batch}` : ''}`;
  const found = await client.list(QUALITY_NOTIFICATION_SERVICE, 'QualityNotification', notificationSchema, what, {
    $filter: `startswith(NotificationText,${literal.string(marker)})`,
    $select: 'QualityNotification,NotificationText,NotifProcessingPhase',
  });
  if (found[0]) return { notification: found[0].QualityNotification, alreadyCreated: true };
  const created = await client.create(
    QUALITY_NOTIFICATION_SERVICE,
    'QualityNotification',
    {
      NotificationType: INTERNAL_PROBLEM,
      NotificationOrigin: INTERNAL_PROBLEM,
      NotificationText: keyedText(marker, i.text),
      Material: i.material,
      Plant: i.plant,
      ...(i.batch ? { Batch: i.batch } : {}),
      ...(i.order ? { ManufacturingOrder: i.order } : {}),
      ...(i.inspectionLot ? { InspectionLot: i.inspectionLot } : {}),
      to_QualityNotificationItem: {
        results: (i.defects ?? []).map((d) => ({
          NotificationItemText: d.text.slice(0, 40),
          ...defectFields(d),
          ...(d.quantity ? { InternalDefectiveQuantity: quantityToSap(d.quantity).value } : {}),
        })),
      },
    },
    notificationSchema,
    what,
  );
  return { notification: created.data.QualityNotification, alreadyCreated: false };
}

/** Completes a notification (processing phase 4); already completed → no-op. */
export async function completeQualityNotification(
  client: SapODataClient,
  input: SapCompleteQualityNotificationInput,
): Promise<SapCompleteQualityNotificationResult> {
  const { notification } = checkInput(inputSchemas.completeNotification, input, 'sapCompleteQualityNotification');
  const path = entityPath('QualityNotification', { QualityNotification: literal.string(notification) });
  const result = await client.update(
    QUALITY_NOTIFICATION_SERVICE,
    path,
    notificationSchema,
    `quality notification ${notification}`,
    (current) => (current.NotifProcessingPhase === COMPLETED ? undefined : { NotifProcessingPhase: COMPLETED }),
  );
  return { notification, alreadyCompleted: !result.changed };
}
