import type { Row } from '../odata/edm';
import { V4Error, v4, type V4Service } from '../odata4/v4';
import type { SapModel } from '../state/model';
import type { NotificationItem, QualityNotification } from '../state/types';
import { qty, text } from './quality';

/**
 * CE_QUALITYNOTIFICATION_0001, the OData V4 service SAP releases for quality notifications ("Quality
 * Notification - Read, Create"): entity set QualityNotification with the elements of I_QltyNotificationTP
 * (no order field), items (defects) deep-inserted through _QualityNotificationItem. Nothing can be
 * updated through it: PATCH/DELETE get 405 and there is no action that completes a notification.
 */
export const QUALITY_NOTIFICATION_V4_PATH = 'api_qualitynotification/srvd_a2x/sap/qualitynotification/0001';

/** Notification types of the standard QM customizing (Q1 customer complaint, Q2 vendor, Q3 internal). */
const NOTIFICATION_TYPES = ['Q1', 'Q2', 'Q3'];

const NOTIFICATION_PROPS = [
  v4.str('QualityNotification', 12),
  v4.str('MasterLanguage', 2),
  v4.str('NotificationOrigin', 2),
  v4.str('NotificationType', 2),
  v4.str('NotifProcessingPhase', 1),
  v4.str('NotificationText', 40),
  v4.str('NotificationPriority', 1),
  v4.bool('IsDeleted'),
  v4.date('CreationDate'),
  v4.date('NotificationCompletionDate'),
  v4.str('Material', 40),
  v4.str('Plant', 4),
  v4.str('InspectionLot', 12),
  v4.str('Batch', 10),
  v4.dto('ChangedDateTime'),
];

const ITEM_PROPS = [
  v4.str('QualityNotification', 12),
  v4.str('NotificationItem', 4),
  v4.str('NotificationItemText', 40),
  v4.str('DefectClass', 2),
  v4.int('NumberOfDefects'),
  v4.str('DefectCodeCatalog', 1),
  v4.str('DefectCodeGroup', 8),
  v4.str('DefectCode', 4),
  v4.dec('ExternalDefectiveQuantity', 13, 3),
  v4.dec('InternalDefectiveQuantity', 13, 3),
  v4.str('DefectiveQuantityUnit', 3),
];

const refuse = (message: string, target?: string) => new V4Error(400, 'QM/010', message, target);

function item(id: string, index: number, v: Row): NotificationItem {
  if (!text(v.DefectCodeGroup) || !text(v.DefectCode))
    throw refuse(`Item ${index + 1}: enter a defect code group and code`, '_QualityNotificationItem');
  return {
    QualityNotification: id,
    NotificationItem: String(index + 1),
    NotificationItemText: text(v.NotificationItemText),
    DefectCodeCatalog: text(v.DefectCodeCatalog) || '9',
    DefectCodeGroup: text(v.DefectCodeGroup),
    DefectCode: text(v.DefectCode),
    DefectClass: text(v.DefectClass),
    NumberOfDefects: typeof v.NumberOfDefects === 'number' ? v.NumberOfDefects : 1,
    ExternalDefectiveQuantity: qty(v.ExternalDefectiveQuantity),
    InternalDefectiveQuantity: qty(v.InternalDefectiveQuantity),
    DefectiveQuantityUnit: text(v.DefectiveQuantityUnit),
  };
}

export function qualityNotificationV4Service(model: SapModel): V4Service {
  const notifications = () => model.state.notifications;
  const find = (r: Row) => notifications().find((n) => n.QualityNotification === String(r.QualityNotification))!;
  return {
    path: QUALITY_NOTIFICATION_V4_PATH,
    namespace: 'com.sap.gateway.srvd_a2x.api_qualitynotification.v0001',
    sets: [
      {
        name: 'QualityNotification',
        type: 'QualityNotification_Type',
        keys: ['QualityNotification'],
        props: NOTIFICATION_PROPS,
        etag: 'ChangedDateTime',
        navs: [
          {
            name: '_QualityNotificationItem',
            target: 'QualityNotificationItem',
            resolve: (r) => find(r).items.map((i) => ({ ...i })),
          },
        ],
        rows: () => notifications().map((n) => ({ ...n })),
        create: ({ values: v, nested }, ctx) => {
          const type = text(v.NotificationType);
          if (!type) throw refuse('Enter a notification type', 'NotificationType');
          if (!NOTIFICATION_TYPES.includes(type))
            throw refuse(`Notification type ${type} is not defined`, 'NotificationType');
          if (!text(v.NotificationText)) throw refuse('Enter a short text for the notification', 'NotificationText');
          const id = model.next('notification');
          const notification: QualityNotification = {
            QualityNotification: id,
            MasterLanguage: text(v.MasterLanguage) || 'EN',
            NotificationType: type,
            NotificationOrigin: text(v.NotificationOrigin) || type,
            NotificationText: text(v.NotificationText),
            NotifProcessingPhase: '1',
            NotificationPriority: text(v.NotificationPriority),
            Material: text(v.Material),
            Plant: text(v.Plant),
            Batch: text(v.Batch),
            InspectionLot: text(v.InspectionLot),
            IsDeleted: false,
            CreationDate: Math.floor(ctx.now / 86_400_000) * 86_400_000,
            NotificationCompletionDate: null,
            ChangedDateTime: model.stamp(),
            items: (nested._QualityNotificationItem ?? []).map((values, i) => item(id, i, values)),
          };
          notifications().push(notification);
          return { row: { ...notification }, refs: { notification: id, text: notification.NotificationText } };
        },
      },
      {
        name: 'QualityNotificationItem',
        type: 'QualityNotificationItem_Type',
        keys: ['QualityNotification', 'NotificationItem'],
        props: ITEM_PROPS,
        rows: () => notifications().flatMap((n) => n.items.map((i) => ({ ...i }))),
      },
    ],
  };
}
