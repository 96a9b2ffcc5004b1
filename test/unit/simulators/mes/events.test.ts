import assert from 'node:assert/strict';
import Decimal from 'decimal.js';
import { mesEventSchema } from '../../../../domain/events';
import type { Dispatch } from '../../../../contracts/mes';
import { deterministicEventId, generateOrderEvents, type MesEvent } from '../../../../simulators/mes/events';

const dispatch: Dispatch = {
  dispatchId: 'DSP-1710-000001',
  site: '1710',
  orderRef: 'WH/MO/00012',
  material: 'FG-100',
  quantity: { value: '100', uom: 'EA' },
  operations: [
    { operation: '0010', workCenter: 'ASSY1', description: 'Assemble' },
    { operation: '0020', workCenter: 'TEST1', description: 'Test' },
  ],
  components: [
    { material: 'RM-300', quantity: { value: '100', uom: 'EA' }, operation: '0010', lotIds: ['H-1001', 'H-1002'] },
    { material: 'RM-310', quantity: { value: '100', uom: 'EA' }, operation: '0010', lotIds: [] },
    { material: 'RM-400', quantity: { value: '25', uom: 'KGM' }, operation: '0020', lotIds: [] },
  ],
  dueAt: null,
  status: 'dispatched',
  activeHoldIds: [],
  holds: [],
  dispatchedAt: '2026-01-05T05:00:00.000Z',
  recalledAt: null,
  recallReason: null,
  history: [],
};

const consumed = (events: MesEvent[], material: string): string =>
  events
    .filter((e): e is MesEvent<'MaterialConsumed'> => e.type === 'MaterialConsumed')
    .filter((e) => e.payload.material === material)
    .reduce((sum, e) => sum.plus(e.payload.quantity.value), new Decimal(0))
    .toFixed();

describe('MES event generator', () => {
  const startAt = '2026-01-05T06:00:00.000Z';

  it('produces the canonical envelope, in floor order, per operation', () => {
    const events = generateOrderEvents(dispatch, { startAt });
    assert.deepEqual(
      events.map((e) => `${e.type}:${e.correlation.operation}`),
      [
        'OperationStarted:0010',
        'MaterialConsumed:0010',
        'MaterialConsumed:0010',
        'MaterialConsumed:0010',
        'OperationCompleted:0010',
        'OperationStarted:0020',
        'MaterialConsumed:0020',
        'OperationCompleted:0020',
        'MaterialProduced:0020',
      ],
    );
    const first = events[0]!;
    assert.deepEqual(Object.keys(first).sort(), [
      'correlation',
      'effectiveAt',
      'eventId',
      'payload',
      'recordedAt',
      'site',
      'source',
      'type',
    ]);
    assert.deepEqual(first.source, { system: 'mes', instance: 'mes-1710' });
    assert.match(first.eventId, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(new Set(events.map((e) => e.eventId)).size, events.length);
    const times = events.map((e) => Date.parse(e.effectiveAt));
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
    );
  });

  it('is pure: same input, same events and ids; another runId, other ids', () => {
    assert.deepEqual(generateOrderEvents(dispatch, { startAt }), generateOrderEvents(dispatch, { startAt }));
    const other = generateOrderEvents(dispatch, { startAt, runId: 'retry' });
    assert.notEqual(other[0]!.eventId, generateOrderEvents(dispatch, { startAt })[0]!.eventId);
    assert.equal(deterministicEventId('x'), deterministicEventId('x'));
  });

  it('splits consumption over the staged lots and scales it to what was made', () => {
    const full = generateOrderEvents(dispatch, { startAt });
    assert.equal(consumed(full, 'RM-300'), '100');
    assert.deepEqual(
      full
        .filter((e) => e.type === 'MaterialConsumed' && e.correlation.lotId?.startsWith('H-'))
        .map((e) => e.correlation.lotId),
      ['H-1001', 'H-1002'],
    );
    const partial = generateOrderEvents(dispatch, { startAt, yield: '55', scrap: '5' });
    assert.equal(consumed(partial, 'RM-300'), '60');
    assert.equal(consumed(partial, 'RM-400'), '15');
    const last = partial.filter((e): e is MesEvent<'OperationCompleted'> => e.type === 'OperationCompleted');
    assert.deepEqual(
      last.map((e) => [e.payload.yield.value, e.payload.scrap.value, e.payload.final]),
      [
        ['60', '0', false],
        ['55', '5', true],
      ],
    );
    const produced = partial.at(-1) as MesEvent<'MaterialProduced'>;
    assert.deepEqual(produced.payload.quantity, { value: '55', uom: 'EA' });
  });

  it('generates events that the canonical domain schema (domain/events.ts) accepts', () => {
    for (const options of [
      { startAt },
      { startAt, yield: '55', scrap: '5', rework: '2' },
      { startAt, yield: '0', scrap: '100' },
    ]) {
      for (const event of generateOrderEvents(dispatch, options)) {
        const parsed = mesEventSchema.safeParse(event);
        assert.ok(
          parsed.success,
          `${event.type}: ${parsed.error?.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
        );
        assert.deepEqual(
          parsed.data.payload,
          { ...event.payload, ...parsed.data.payload },
          'no payload field is dropped by the schema',
        );
      }
    }
  });

  it('keeps effectiveAt beside a later recordedAt for buffered plant events', () => {
    const [e] = generateOrderEvents(dispatch, { startAt, recordedLagMinutes: 120 });
    assert.equal(e!.effectiveAt, startAt);
    assert.equal(e!.recordedAt, '2026-01-05T08:00:00.000Z');
  });
});
