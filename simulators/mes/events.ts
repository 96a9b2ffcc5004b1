import { createHash } from 'node:crypto';
import Decimal from 'decimal.js';
import type { Quantity } from '../../domain/quantity';
import { uom } from '../../domain/uom';
import { DEMO_COMPONENT_LOTS } from '../shared/demo-plant';
import type { Dispatch } from '../../contracts/mes';

/**
 * MES event envelope (docs/architecture.md §4.1). domain/events.ts owns the canonical schema; these shapes are kept
 * identical so that what the simulator generates validates there.
 */
export type MesEventType = 'OperationStarted' | 'OperationCompleted' | 'MaterialConsumed' | 'MaterialProduced';

/** Payloads as domain/events.ts (mesEventSchema) defines them; a unit test parses every generated event with it. */
export interface MesEventPayloads {
  OperationStarted: { workCenter: string; operator: string };
  OperationCompleted: {
    yield: Quantity;
    scrap: Quantity;
    rework: Quantity;
    /** No more quantity will be reported for this operation. */
    final: boolean;
    operator: string;
  };
  /** ISA-95 MaterialActual with MaterialUse Consumed; the lot is in correlation.lotId. */
  MaterialConsumed: { material: string; quantity: Quantity; operator: string };
  /** ISA-95 MaterialActual with MaterialUse Produced; the new lot is in correlation.lotId. */
  MaterialProduced: { material: string; quantity: Quantity; operator: string };
}

export interface MesEvent<T extends MesEventType = MesEventType> {
  /** Source GUID: the dedup key. */
  eventId: string;
  type: T;
  /** When it happened on the floor. */
  effectiveAt: string;
  /** When the MES recorded (or, after a WAN outage, forwarded) it. */
  recordedAt: string;
  source: { system: 'mes'; instance: string };
  site: string;
  correlation: { orderRef: string; operation?: string; lotId?: string };
  payload: MesEventPayloads[T];
}

export interface GenerateEventsOptions {
  /** Floor time of the first event; later ones follow at `stepMinutes`. */
  startAt: string;
  stepMinutes?: number;
  /** recordedAt lag behind effectiveAt, e.g. to mimic buffered plant events. */
  recordedLagMinutes?: number;
  instance?: string;
  /** Good quantity (default: the order quantity). */
  yield?: string;
  scrap?: string;
  rework?: string;
  producedLotId?: string;
  /** Lots to consume per component material (default: the dispatch's lots, else a demo lot). */
  componentLots?: Record<string, string[]>;
  operator?: string;
  /** Varies the deterministic event ids, for a second run of the same order. */
  runId?: string;
}

/** Deterministic RFC 4122-shaped id (SHA-256 based, v5 style): a resend carries the same eventId. */
export function deterministicEventId(name: string): string {
  const h = createHash('sha256').update(name).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

const q = (value: Decimal, unit: string): Quantity => ({ value: value.toFixed(), uom: unit });

/** Splits a quantity over lots in the unit's precision; the last lot takes the remainder. */
function split(total: Decimal, unit: string, lots: string[]): { lotId: string; quantity: Quantity }[] {
  const places = uom(unit).decimals;
  const share = total.dividedBy(lots.length).toDecimalPlaces(places, Decimal.ROUND_DOWN);
  return lots.map((lotId, i) => ({
    lotId,
    quantity: q(i === lots.length - 1 ? total.minus(share.times(lots.length - 1)) : share, unit),
  }));
}

/**
 * The events a dispatched order produces on a good run: per operation Started → components Consumed →
 * Completed, and the produced lot at the last operation. Pure: same input, same events (and eventIds).
 */
export function generateOrderEvents(dispatch: Dispatch, options: GenerateEventsOptions): MesEvent[] {
  const unit = dispatch.quantity.uom;
  const ordered = new Decimal(dispatch.quantity.value);
  const good = new Decimal(options.yield ?? dispatch.quantity.value);
  const scrap = new Decimal(options.scrap ?? '0');
  const rework = new Decimal(options.rework ?? '0');
  const made = good.plus(scrap).plus(rework);
  const step = (options.stepMinutes ?? 10) * 60_000;
  const lag = (options.recordedLagMinutes ?? 0) * 60_000;
  const t0 = Date.parse(options.startAt);
  const operator = options.operator ?? 'op.sam';
  const producedLot =
    options.producedLotId ??
    `L${deterministicEventId(`${dispatch.site}|${dispatch.orderRef}`).replace(/-/g, '').slice(0, 9).toUpperCase()}`;
  const events: MesEvent[] = [];
  let tick = 0;

  function emit<T extends MesEventType>(
    type: T,
    correlation: Omit<MesEvent['correlation'], 'orderRef'>,
    payload: MesEventPayloads[T],
  ): void {
    const at = t0 + tick * step;
    const name = [
      options.runId ?? '',
      dispatch.site,
      dispatch.orderRef,
      type,
      correlation.operation ?? '',
      correlation.lotId ?? '',
    ].join('|');
    events.push({
      eventId: deterministicEventId(name),
      type,
      effectiveAt: new Date(at).toISOString(),
      recordedAt: new Date(at + lag).toISOString(),
      source: { system: 'mes', instance: options.instance ?? `mes-${dispatch.site}` },
      site: dispatch.site,
      correlation: { orderRef: dispatch.orderRef, ...correlation },
      payload,
    } as MesEvent);
  }

  dispatch.operations.forEach((op, index) => {
    const final = index === dispatch.operations.length - 1;
    emit('OperationStarted', { operation: op.operation }, { workCenter: op.workCenter, operator });
    tick += 1;
    for (const c of dispatch.components.filter((x) => x.operation === op.operation)) {
      // Consumption follows what was actually made, not what was ordered (partial runs consume less).
      const total = new Decimal(c.quantity.value)
        .times(made)
        .dividedBy(ordered)
        .toDecimalPlaces(uom(c.quantity.uom).decimals, Decimal.ROUND_HALF_UP);
      const lots =
        options.componentLots?.[c.material] ??
        (c.lotIds.length > 0
          ? c.lotIds
          : [DEMO_COMPONENT_LOTS.find((l) => l.material === c.material)?.lot ?? `${c.material}-LOT`]);
      for (const part of split(total, c.quantity.uom, lots)) {
        // Nothing made, nothing consumed: a zero consumption is not an event.
        if (new Decimal(part.quantity.value).isZero()) continue;
        emit(
          'MaterialConsumed',
          { operation: op.operation, lotId: part.lotId },
          { material: c.material, quantity: part.quantity, operator },
        );
      }
    }
    tick += 1;
    emit(
      'OperationCompleted',
      { operation: op.operation },
      {
        // Scrap and rework are declared where they arise: at the last operation; earlier ones pass all on.
        yield: q(final ? good : made, unit),
        scrap: q(final ? scrap : new Decimal(0), unit),
        rework: q(final ? rework : new Decimal(0), unit),
        final,
        operator,
      },
    );
    if (final && good.gt(0)) {
      emit(
        'MaterialProduced',
        { operation: op.operation, lotId: producedLot },
        { material: dispatch.material, quantity: q(good, unit), operator },
      );
    }
    tick += 1;
  });
  return events;
}
