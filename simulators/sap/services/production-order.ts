import { alpha, bool, dec, date, str, time, type PropDef, type Row } from '../odata/edm';
import { badRequest } from '../odata/errors';
import type { ComplexTypeDef, EntitySetDef, ServiceDef } from '../odata/model';
import { messages } from '../state/messages';
import type { SapModel } from '../state/model';
import { changeOrder, createOrder, releaseOrder, technicallyCompleteOrder } from '../state/orders';
import { PLANT_CUSTOMIZING } from '../state/seed';
import type { OrderRecord } from '../state/types';

/** API_PRODUCTION_ORDER_2_SRV: header, operations, components, statuses; ReleaseOrder and TechlyCmpltOrder. */
const STATUS_TEXT: Record<string, [string, string]> = {
  CRTD: ['I0001', 'Created'],
  REL: ['I0002', 'Released'],
  CNF: ['I0009', 'Confirmed'],
  PCNF: ['I0010', 'Partially confirmed'],
  DLV: ['I0012', 'Delivered'],
  TECO: ['I0045', 'Technically completed'],
  CLSD: ['I0046', 'Closed'],
  PDLV: ['I0074', 'Partially delivered'],
  GMPS: ['I0321', 'Goods movement posted'],
};

const flag = (on: boolean): string => (on ? 'X' : '');
const FLAG_PROPS: Array<[string, string]> = [
  ['OrderIsCreated', 'CRTD'],
  ['OrderIsReleased', 'REL'],
  ['OrderIsConfirmed', 'CNF'],
  ['OrderIsPartiallyConfirmed', 'PCNF'],
  ['OrderIsDelivered', 'DLV'],
  ['OrderIsPartiallyDelivered', 'PDLV'],
  ['OrderIsTechnicallyCompleted', 'TECO'],
  ['OrderIsClosed', 'CLSD'],
];
const OP_FLAG_PROPS: Array<[string, string]> = [
  ['OperationIsCreated', 'CRTD'],
  ['OperationIsReleased', 'REL'],
  ['OperationIsConfirmed', 'CNF'],
  ['OperationIsPartiallyConfirmed', 'PCNF'],
  ['OperationIsTechlyCompleted', 'TECO'],
  ['OperationIsClosed', 'CLSD'],
];

const HEADER_PROPS: PropDef[] = [
  alpha('ManufacturingOrder', 12),
  str('ManufacturingOrderCategory', 2),
  str('ManufacturingOrderType', 4),
  ...FLAG_PROPS.map(([p]) => str(p, 1)),
  str('OrderIsDeleted', 1),
  str('OrderIsMarkedForDeletion', 1),
  str('OrderIsLocked', 1),
  date('MfgOrderCreationDate'),
  time('MfgOrderCreationTime'),
  str('LastChangeDateTime', 14),
  str('Material', 40),
  str('StorageLocation', 4),
  alpha('OrderInternalBillOfOperations', 10),
  str('ProductionPlant', 4),
  str('Plant', 4),
  str('MRPController', 3),
  str('ProductionVersion', 4),
  date('MfgOrderPlannedStartDate'),
  date('MfgOrderPlannedEndDate'),
  date('MfgOrderScheduledStartDate'),
  date('MfgOrderScheduledEndDate'),
  date('MfgOrderActualReleaseDate'),
  str('ProductionUnit', 3),
  dec('TotalQuantity', 13, 3, 'ProductionUnit'),
  dec('MfgOrderPlannedScrapQty', 13, 3, 'ProductionUnit'),
  dec('MfgOrderConfirmedYieldQty', 13, 3, 'ProductionUnit'),
];

const OPERATION_PROPS: PropDef[] = [
  alpha('OrderInternalBillOfOperations', 10),
  alpha('OrderIntBillOfOperationsItem', 8),
  alpha('ManufacturingOrder', 12),
  str('ManufacturingOrderSequence', 6),
  str('ManufacturingOrderOperation', 4),
  str('MfgOrderOperationText', 40),
  ...OP_FLAG_PROPS.map(([p]) => str(p, 1)),
  str('WorkCenter', 8),
  str('OperationUnit', 3),
  dec('OpPlannedTotalQuantity', 13, 3, 'OperationUnit'),
  dec('OpTotalConfirmedYieldQty', 13, 3, 'OperationUnit'),
  str('LastChangeDateTime', 14),
];

const COMPONENT_PROPS: PropDef[] = [
  alpha('Reservation', 10),
  alpha('ReservationItem', 4),
  str('Material', 40),
  str('Plant', 4),
  alpha('ManufacturingOrder', 12),
  str('ManufacturingOrderOperation', 4),
  str('ManufacturingOrderSequence', 6),
  str('StorageLocation', 4),
  str('Batch', 10),
  str('GoodsMovementType', 3),
  bool('ReservationIsFinallyIssued'),
  bool('MatlCompIsMarkedForBackflush'),
  str('BaseUnit', 3),
  dec('RequiredQuantity', 13, 3, 'BaseUnit'),
  dec('WithdrawnQuantity', 13, 3, 'BaseUnit'),
];

const STATUS_PROPS: PropDef[] = [
  alpha('ManufacturingOrder', 12),
  str('StatusCode', 5),
  bool('IsUserStatus'),
  str('StatusShortName', 4),
  str('StatusName', 30),
];

export const FUNCTION_MESSAGE: ComplexTypeDef = {
  name: 'FunctionMessage',
  props: [
    str('SystemMessageType', 1),
    str('SystemMessageIdentification', 20),
    str('SystemMessageNumber', 3),
    str('SystemMessageLongText', 220),
    str('SystemMessageVariable1', 50),
    str('SystemMessageVariable2', 50),
    str('SystemMessageVariable3', 50),
    str('SystemMessageVariable4', 50),
  ],
};

function headerRow(o: OrderRecord): Row {
  const row: Row = {
    ...o,
    Plant: o.ProductionPlant,
    ManufacturingOrderCategory: '10',
    OrderIsDeleted: '',
    OrderIsMarkedForDeletion: '',
    OrderIsLocked: '',
  };
  for (const [prop, status] of FLAG_PROPS) row[prop] = flag(o.statuses.includes(status));
  return row;
}

const operationRows = (o: OrderRecord): Row[] =>
  o.operations.map((op) => {
    const row: Row = {
      ...op,
      OrderInternalBillOfOperations: o.OrderInternalBillOfOperations,
      ManufacturingOrder: o.ManufacturingOrder,
      ManufacturingOrderSequence: '0',
      OperationUnit: o.ProductionUnit,
    };
    for (const [prop, status] of OP_FLAG_PROPS) row[prop] = flag(op.statuses.includes(status));
    return row;
  });

const componentRows = (o: OrderRecord): Row[] =>
  o.components.map((c) => ({
    ...c,
    Reservation: o.Reservation,
    Plant: o.ProductionPlant,
    ManufacturingOrder: o.ManufacturingOrder,
    ManufacturingOrderSequence: '0',
    GoodsMovementType: '261',
    MatlCompIsMarkedForBackflush: false,
  }));

const statusRows = (o: OrderRecord): Row[] =>
  o.statuses.map((s) => ({
    ManufacturingOrder: o.ManufacturingOrder,
    StatusCode: STATUS_TEXT[s]![0],
    IsUserStatus: false,
    StatusShortName: s,
    StatusName: STATUS_TEXT[s]![1],
  }));

const ok = (text: string, order: string): Row => ({
  SystemMessageType: 'S',
  SystemMessageIdentification: 'CO',
  SystemMessageNumber: '093',
  SystemMessageLongText: text,
  SystemMessageVariable1: order,
});

export function productionOrderService(model: SapModel): ServiceDef {
  const orders = () => model.state.orders;
  const byNumber = (row: Row) => model.order(String(row.ManufacturingOrder))!;
  const header: EntitySetDef = {
    name: 'A_ProductionOrder_2',
    type: 'A_ProductionOrder_2Type',
    keys: ['ManufacturingOrder'],
    props: HEADER_PROPS,
    etag: 'LastChangeDateTime',
    creatable: true,
    updatable: true,
    patchable: [
      'TotalQuantity',
      'MfgOrderPlannedScrapQty',
      'MfgOrderPlannedStartDate',
      'MfgOrderPlannedEndDate',
      'MfgOrderScheduledStartDate',
      'MfgOrderScheduledEndDate',
    ],
    navs: [
      {
        name: 'to_ProductionOrderOperation',
        target: 'A_ProductionOrderOperation_2',
        many: true,
        resolve: (r) => operationRows(byNumber(r)),
      },
      {
        name: 'to_ProductionOrderComponent',
        target: 'A_ProductionOrderComponent_2',
        many: true,
        resolve: (r) => componentRows(byNumber(r)),
      },
      {
        name: 'to_ProductionOrderStatus',
        target: 'A_ProductionOrderStatus_2',
        many: true,
        resolve: (r) => statusRows(byNumber(r)),
      },
    ],
    rows: () => orders().map(headerRow),
    create: (input, ctx) => {
      if (input.sent.has('ManufacturingOrder'))
        throw badRequest('External numbering is not allowed for this order type', 'CO/111');
      const v = input.values;
      if (
        typeof v.Material !== 'string' ||
        typeof v.ProductionPlant !== 'string' ||
        typeof v.TotalQuantity !== 'string'
      ) {
        throw messages.invalid('PP_ODATA_API_PRODORD/011', 'Material, ProductionPlant and TotalQuantity are required');
      }
      // The API offers no default order type: the caller names one the plant has.
      const type = typeof v.ManufacturingOrderType === 'string' ? v.ManufacturingOrderType : '';
      if (!type) throw messages.invalid('CO/072', 'Enter an order type (ManufacturingOrderType)');
      if (!PLANT_CUSTOMIZING.orderTypes.includes(type))
        throw messages.invalid('CO/073', `Order type ${type} is not defined for plant ${String(v.ProductionPlant)}`);
      const order = model.transaction(() =>
        createOrder(
          model,
          {
            Material: v.Material as string,
            ProductionPlant: v.ProductionPlant as string,
            TotalQuantity: v.TotalQuantity as string,
            ProductionUnit: v.ProductionUnit as string | undefined,
            ManufacturingOrderType: type,
            MfgOrderPlannedStartDate: v.MfgOrderPlannedStartDate as number | undefined,
            MfgOrderPlannedEndDate: v.MfgOrderPlannedEndDate as number | undefined,
          },
          ctx.now,
        ),
      );
      return { row: headerRow(order), refs: { order: order.ManufacturingOrder, material: order.Material } };
    },
    patch: (row, changes) => {
      const order = byNumber(row);
      model.transaction(() => changeOrder(model, order, changes));
      return { row: headerRow(model.order(order.ManufacturingOrder)!) };
    },
  };
  const flatten = (f: (o: OrderRecord) => Row[]) => () => orders().flatMap(f);
  const orderParam = [{ ...alpha('ManufacturingOrder', 12), required: true }];
  const findOrder = (params: Row) =>
    model.order(String(params.ManufacturingOrder)) ?? fail(messages.orderMissing(String(params.ManufacturingOrder)));
  return {
    name: 'API_PRODUCTION_ORDER_2_SRV',
    namespace: 'API_PRODUCTION_ORDER_2_SRV',
    complexTypes: [FUNCTION_MESSAGE],
    sets: [
      header,
      {
        name: 'A_ProductionOrderOperation_2',
        type: 'A_ProductionOrderOperation_2Type',
        keys: ['OrderInternalBillOfOperations', 'OrderIntBillOfOperationsItem'],
        props: OPERATION_PROPS,
        etag: 'LastChangeDateTime',
        rows: flatten(operationRows),
      },
      {
        name: 'A_ProductionOrderComponent_2',
        type: 'A_ProductionOrderComponent_2Type',
        keys: ['Reservation', 'ReservationItem'],
        props: COMPONENT_PROPS,
        rows: flatten(componentRows),
      },
      {
        name: 'A_ProductionOrderStatus_2',
        type: 'A_ProductionOrderStatus_2Type',
        keys: ['ManufacturingOrder', 'StatusCode'],
        props: STATUS_PROPS,
        rows: flatten(statusRows),
      },
    ],
    functions: [
      {
        name: 'ReleaseOrder',
        httpMethod: 'POST',
        params: orderParam,
        returns: { kind: 'complex', type: FUNCTION_MESSAGE },
        actionFor: 'A_ProductionOrder_2Type',
        invoke: (params, ctx) => {
          const order = findOrder(params);
          model.transaction(() => releaseOrder(model, order, ctx.now));
          return {
            result: ok(`Order ${order.ManufacturingOrder} released`, order.ManufacturingOrder),
            refs: { order: order.ManufacturingOrder },
          };
        },
      },
      {
        name: 'TechlyCmpltOrder',
        httpMethod: 'POST',
        params: orderParam,
        returns: { kind: 'complex', type: FUNCTION_MESSAGE },
        actionFor: 'A_ProductionOrder_2Type',
        invoke: (params) => {
          const order = findOrder(params);
          model.transaction(() => technicallyCompleteOrder(model, order));
          return {
            result: ok(`Order ${order.ManufacturingOrder} technically completed`, order.ManufacturingOrder),
            refs: { order: order.ManufacturingOrder },
          };
        },
      },
    ],
  };
}

function fail(err: Error): never {
  throw err;
}
