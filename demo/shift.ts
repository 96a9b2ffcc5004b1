import { randomUUID } from 'node:crypto';
import type { MesEventInput } from '../domain/events';

/** The lots one demo day works with: fresh ids every run (SAP batch numbers, at most 10 characters). */
export interface DemoLots {
  /** Pump housings (RM-300) from two foundry heats; the second one turns out porous. */
  housingsGood: string;
  housingsPorous: string;
  /** Impellers (RM-310) and coating resin (RM-400). */
  impellers: string;
  resin: string;
  /** Finished pumps (FG-100) the shift fills into two lots. */
  pumpsA: string;
  pumpsB: string;
}

export function demoLots(tag: string): DemoLots {
  return {
    housingsGood: `HA${tag}`,
    housingsPorous: `HB${tag}`,
    impellers: `IM${tag}`,
    resin: `RS${tag}`,
    pumpsA: `FA${tag}`,
    pumpsB: `FB${tag}`,
  };
}

/** What the warehouse received this morning, by supplier. */
export function deliveries(lots: DemoLots) {
  return [
    { material: 'RM-300', lotId: lots.housingsGood, quantity: { value: '200', uom: 'EA' }, supplier: 'Foundry Brno' },
    { material: 'RM-300', lotId: lots.housingsPorous, quantity: { value: '200', uom: 'EA' }, supplier: 'Foundry Brno' },
    { material: 'RM-310', lotId: lots.impellers, quantity: { value: '200', uom: 'EA' }, supplier: 'Inox Parts' },
    { material: 'RM-400', lotId: lots.resin, quantity: { value: '50', uom: 'KGM' }, supplier: 'Resinex' },
  ];
}

/**
 * The early shift as the MES reports it: assembly (housings from both heats, impellers; two housings
 * crack at press-fit and are scrapped), coating and pressure test (resin), and the 98 good pumps filled
 * into two lots. Effective times lie in the shift that just ended, in order, twelve minutes apart.
 */
export function shiftEvents(orderRef: string, site: string, lots: DemoLots, now = Date.now()): MesEventInput[] {
  let clock = now - 4 * 3_600_000;
  const at = () => new Date((clock += 12 * 60_000)).toISOString();
  const envelope = () => {
    const effectiveAt = at();
    return {
      eventId: randomUUID(),
      effectiveAt,
      recordedAt: effectiveAt,
      source: { system: 'mes' as const, instance: `mes-${site}` },
      site,
    };
  };
  const started = (operation: string): MesEventInput => ({
    ...envelope(),
    type: 'OperationStarted',
    correlation: { orderRef, operation },
    payload: { operator: 'op.sam' },
  });
  const consumed = (material: string, lotId: string, value: string, uom = 'EA'): MesEventInput => ({
    ...envelope(),
    type: 'MaterialConsumed',
    correlation: { orderRef, lotId },
    payload: { material, quantity: { value, uom }, operator: 'op.sam' },
  });
  const produced = (lotId: string, value: string): MesEventInput => ({
    ...envelope(),
    type: 'MaterialProduced',
    correlation: { orderRef, lotId },
    payload: { material: 'FG-100', quantity: { value, uom: 'EA' }, operator: 'op.sam' },
  });
  return [
    started('0010'),
    consumed('RM-300', lots.housingsGood, '60'),
    consumed('RM-300', lots.housingsPorous, '40'),
    consumed('RM-310', lots.impellers, '100'),
    {
      ...envelope(),
      type: 'OperationCompleted',
      correlation: { orderRef, operation: '0010' },
      payload: {
        yield: { value: '98', uom: 'EA' },
        scrap: { value: '2', uom: 'EA' },
        scrapReason: 'housing cracked at press-fit',
        final: true,
        operator: 'op.sam',
      },
    },
    started('0020'),
    consumed('RM-400', lots.resin, '24.5', 'KGM'),
    {
      ...envelope(),
      type: 'OperationCompleted',
      correlation: { orderRef, operation: '0020' },
      payload: { yield: { value: '98', uom: 'EA' }, final: true, operator: 'op.sam' },
    },
    produced(lots.pumpsA, '60'),
    produced(lots.pumpsB, '38'),
  ];
}
