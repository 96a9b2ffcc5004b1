import Decimal from 'decimal.js';
import { alpha, bool, dec, date, dto, int, str, type PropDef, type Row } from '../odata/edm';
import type { ServiceDef } from '../odata/model';
import { messages } from '../state/messages';
import type { SapModel } from '../state/model';
import type { Defect, NotificationItem, QualityNotification } from '../state/types';

/**
 * API_DEFECT_SRV (A_Defect) and a V2 quality-notification service. SAP's V2 API_QUALITYNOTIFICATION metadata
 * is unconfirmed (the released successor is V4 CE_QUALITYNOTIFICATION_0001); the simulator serves it as
 * OData V2 with the CDS element names of I_QltyNotificationTP so one protocol client covers every service.
 */
const DEFECT_PROPS: PropDef[] = [
  alpha('DefectInternalID', 12),
  alpha('Defect', 11),
  str('DefectCategory', 2),
  str('DefectText', 40),
  str('DefectCodeCatalog', 1),
  str('DefectCodeGroup', 8),
  str('DefectCode', 4),
  str('DefectClass', 2),
  int('NumberOfDefects'),
  str('DefectiveQuantityUnit', 3),
  dec('DefectiveQuantity', 13, 3, 'DefectiveQuantityUnit'),
  alpha('ManufacturingOrder', 12),
  str('ManufacturingOrderOperation', 4),
  str('Material', 40),
  str('Plant', 4),
  alpha('InspectionLot', 12),
  bool('IsDeleted'),
  dto('ChangedDateTime'),
];

const NOTIFICATION_PROPS: PropDef[] = [
  alpha('QualityNotification', 12),
  str('NotificationType', 2),
  str('NotificationOrigin', 2),
  str('NotificationText', 40),
  str('NotifProcessingPhase', 1),
  str('NotificationPriority', 1),
  str('Material', 40),
  str('Plant', 4),
  str('Batch', 10),
  alpha('InspectionLot', 12),
  alpha('ManufacturingOrder', 12),
  date('CreationDate'),
  date('NotificationCompletionDate'),
  dto('ChangedDateTime'),
];

const ITEM_PROPS: PropDef[] = [
  alpha('QualityNotification', 12),
  alpha('NotificationItem', 4),
  str('NotificationItemText', 40),
  str('DefectCodeCatalog', 1),
  str('DefectCodeGroup', 8),
  str('DefectCode', 4),
  str('DefectClass', 2),
  int('NumberOfDefects'),
  str('DefectiveQuantityUnit', 3),
  dec('ExternalDefectiveQuantity', 13, 3, 'DefectiveQuantityUnit'),
  dec('InternalDefectiveQuantity', 13, 3, 'DefectiveQuantityUnit'),
];

const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const qty = (v: unknown): string => (typeof v === 'string' ? new Decimal(v).toFixed() : '0');

export function defectService(model: SapModel): ServiceDef {
  const row = (d: Defect): Row => ({ ...d });
  return {
    name: 'API_DEFECT_SRV',
    namespace: 'API_DEFECT_SRV',
    complexTypes: [],
    functions: [],
    sets: [
      {
        name: 'A_Defect',
        type: 'A_DefectType',
        keys: ['DefectInternalID'],
        props: DEFECT_PROPS,
        etag: 'ChangedDateTime',
        creatable: true,
        updatable: true,
        patchable: ['DefectText', 'IsDeleted', 'DefectiveQuantity'],
        rows: () => model.state.defects.map(row),
        create: (input) => {
          const v = input.values;
          if (!text(v.DefectText) || !text(v.DefectCode))
            throw messages.invalid('QM_DEFECT/001', 'DefectText and DefectCode are required');
          const id = model.next('defect');
          const defect: Defect = {
            DefectInternalID: id,
            Defect: id,
            DefectCategory: text(v.DefectCategory) || '01',
            DefectText: text(v.DefectText),
            DefectCodeCatalog: text(v.DefectCodeCatalog) || '9',
            DefectCodeGroup: text(v.DefectCodeGroup),
            DefectCode: text(v.DefectCode),
            DefectClass: text(v.DefectClass),
            NumberOfDefects: typeof v.NumberOfDefects === 'number' ? v.NumberOfDefects : 1,
            DefectiveQuantity: qty(v.DefectiveQuantity),
            DefectiveQuantityUnit: text(v.DefectiveQuantityUnit),
            ManufacturingOrder: text(v.ManufacturingOrder),
            ManufacturingOrderOperation: text(v.ManufacturingOrderOperation),
            Material: text(v.Material),
            Plant: text(v.Plant),
            InspectionLot: text(v.InspectionLot),
            IsDeleted: false,
            ChangedDateTime: model.stamp(),
          };
          model.state.defects.push(defect);
          return { row: row(defect), refs: { defect: id, text: defect.DefectText } };
        },
        patch: (current, changes) => {
          const defect = model.state.defects.find((d) => d.DefectInternalID === current.DefectInternalID)!;
          Object.assign(defect, changes, { ChangedDateTime: model.stamp() });
          return { row: row(defect), refs: { defect: defect.DefectInternalID } };
        },
      },
    ],
  };
}

export function qualityNotificationService(model: SapModel): ServiceDef {
  const row = (n: QualityNotification): Row => ({ ...n });
  const find = (r: Row) =>
    model.state.notifications.find((n) => n.QualityNotification === String(r.QualityNotification))!;
  return {
    name: 'API_QUALITYNOTIFICATION',
    namespace: 'API_QUALITYNOTIFICATION',
    complexTypes: [],
    functions: [],
    sets: [
      {
        name: 'QualityNotification',
        type: 'QualityNotificationType',
        keys: ['QualityNotification'],
        props: NOTIFICATION_PROPS,
        etag: 'ChangedDateTime',
        creatable: true,
        updatable: true,
        patchable: ['NotifProcessingPhase', 'NotificationPriority', 'NotificationText'],
        navs: [
          {
            name: 'to_QualityNotificationItem',
            target: 'QualityNotificationItem',
            many: true,
            deepInsert: true,
            resolve: (r) => find(r).items.map((i) => ({ ...i })),
          },
        ],
        rows: () => model.state.notifications.map(row),
        create: (input, ctx) => {
          const v = input.values;
          if (!text(v.NotificationText)) throw messages.invalid('QM/010', 'Enter a short text for the notification');
          const id = model.next('notification');
          const items: NotificationItem[] = (input.nested.to_QualityNotificationItem ?? []).map((n, i) => ({
            QualityNotification: id,
            NotificationItem: String(i + 1),
            NotificationItemText: text(n.values.NotificationItemText),
            DefectCodeCatalog: text(n.values.DefectCodeCatalog) || '9',
            DefectCodeGroup: text(n.values.DefectCodeGroup),
            DefectCode: text(n.values.DefectCode),
            DefectClass: text(n.values.DefectClass),
            NumberOfDefects: typeof n.values.NumberOfDefects === 'number' ? n.values.NumberOfDefects : 1,
            ExternalDefectiveQuantity: qty(n.values.ExternalDefectiveQuantity),
            InternalDefectiveQuantity: qty(n.values.InternalDefectiveQuantity),
            DefectiveQuantityUnit: text(n.values.DefectiveQuantityUnit),
          }));
          const notification: QualityNotification = {
            QualityNotification: id,
            NotificationType: text(v.NotificationType) || 'Q3',
            NotificationOrigin: text(v.NotificationOrigin) || 'Q3',
            NotificationText: text(v.NotificationText),
            NotifProcessingPhase: '1',
            NotificationPriority: text(v.NotificationPriority) || '3',
            Material: text(v.Material),
            Plant: text(v.Plant),
            Batch: text(v.Batch),
            InspectionLot: text(v.InspectionLot),
            ManufacturingOrder: text(v.ManufacturingOrder),
            CreationDate: Math.floor(ctx.now / 86_400_000) * 86_400_000,
            NotificationCompletionDate: null,
            ChangedDateTime: model.stamp(),
            items,
          };
          model.state.notifications.push(notification);
          return { row: row(notification), refs: { notification: id, text: notification.NotificationText } };
        },
        patch: (current, changes, ctx) => {
          const n = find(current);
          if (
            n.NotifProcessingPhase === '4' &&
            changes.NotifProcessingPhase !== undefined &&
            changes.NotifProcessingPhase !== '4'
          ) {
            throw messages.invalid(
              'QM/120',
              `Notification ${n.QualityNotification} is completed and cannot be reopened via the API`,
            );
          }
          if (
            changes.NotifProcessingPhase !== undefined &&
            !['1', '2', '3', '4'].includes(String(changes.NotifProcessingPhase))
          ) {
            throw messages.invalid('QM/121', `Processing phase ${String(changes.NotifProcessingPhase)} is not defined`);
          }
          Object.assign(n, changes, { ChangedDateTime: model.stamp() });
          if (n.NotifProcessingPhase === '4' && n.NotificationCompletionDate === null)
            n.NotificationCompletionDate = Math.floor(ctx.now / 86_400_000) * 86_400_000;
          return { row: row(n), refs: { notification: n.QualityNotification, phase: n.NotifProcessingPhase } };
        },
      },
      {
        name: 'QualityNotificationItem',
        type: 'QualityNotificationItemType',
        keys: ['QualityNotification', 'NotificationItem'],
        props: ITEM_PROPS,
        rows: () => model.state.notifications.flatMap((n) => n.items.map((i) => ({ ...i }))),
      },
    ],
  };
}
