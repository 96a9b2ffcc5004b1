import { randomUUID } from 'node:crypto';
import type { MesEventInput } from '../../domain/events';
import { productionOrderSchema, type ProductionOrder, type ProductionOrderInput } from '../../domain/order';

/** The demo order of scenario S1 (docs/scenarios.md): 100 EA of FG-100, two operations, two component lots. */
export function demoOrderInput(overrides: Partial<ProductionOrderInput> = {}): ProductionOrderInput {
  return {
    orderRef: 'PO-1001',
    site: '1710',
    owner: 'sap',
    material: 'FG-100',
    quantity: { value: '100', uom: 'EA' },
    tolerance: { overPercent: '5' },
    operations: [
      { operation: '0010', workCenter: 'ASSY1', description: 'Assemble housing and impeller' },
      { operation: '0020', workCenter: 'TEST1', description: 'Coat and pressure test' },
    ],
    components: [
      { material: 'RM-300', quantity: { value: '100', uom: 'EA' }, operation: '0010' },
      { material: 'RM-310', quantity: { value: '100', uom: 'EA' }, operation: '0010' },
      { material: 'RM-400', quantity: { value: '25', uom: 'KGM' }, operation: '0020' },
    ],
    erp: { odooMo: 'WH/MO/00001', sapOrder: '1000001' },
    releasedBy: 'plan.eva',
    ...overrides,
  };
}

export function demoOrder(overrides: Partial<ProductionOrderInput> = {}): ProductionOrder {
  return productionOrderSchema.parse(demoOrderInput(overrides));
}

let clock = Date.parse('2026-11-23T06:00:00Z');
/** MES events with fresh ids and increasing effective times, as the shop floor would send them. */
export const mes = {
  at(iso: string): void {
    clock = Date.parse(iso);
  },
  envelope(orderRef = 'PO-1001', site = '1710') {
    clock += 60_000;
    const t = new Date(clock).toISOString();
    return {
      eventId: randomUUID(),
      effectiveAt: t,
      recordedAt: t,
      source: { system: 'mes' as const, instance: 'mes-1710' },
      site,
      orderRef,
    };
  },
  started(operation: string, o: { orderRef?: string; operator?: string } = {}): MesEventInput {
    const { orderRef, ...env } = mes.envelope(o.orderRef);
    return {
      ...env,
      type: 'OperationStarted',
      correlation: { orderRef, operation },
      payload: { operator: o.operator ?? 'op.sam' },
    };
  },
  completed(
    operation: string,
    y: string,
    o: { scrap?: string; rework?: string; final?: boolean; orderRef?: string; uom?: string } = {},
  ): MesEventInput {
    const { orderRef, ...env } = mes.envelope(o.orderRef);
    const uom = o.uom ?? 'EA';
    return {
      ...env,
      type: 'OperationCompleted',
      correlation: { orderRef, operation },
      payload: {
        yield: { value: y, uom },
        scrap: o.scrap ? { value: o.scrap, uom } : undefined,
        rework: o.rework ? { value: o.rework, uom } : undefined,
        final: o.final ?? false,
        operator: 'op.sam',
      },
    };
  },
  consumed(material: string, lotId: string, value: string, uom = 'EA', o: { orderRef?: string } = {}): MesEventInput {
    const { orderRef, ...env } = mes.envelope(o.orderRef);
    return {
      ...env,
      type: 'MaterialConsumed',
      correlation: { orderRef, lotId },
      payload: { material, quantity: { value, uom }, operator: 'op.sam' },
    };
  },
  produced(
    lotId: string,
    value: string,
    o: { material?: string; orderRef?: string; uom?: string } = {},
  ): MesEventInput {
    const { orderRef, ...env } = mes.envelope(o.orderRef);
    return {
      ...env,
      type: 'MaterialProduced',
      correlation: { orderRef, lotId },
      payload: { material: o.material ?? 'FG-100', quantity: { value, uom: o.uom ?? 'EA' }, operator: 'op.sam' },
    };
  },
};

/** The whole shift of a 100 EA order of FG-100: both operations, every component lot, one produced lot. */
export function fullShift(orderRef: string, lotId: string): MesEventInput[] {
  return [
    mes.started('0010', { orderRef }),
    mes.consumed('RM-300', 'H-1001', '100', 'EA', { orderRef }),
    mes.consumed('RM-310', 'I-2001', '100', 'EA', { orderRef }),
    mes.completed('0010', '100', { orderRef, final: true }),
    mes.started('0020', { orderRef }),
    mes.consumed('RM-400', 'R-4001', '25', 'KGM', { orderRef }),
    mes.completed('0020', '100', { orderRef, final: true }),
    mes.produced(lotId, '100', { orderRef }),
  ];
}
