import assert from 'node:assert/strict';
import { externalConfirmationId, headerTextKey } from '../../../../activities/sap/idempotency';
import {
  entityPath,
  literal,
  parseSapDate,
  parseSapTime,
  quantityFromSap,
  quantityToSap,
  sapDateOnly,
  toSapDate,
} from '../../../../activities/sap/odata-values';
import { parseSapError, parseSapMessageHeader, sapFailure } from '../../../../activities/sap/sap-errors';

describe('SAP adapter: OData V2 values, literals and error bodies', () => {
  it('formats URI literals: quotes doubled, guid, datetime, decimal with M', () => {
    assert.equal(literal.string("O'Brien"), "'O''Brien'");
    assert.equal(literal.guid('2F6B7E4C-0000-4000-8000-000000000001'), "guid'2f6b7e4c-0000-4000-8000-000000000001'");
    assert.equal(literal.datetime('2024-05-31'), "datetime'2024-05-31T00:00'");
    assert.equal(literal.decimal('10.500'), '10.5M');
    assert.equal(
      entityPath('Batch', { Material: literal.string('A B'), Batch: literal.string("X'1") }),
      "Batch(Material='A%20B',Batch='X''1')",
    );
    assert.equal(
      entityPath('A_ProductionOrder_2', { ManufacturingOrder: literal.string('1000000') }),
      "A_ProductionOrder_2('1000000')",
    );
  });

  it('parses /Date(ms)/ and /Date(ms+0000)/, Edm.Time, and keeps date fields in UTC', () => {
    assert.equal(parseSapDate('/Date(1492041600000)/'), 1492041600000);
    assert.equal(parseSapDate('/Date(1492098664000+0000)/'), 1492098664000);
    assert.equal(parseSapDate('2017-04-13'), undefined);
    assert.equal(parseSapTime('PT15H51M04S'), '15:51:04');
    assert.equal(parseSapTime('PT00H00M00S'), '00:00:00');
    assert.equal(sapDateOnly.parse('/Date(1492041600000)/'), '2017-04-13');
    assert.equal(sapDateOnly.parse(null), null);
    assert.equal(toSapDate('2017-04-13'), '/Date(1492041600000)/');
  });

  it("maps quantities through the unit table, decimals as strings in the unit's scale", () => {
    assert.deepEqual(quantityFromSap('30.000', 'KG', 'x'), { value: '30', uom: 'KGM' });
    assert.deepEqual(quantityToSap({ value: '2.5', uom: 'KGM' }), { value: '2.500', unit: 'KG' });
    assert.deepEqual(quantityToSap({ value: '10', uom: 'EA' }), { value: '10', unit: 'EA' });
    assert.throws(() => quantityFromSap('1', 'ZZ', 'x'), /no mapping/);
  });

  it('derives stable idempotency markers within SAP field limits', () => {
    const id = externalConfirmationId('order:1710:42/op-0010/evt-7');
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(externalConfirmationId('order:1710:42/op-0010/evt-7'), id);
    assert.notEqual(externalConfirmationId('order:1710:42/op-0010/evt-8'), id);
    assert.ok(headerTextKey('x').length <= 25);
  });

  it('reads V2 error bodies with message as object, string or array, and the sap-message header', () => {
    const body = {
      error: {
        code: 'M7/021',
        message: { lang: 'en', value: 'Deficit of SL Unrestricted-use 5 EA' },
        innererror: { errordetails: [{ code: 'M7/021', message: 'Deficit …', severity: 'error' }] },
      },
    };
    assert.deepEqual(parseSapError(body, 400), {
      code: 'M7/021',
      text: 'Deficit of SL Unrestricted-use 5 EA',
      details: [{ code: 'M7/021', text: 'Deficit …', severity: 'error' }],
    });
    assert.equal(parseSapError({ error: { code: 'X/1', message: 'plain' } }, 400).text, 'plain');
    assert.equal(
      parseSapError(
        {
          error: {
            code: 'X/1',
            message: [
              { lang: 'en', value: 'a' },
              { lang: 'en', value: 'b' },
            ],
          },
        },
        400,
      ).text,
      'a b',
    );
    assert.equal(parseSapError(JSON.stringify(body), 400).code, 'M7/021');
    assert.equal(
      parseSapError('<html><body><h1>503 Service Unavailable</h1></body></html>', 503).text,
      '503 Service Unavailable',
    );
    const header = JSON.stringify({
      code: 'RU/505',
      message: 'first',
      severity: 'warning',
      target: '',
      details: [{ code: 'RU/506', message: 'second', severity: 'info' }],
    });
    assert.deepEqual(
      parseSapMessageHeader(header).map((m) => m.code),
      ['RU/505', 'RU/506'],
    );
    assert.deepEqual(parseSapMessageHeader('not json'), []);
  });

  it('maps SAP statuses: 400 → BusinessRule with code, 404 → not found, 423 → Transient, 403 → Auth', () => {
    const f400 = sapFailure(
      {
        status: 400,
        headers: {},
        data: {
          error: {
            code: 'M7/053',
            message: { value: 'Posting only possible in periods 2024/04 and 2024/03 in company code 1710' },
          },
        },
      },
      'confirmation',
    );
    assert.equal(f400.type, 'BusinessRule');
    assert.equal(
      f400.message,
      'SAP refused confirmation: M7/053 Posting only possible in periods 2024/04 and 2024/03 in company code 1710',
    );
    assert.equal(sapFailure({ status: 404, headers: {}, data: {} }, 'order 1').type, 'BusinessRule');
    assert.equal(sapFailure({ status: 423, headers: {}, data: {} }, 'order 1').type, 'Transient');
    assert.equal(sapFailure({ status: 403, headers: {}, data: {} }, 'order 1').type, 'Auth');
    assert.equal(sapFailure({ status: 500, headers: {}, data: {} }, 'order 1').type, 'Transient');
  });
});
