import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { reauthProofSchema } from '../../client/api/signing/reauth';
import { mesEventSchema } from '../../domain/events';
import { dispositionInputSchema } from '../../domain/lot-disposition';
import { lotInspectionSchema } from '../../domain/lot-inspection';
import { reviewInputSchema } from '../../domain/lot-review';
import { ncrOpenSchema } from '../../domain/ncr-requests';
import { productionOrderSchema } from '../../domain/order';
import { signatureMeaningSchema } from '../../domain/signature';

const ROOT = resolve(__dirname, '../..');
/** The README fills the record hash in (`sed`) from `plantflow lot record --hash`; any hash stands for it here. */
const read = (name: string): unknown =>
  JSON.parse(readFileSync(join(ROOT, 'examples', name), 'utf8').replace('<record hash>', '0'.repeat(64)));

/** The documents of examples/ are sent as they are: each passes the schema of the route it is sent to. */
describe('examples/: canonical documents a newcomer sends as they are', () => {
  const schemas: Record<string, z.ZodType> = {
    'order.json': productionOrderSchema,
    'mes-events.json': z.object({ events: z.array(mesEventSchema).min(1) }),
    'inspection.json': lotInspectionSchema,
    'inspection-visual.json': lotInspectionSchema,
    'lot-disposition.json': dispositionInputSchema.extend({
      meaning: signatureMeaningSchema,
      signature: reauthProofSchema,
      review: reviewInputSchema,
    }),
    'ncr.json': ncrOpenSchema,
  };

  it('has a schema for every file, and every file passes it', () => {
    assert.deepEqual(readdirSync(join(ROOT, 'examples')).sort(), Object.keys(schemas).sort());
    for (const [name, schema] of Object.entries(schemas)) {
      const parsed = schema.safeParse(read(name));
      assert.ok(parsed.success, `${name}: ${parsed.error?.message}`);
    }
  });

  it('tells one story: the events, inspections and NCR concern the example order and its lot', () => {
    const order = productionOrderSchema.parse(read('order.json'));
    const { events } = z.object({ events: z.array(mesEventSchema) }).parse(read('mes-events.json'));
    assert.ok(events.every((e) => e.correlation.orderRef === order.orderRef && e.site === order.site));
    assert.equal(new Set(events.map((e) => e.eventId)).size, events.length, 'event ids are unique');
    const produced = events.filter((e) => e.type === 'MaterialProduced').map((e) => e.correlation.lotId);
    for (const name of ['inspection.json', 'inspection-visual.json'])
      assert.deepEqual(produced, [lotInspectionSchema.parse(read(name)).lotId]);
    const consumed = events.flatMap((e) => (e.type === 'MaterialConsumed' ? [e.correlation.lotId] : []));
    assert.ok(consumed.includes(ncrOpenSchema.parse(read('ncr.json')).lots[0]!.lotId), 'the NCR is on a consumed lot');
  });

  it('is used by README', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const name of Object.keys(schemas)) assert.ok(readme.includes(`examples/${name}`), `README uses ${name}`);
  });
});
