import assert from 'node:assert/strict';
import { z } from 'zod';
import { ea, useOdoo } from './fixture';

describe('Odoo adapter: rework MO for a nonconformance (odooCreateReworkOrder)', () => {
  const fx = useOdoo('19');

  it('creates a draft MO with the BoM exploded, and a retry with the same key finds it (one create in the journal)', async () => {
    const input = {
      idempotencyKey: 'ncr:NCR-1/exec/L1/odoo-rework-mo',
      material: 'FG-100',
      quantity: ea('5'),
      reference: 'NCR NCR-1 rework PO-1-RW1',
    };
    const first = await fx().acts.odooCreateReworkOrder(input);
    const again = await fx().acts.odooCreateReworkOrder(input);
    assert.equal(first.created, true);
    assert.deepEqual({ ...again, created: true }, first);
    assert.equal(fx().applied('mrp.production.create'), 1);
    const mo = await fx().acts.odooReadManufacturingOrder({ moName: first.moName });
    assert.deepEqual([mo.state, mo.product, mo.quantity.value], ['draft', 'FG-100', '5']);
    assert.match(String(mo.origin), /^NCR NCR-1 rework PO-1-RW1 pf-[0-9a-f]{20}$/);
    assert.equal(mo.workorders.length, 2, 'routing exploded: the rework order can be released like any MO');
    const other = await fx().acts.odooCreateReworkOrder({
      ...input,
      idempotencyKey: 'ncr:NCR-2/exec/L1/odoo-rework-mo',
    });
    assert.notEqual(other.moName, first.moName);
    const count = await fx().client.searchRead(
      'mrp.production',
      [['origin', 'ilike', 'rework']],
      ['name'],
      z.object({ name: z.string() }).loose(),
    );
    assert.equal(count.length, 2);
  });

  it('refuses an unknown product or a unit Odoo does not keep it in (BusinessRule)', async () => {
    await assert.rejects(
      fx().acts.odooCreateReworkOrder({ idempotencyKey: 'k1', material: 'FG-999', quantity: ea('1'), reference: 'x' }),
      (e: Error & { type?: string }) => e.type === 'BusinessRule',
    );
    await assert.rejects(
      fx().acts.odooCreateReworkOrder({
        idempotencyKey: 'k2',
        material: 'FG-100',
        quantity: { value: '1', uom: 'KGM' },
        reference: 'x',
      }),
      (e: Error & { type?: string }) => e.type === 'BusinessRule',
    );
    assert.equal(fx().applied('mrp.production.create'), 0);
  });
});
