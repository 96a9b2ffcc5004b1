/**
 * Business state of the simulated S/4HANA client 100, plant 1710. Records use SAP's OData property names
 * where they are served directly; everything is JSON-safe (dates as epoch ms, decimals as strings) so the
 * state persists to a file and shows in /__sim/state.
 */
export type StockType = 'unrestricted' | 'qualityInspection' | 'blocked';

export interface MaterialMaster {
  Material: string;
  /** SAP unit (EA, KG). */
  BaseUnit: string;
  batchManaged: boolean;
  /** Inspection type 04 active: GR from production goes to QI stock and opens an inspection lot. */
  inspectionManaged: boolean;
  kind: 'finished' | 'component';
}

export interface StockRecord {
  Material: string;
  Plant: string;
  StorageLocation: string;
  Batch: string;
  unrestricted: string;
  qualityInspection: string;
  blocked: string;
}

export interface OperationRecord {
  OrderIntBillOfOperationsItem: string;
  ManufacturingOrderOperation: string;
  MfgOrderOperationText: string;
  WorkCenter: string;
  OpPlannedTotalQuantity: string;
  OpTotalConfirmedYieldQty: string;
  OpTotalConfirmedScrapQty: string;
  /** Confirmation number (RUECK) of the operation: every confirmation of it shares this group. */
  ConfirmationGroup: string;
  statuses: string[];
  LastChangeDateTime: string;
}

export interface ComponentRecord {
  ReservationItem: string;
  Material: string;
  ManufacturingOrderOperation: string;
  StorageLocation: string;
  Batch: string;
  BaseUnit: string;
  RequiredQuantity: string;
  WithdrawnQuantity: string;
  ReservationIsFinallyIssued: boolean;
}

export interface OrderRecord {
  ManufacturingOrder: string;
  ManufacturingOrderType: string;
  Material: string;
  ProductionPlant: string;
  StorageLocation: string;
  MRPController: string;
  ProductionVersion: string;
  TotalQuantity: string;
  MfgOrderPlannedScrapQty: string;
  ProductionUnit: string;
  MfgOrderConfirmedYieldQty: string;
  /** Quantity received with 101 (net of 102); drives PDLV/DLV. */
  deliveredQuantity: string;
  OrderInternalBillOfOperations: string;
  Reservation: string;
  MfgOrderCreationDate: number;
  MfgOrderCreationTime: string;
  MfgOrderPlannedStartDate: number;
  MfgOrderPlannedEndDate: number;
  MfgOrderScheduledStartDate: number;
  MfgOrderScheduledEndDate: number;
  MfgOrderActualReleaseDate: number | null;
  LastChangeDateTime: string;
  /** System status short names in SAP's order: CRTD/REL, PCNF/CNF, PDLV/DLV, TECO, … */
  statuses: string[];
  operations: OperationRecord[];
  components: ComponentRecord[];
}

export interface MaterialDocumentItem {
  MaterialDocumentItem: string;
  Material: string;
  Plant: string;
  StorageLocation: string;
  Batch: string;
  GoodsMovementType: string;
  InventoryStockType: string;
  InventoryUsabilityCode: string;
  ManufacturingOrder: string;
  ManufacturingOrderItem: string;
  GoodsMovementRefDocType: string;
  GoodsMovementReasonCode: string;
  CostCenter: string;
  EntryUnit: string;
  QuantityInEntryUnit: string;
  MaterialBaseUnit: string;
  QuantityInBaseUnit: string;
  IssgOrRcvgMaterial: string;
  IssgOrRcvgBatch: string;
  IssuingOrReceivingPlant: string;
  IssuingOrReceivingStorageLoc: string;
  IssuingOrReceivingStockType: string;
  Reservation: string;
  ReservationItem: string;
  ReservationIsFinallyIssued: boolean;
  IsCompletelyDelivered: boolean;
  MaterialDocumentItemText: string;
  GoodsMovementIsCancelled: boolean;
  ReversedMaterialDocumentYear: string;
  ReversedMaterialDocument: string;
  ReversedMaterialDocumentItem: string;
  DebitCreditCode: string;
}

export interface MaterialDocument {
  MaterialDocumentYear: string;
  MaterialDocument: string;
  GoodsMovementCode: string;
  InventoryTransactionType: string;
  DocumentDate: number;
  PostingDate: number;
  CreationDate: number;
  CreationTime: string;
  CreatedByUser: string;
  MaterialDocumentHeaderText: string;
  ReferenceDocument: string;
  items: MaterialDocumentItem[];
}

export interface Confirmation {
  ConfirmationGroup: string;
  ConfirmationCount: string;
  OrderID: string;
  OrderOperation: string;
  Sequence: string;
  OrderType: string;
  Material: string;
  Plant: string;
  WorkCenter: string;
  ConfirmationUnit: string;
  ConfirmationYieldQuantity: string;
  ConfirmationScrapQuantity: string;
  ConfirmationReworkQuantity: string;
  VarianceReasonCode: string;
  IsFinalConfirmation: boolean;
  FinalConfirmationType: string;
  OpenReservationsIsCleared: boolean;
  IsReversed: boolean;
  IsReversal: boolean;
  APIConfHasNoGoodsMovements: boolean;
  ExternalSystemConfirmation: string;
  ConfirmationText: string;
  PostingDate: number;
  ConfirmationEntryDate: number;
  ConfirmationEntryTime: string;
  EnteredByUser: string;
  EnteredByExternalUser: string;
  Personnel: string;
  OrderConfirmationRecordType: string;
  /** For a reversal record: the count it cancels. */
  cancelledCount: string;
  /** Material document items posted with this confirmation. */
  goodsMovements: Array<{ MaterialDocument: string; MaterialDocumentYear: string; MaterialDocumentItem: string }>;
}

/** A goods movement that failed inside a confirmation and waits in the error pool (COGI). */
export interface FailedGoodsMovement {
  ConfirmationGroup: string;
  ConfirmationCount: string;
  Material: string;
  Batch: string;
  GoodsMovementType: string;
  QuantityInEntryUnit: string;
  EntryUnit: string;
  message: string;
}

export interface Batch {
  Material: string;
  BatchIdentifyingPlant: string;
  Batch: string;
  BatchIsMarkedForDeletion: boolean;
  MatlBatchIsInRstrcdUseStock: boolean;
  ShelfLifeExpirationDate: number | null;
  ManufactureDate: number | null;
  CreationDateTime: number;
  LastChangeDateTime: number;
}

export interface UsageDecision {
  InspectionLot: string;
  InspLotUsageDecisionLevel: string;
  InspLotUsageDecisionCatalog: string;
  SelectedCodeSetPlant: string;
  InspLotUsgeDcsnSelectedSet: string;
  InspLotUsageDecisionCodeGroup: string;
  InspectionLotUsageDecisionCode: string;
  InspLotUsageDecisionValuation: string;
  InspectionLotQualityScore: string;
  InspectionLotUsageDecidedBy: string;
  InspectionLotUsageDecidedOn: number;
  InspLotUsageDecisionTime: string;
  ChangedDateTime: number;
}

export interface InspLotStockPosting {
  InspectionLot: string;
  InspLotMatlDocItem: string;
  InspLotQtyPosted: string;
  UsageDecisionStockType: string;
  StorageLocation: string;
  InspLotMaterialPostedTo: string;
  InspLotBatchTransferredTo: string;
  MaterialDocumentItemText: string;
  MaterialDocument: string;
  MaterialDocumentYear: string;
  MaterialDocumentItem: string;
}

export interface InspectionLot {
  InspectionLot: string;
  Material: string;
  Batch: string;
  Plant: string;
  InspectionLotOrigin: string;
  InspectionLotType: string;
  ManufacturingOrder: string;
  InspectionLotText: string;
  InspectionLotQuantity: string;
  InspectionLotActualQuantity: string;
  InspectionLotQuantityUnit: string;
  InspectionLotStorageLocation: string;
  MaterialDocumentYear: string;
  MaterialDocument: string;
  MaterialDocumentItem: string;
  GoodsMovementType: string;
  InspectionLotCreatedOn: number;
  InspectionLotCreatedOnTime: string;
  InspLotQtyToFree: string;
  InspLotQtyToScrap: string;
  InspLotQtyToBlocked: string;
  InspLotQtyToBePosted: string;
  ChangedDateTime: number;
  /** The goods receipt was reversed before any decision (status LTCA). */
  canceled: boolean;
  usageDecision: UsageDecision | null;
  stockPostings: InspLotStockPosting[];
}

/** Item (defect) of a quality notification, as I_QualityNotificationItemTP names its elements. */
export interface NotificationItem {
  QualityNotification: string;
  NotificationItem: string;
  NotificationItemText: string;
  DefectCodeCatalog: string;
  DefectCodeGroup: string;
  DefectCode: string;
  DefectClass: string;
  NumberOfDefects: number;
  ExternalDefectiveQuantity: string;
  InternalDefectiveQuantity: string;
  DefectiveQuantityUnit: string;
}

/** A quality notification with the elements of I_QltyNotificationTP the V4 service exposes. */
export interface QualityNotification {
  QualityNotification: string;
  MasterLanguage: string;
  NotificationType: string;
  NotificationOrigin: string;
  NotificationText: string;
  NotifProcessingPhase: string;
  NotificationPriority: string;
  Material: string;
  Plant: string;
  Batch: string;
  InspectionLot: string;
  IsDeleted: boolean;
  CreationDate: number;
  NotificationCompletionDate: number | null;
  ChangedDateTime: number;
  items: NotificationItem[];
}

export interface Defect {
  DefectInternalID: string;
  Defect: string;
  DefectCategory: string;
  DefectText: string;
  DefectCodeCatalog: string;
  DefectCodeGroup: string;
  DefectCode: string;
  DefectClass: string;
  NumberOfDefects: number;
  DefectiveQuantity: string;
  DefectiveQuantityUnit: string;
  ManufacturingOrder: string;
  ManufacturingOrderOperation: string;
  Material: string;
  Plant: string;
  InspectionLot: string;
  IsDeleted: boolean;
  ChangedDateTime: number;
}

export interface Counters {
  order: number;
  reservation: number;
  billOfOperations: number;
  confirmationGroup: number;
  materialDocument: number;
  inspectionLot: number;
  notification: number;
  defect: number;
  /** Last ETag timestamp handed out (ms), so every change gets a strictly newer one. */
  lastStamp: number;
}

export interface SapState {
  counters: Counters;
  materials: MaterialMaster[];
  stock: StockRecord[];
  batches: Batch[];
  orders: OrderRecord[];
  confirmations: Confirmation[];
  materialDocuments: MaterialDocument[];
  failedGoodsMovements: FailedGoodsMovement[];
  inspectionLots: InspectionLot[];
  notifications: QualityNotification[];
  defects: Defect[];
}
