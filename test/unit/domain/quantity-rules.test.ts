import assert from 'node:assert/strict';
import { isLotId, lotIdSchema } from '../../../domain/ids';
import { masterDataProblems, type OdooOrderView, type SapOrderView } from '../../../domain/master-data';
import { nonNegativeQuantitySchema, positiveQuantitySchema, qty, quantitySchema } from '../../../domain/quantity';
import { uom, uomFromOdoo, uomFromSap } from '../../../domain/uom';
import { demoOrder } from '../../support/orders';

const q = (value: string, unit = 'EA') => ({ value, uom: unit });

describe('pure rules, table by table', () => {
  describe('quantities: decimal arithmetic, never floats', () => {
    const sums: Array<[string, string, string, string]> = [
      ['0.1', '0.2', 'KGM', '0.3'],
      ['1', '2', 'EA', '3'],
      ['1.500', '0.5', 'KGM', '2'],
      ['10', '-4', 'EA', '6'],
      ['0', '0', 'LTR', '0'],
    ];
    for (const [a, b, unit, total] of sums)
      it(`${a} + ${b} ${unit} = ${total}`, () => assert.deepEqual(qty.add(q(a, unit), q(b, unit)), q(total, unit)));

    const comparisons: Array<[string, string, 'lt' | 'eq' | 'gt']> = [
      ['0.30', '0.3', 'eq'],
      ['2', '10', 'lt'],
      ['10.001', '10', 'gt'],
    ];
    for (const [a, b, want] of comparisons)
      it(`${a} is ${want} ${b}`, () => {
        const cmp = qty.cmp(q(a, 'KGM'), q(b, 'KGM'));
        assert.equal(cmp < 0 ? 'lt' : cmp > 0 ? 'gt' : 'eq', want);
      });

    it('refuses to add or compare different units', () => {
      assert.throws(() => qty.add(q('1', 'EA'), q('1', 'KGM')));
      assert.throws(() => qty.cmp(q('1', 'KGM'), q('1', 'GRM')));
    });

    const percents: Array<[string, string, string, string]> = [
      ['100', 'EA', '10', '10'],
      ['7', 'EA', '10', '0'],
      ['1.234', 'KGM', '50', '0.617'],
      ['0.001', 'KGM', '50', '0'],
    ];
    for (const [value, unit, percent, want] of percents)
      it(`${percent}% of ${value} ${unit} is ${want} (rounded down to the unit's decimals)`, () =>
        assert.deepEqual(qty.percentOf(q(value, unit), percent), q(want, unit)));

    const sapText: Array<[string, string, string]> = [
      ['5', 'EA', '5'],
      ['2.5', 'KGM', '2.500'],
      ['0', 'LTR', '0.000'],
    ];
    for (const [value, unit, want] of sapText)
      it(`${value} ${unit} goes to SAP as "${want}"`, () => assert.equal(qty.toSap(q(value, unit)), want));

    const parsed: Array<[unknown, boolean, string]> = [
      [{ value: '10', uom: 'EA' }, true, 'a whole count'],
      [{ value: 10, uom: 'EA' }, true, 'a JSON number'],
      [{ value: '1.5', uom: 'EA' }, false, 'half a piece'],
      [{ value: '1.5000', uom: 'EA' }, false, 'trailing decimals of a count'],
      [{ value: '1.250', uom: 'KGM' }, true, 'grams of a kilogram'],
      [{ value: '1.2501', uom: 'KGM' }, false, 'below a gram'],
      [{ value: '1e3', uom: 'EA' }, false, 'exponent notation'],
      [{ value: '10', uom: 'XYZ' }, false, 'an unknown unit'],
      [{ value: 'abc', uom: 'EA' }, false, 'not a number'],
    ];
    for (const [input, ok, what] of parsed)
      it(`${ok ? 'takes' : 'refuses'} ${what}`, () => assert.equal(quantitySchema.safeParse(input).success, ok));

    const signs: Array<[string, boolean, boolean]> = [
      ['0', false, true],
      ['-1', false, false],
      ['1', true, true],
    ];
    for (const [value, positive, nonNegative] of signs)
      it(`${value} EA: positive ${positive}, non-negative ${nonNegative}`, () => {
        assert.equal(positiveQuantitySchema.safeParse(q(value)).success, positive);
        assert.equal(nonNegativeQuantitySchema.safeParse(q(value)).success, nonNegative);
      });
  });

  describe('units of measure: one table for UN/CEFACT, Odoo and SAP', () => {
    const rows: Array<[string, string, string]> = [
      ['EA', 'Units', 'EA'],
      ['KGM', 'kg', 'KG'],
      ['LTR', 'L', 'L'],
      ['H87', 'Units', 'PC'],
    ];
    for (const [code, odoo, sap] of rows)
      it(`${code} is "${odoo}" in Odoo and "${sap}" in SAP`, () => {
        assert.equal(uom(code).odoo, odoo);
        assert.equal(uom(code).sap, sap);
        assert.equal(uomFromSap(sap)?.code, code);
      });
    it('reads SAP units in any case; an unknown unit is none', () => {
      assert.equal(uomFromSap('kg')?.code, 'KGM');
      assert.equal(uomFromSap('ZZ'), undefined);
      assert.equal(uomFromOdoo('Dozens'), undefined);
      assert.throws(() => uom('ZZ'), /unknown unit of measure/);
    });
  });

  describe('lot ids are SAP batch numbers', () => {
    const ids: Array<[string, boolean]> = [
      ['FG-S1A', true],
      ['H_1001', true],
      ['A', true],
      ['ABCDEFGHIJ', true],
      ['ABCDEFGHIJK', false],
      ['-LEADING', false],
      ['_LEADING', false],
      ['lower', false],
      ['', false],
      ['WITH SPACE', false],
    ];
    for (const [id, ok] of ids)
      it(`"${id}" ${ok ? 'is' : 'is not'} a lot id`, () => {
        assert.equal(isLotId(id), ok);
        assert.equal(lotIdSchema.safeParse(id).success, ok);
      });
  });

  describe('master data: what must agree before release', () => {
    const order = demoOrder({ orderRef: 'PO-MD', quantity: { value: '100', uom: 'EA' } });
    const odoo: OdooOrderView = {
      name: order.erp.odooMo,
      state: 'draft',
      product: order.material,
      quantity: order.quantity,
      components: order.components.map((c) => c.material),
    };
    const sap: SapOrderView = {
      order: order.erp.sapOrder,
      material: order.material,
      plant: order.site,
      quantity: order.quantity,
      statuses: ['CRTD'],
      operations: order.operations.map((o) => ({ operation: o.operation, workCenter: o.workCenter })),
      components: order.components.map((c) => c.material),
    };
    const cases: Array<[string, Partial<OdooOrderView>, Partial<SapOrderView>, RegExp | null]> = [
      ['both agree', {}, {}, null],
      ['SAP already released', {}, { statuses: ['REL'] }, null],
      ['Odoo makes another product', { product: 'FG-999' }, {}, /Odoo MO .* makes FG-999/],
      ['SAP plans in another plant', {}, { plant: '1010' }, /planned in plant 1010/],
      ['SAP plans another quantity', {}, { quantity: q('90') }, /SAP plans 90 EA, the order 100 EA \(SAP owns/],
      ['Odoo plans in another unit', { quantity: q('100', 'KGM') }, {}, /Odoo plans in KGM/],
      ['SAP order technically completed', {}, { statuses: ['REL', 'TECO'] }, /status REL TECO, not releasable/],
      ['Odoo MO cancelled', { state: 'cancel' }, {}, /is cancel, not releasable/],
      ['an operation missing in SAP', {}, { operations: [] }, /has no operation 0010/],
      ['a component missing in Odoo', { components: [] }, {}, /missing from Odoo MO/],
    ];
    for (const [what, o, s, problem] of cases)
      it(`${what}: ${problem ? 'a problem' : 'no problem'}`, () => {
        const problems = masterDataProblems(order, { ...odoo, ...o }, { ...sap, ...s });
        if (problem)
          assert.ok(
            problems.some((p) => problem.test(p)),
            problems.join(' | '),
          );
        else assert.deepEqual(problems, []);
      });
  });
});
