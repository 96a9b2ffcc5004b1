import assert from 'node:assert/strict';
import { mesEventSchema } from '../../../domain/events';
import { ncrOpenSchema } from '../../../domain/ncr-requests';
import { productionOrderSchema } from '../../../domain/order';
import { nonNegativeQuantitySchema, positiveQuantitySchema, quantitySchema } from '../../../domain/quantity';
import { demoOrderInput, mes } from '../../support/orders';

const messages = (r: { success: boolean; error?: { issues: Array<{ message: string }> } }) =>
  r.success ? [] : r.error!.issues.map((i) => i.message);

describe('malformed input is a zod issue, never an exception', () => {
  for (const value of ['abc', '', '10,5', ' ', '1e5', '--1', '.5']) {
    it(`a quantity of ${JSON.stringify(value)} is refused with "must be a decimal number"`, () => {
      for (const schema of [quantitySchema, positiveQuantitySchema, nonNegativeQuantitySchema]) {
        const result = schema.safeParse({ value, uom: 'EA' });
        assert.equal(result.success, false);
        assert.ok(messages(result).includes('must be a decimal number'), messages(result).join('; '));
      }
      assert.equal(productionOrderSchema.safeParse(demoOrderInput({ quantity: { value, uom: 'EA' } })).success, false);
      const event = mes.consumed('RM-300', 'H-1001', '1', 'EA');
      Object.assign(event.payload!, { quantity: { value, uom: 'EA' } });
      assert.equal(mesEventSchema.safeParse(event).success, false);
    });
  }

  it('an NCR without lots is refused by its own rule, not by a cross-field check reading lots[0]', () => {
    const base = { severity: 'major', site: '1710', material: 'FG-100', description: 'x', raisedBy: 'qa.anna' };
    const empty = ncrOpenSchema.safeParse({ ...base, lots: [], quantity: { value: '5', uom: 'EA' } });
    assert.deepEqual(messages(empty), ['name at least one nonconforming lot']);
    const bad = ncrOpenSchema.safeParse({ ...base, lots: [{ lotId: 'L-1', quantity: { value: 'abc', uom: 'EA' } }] });
    assert.deepEqual(messages(bad), ['must be a decimal number']);
  });
});
