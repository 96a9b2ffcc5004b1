import { atomically } from '../../shared/undo';
import { unpad, utcMidnight } from '../odata/edm';
import { messages } from './messages';
import { COMPANY_CODE, nextStamp, seedState } from './seed';
import type { Batch, InspectionLot, MaterialMaster, OrderRecord, SapState } from './types';

/** The protocol-specific faults the business layer reads (a view on the server's FaultInjector). */
export interface FaultSource {
  special<T extends number | boolean | string>(name: string, fallback: T): T;
  roll(): number;
}

/**
 * Holds the business state and the cross-cutting rules every posting shares: posting period, locks,
 * atomic documents (a refused document changes nothing).
 */
export class SapModel {
  state: SapState = seedState();

  constructor(readonly faults: FaultSource) {}

  reset(): void {
    this.state = seedState();
  }

  load(state: SapState): void {
    this.state = state;
  }

  /** Runs a change atomically: on any error the state is restored to what it was before. */
  transaction<T>(fn: () => T): T {
    const committed = this.state;
    return atomically(committed, (view) => {
      this.state = view;
      try {
        return fn();
      } finally {
        this.state = committed;
      }
    });
  }

  stamp(): number {
    return nextStamp(this.state);
  }

  /** Posting period check: the `postingPeriodClosed` fault closes every period (scenario S10). */
  assertPeriodOpen(postingDate: number): void {
    if (this.faults.special<boolean | number | string>('postingPeriodClosed', false) === true)
      throw messages.periodClosed(postingDate, COMPANY_CODE);
  }

  /** The `lockRate` fault: the order is locked by another user (423) for that share of confirmations. */
  assertNotLocked(order: string): void {
    const rate = Number(this.faults.special('lockRate', 0));
    if (rate > 0 && this.faults.roll() < rate) throw messages.orderLocked(order);
  }

  postingDate(given: unknown, now: number): number {
    return typeof given === 'number' ? utcMidnight(given) : utcMidnight(now);
  }

  material(code: string): MaterialMaster | undefined {
    return this.state.materials.find((m) => m.Material === code);
  }

  order(number: string): OrderRecord | undefined {
    const key = unpad(number);
    return this.state.orders.find((o) => o.ManufacturingOrder === key);
  }

  batch(material: string, batch: string): Batch | undefined {
    return this.state.batches.find(
      (b) => b.Material === material && b.Batch === batch && b.BatchIdentifyingPlant === '',
    );
  }

  inspectionLot(lot: string): InspectionLot | undefined {
    const key = unpad(lot);
    return this.state.inspectionLots.find((l) => l.InspectionLot === key);
  }

  next(
    counter:
      | 'order'
      | 'reservation'
      | 'billOfOperations'
      | 'confirmationGroup'
      | 'materialDocument'
      | 'inspectionLot'
      | 'notification'
      | 'defect',
  ): string {
    const value = this.state.counters[counter];
    this.state.counters[counter] = value + 1;
    return String(value);
  }
}
