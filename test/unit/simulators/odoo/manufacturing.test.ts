import assert from 'node:assert/strict';
import { ODOO_VERSIONS } from '../../../../simulators/odoo';
import { useWire, type Wire } from './wire';

async function result(
  promise: Promise<{ data: { result?: unknown; error?: { data: { name: string; message: string } } } }>,
): Promise<unknown> {
  const { data } = await promise;
  if (data.error) throw new Error(`${data.error.data.name}: ${data.error.data.message}`);
  return data.result;
}

async function newOrder(w: Wire, qty: number): Promise<number> {
  return (await result(
    w.executeKw('mrp.production', 'create', [{ product_id: 1, product_qty: qty, origin: 'SAP 4711' }]),
  )) as number;
}

for (const version of ODOO_VERSIONS) {
  describe(`odoo simulator ${version}: manufacturing state`, () => {
    const wire = useWire(version);

    it('creates an MO from its BoM and routing, confirms it and reserves component lots in WH/Stock', async () => {
      const w = wire();
      const id = await newOrder(w, 10);
      const env = w.sim.env();
      const mo = env.get('mrp.production', id);
      assert.equal(mo.name, 'WH/MO/00001');
      assert.equal(mo.state, 'draft');
      const raws = env.all('stock.move').filter((m) => m.raw_material_production_id === id);
      assert.deepEqual(
        raws.map((m) => m.product_uom_qty),
        [10, 10, 2.5],
      );
      assert.equal(env.all('mrp.workorder').filter((wo) => wo.production_id === id).length, 2);
      await result(w.executeKw('mrp.production', 'action_confirm', [[id]]));
      const after = w.sim.env();
      assert.equal(after.get('mrp.production', id).state, 'confirmed');
      const reserved = after.all('stock.move.line').filter((l) => raws.some((m) => m.id === l.move_id));
      assert.equal(reserved.length, 3);
      assert.ok(reserved.every((l) => l.lot_id && l.picked === false));
      const states = after.all('mrp.workorder').map((wo) => wo.state);
      assert.deepEqual(states, ['ready', version === '19' ? 'blocked' : 'pending']);
    });

    it('button_mark_done asks the backorder question, then splits "<name>-001" / "<name>-002" with genealogy', async () => {
      const w = wire();
      const id = await newOrder(w, 10);
      await result(w.executeKw('mrp.production', 'action_confirm', [[id]]));
      const field = version === '19' ? 'lot_producing_ids' : 'lot_producing_id';
      const lot = (await result(w.executeKw('stock.lot', 'create', [{ name: 'FG-A', product_id: 1 }]))) as number;
      await result(
        w.executeKw('mrp.production', 'write', [
          [id],
          { qty_producing: 6, [field]: version === '19' ? [[6, 0, [lot]]] : lot },
        ]),
      );
      const env = w.sim.env();
      const rawMoves = env.all('stock.move').filter((m) => m.raw_material_production_id === id);
      await result(w.executeKw('stock.move', 'write', [[rawMoves[0]!.id], { picked: true }]));
      const wizard = (await result(
        w.executeKw('mrp.production', 'button_mark_done', [[id]], { context: { skip_consumption: true } }),
      )) as Record<string, unknown>;
      assert.equal(wizard.res_model, 'mrp.production.backorder');
      assert.equal(w.sim.env().get('mrp.production', id).state, 'progress', 'a wizard changes nothing');
      const redirect = (await result(
        w.executeKw('mrp.production', 'button_mark_done', [[id]], {
          context: { skip_consumption: true, skip_backorder: true, mo_ids_to_backorder: [id] },
        }),
      )) as Record<string, unknown>;
      assert.equal(redirect.res_model, 'mrp.production');
      const done = w.sim.env();
      const mo = done.get('mrp.production', id);
      assert.equal(mo.state, 'done');
      assert.equal(mo.name, 'WH/MO/00001-001');
      const backorder = done.get('mrp.production', redirect.res_id);
      assert.equal(backorder.name, 'WH/MO/00001-002');
      assert.equal(backorder.product_qty, 4);
      assert.equal(backorder.state, 'confirmed');
      const raws = done.all('stock.move').filter((m) => m.raw_material_production_id === id);
      // The picked move consumed its (picked) reservation; finishing the work orders picked the others
      // with their BoM quantity for the 6 produced.
      assert.deepEqual(
        raws.map((m) => [m.state, done.value('stock.move', m, 'quantity')]),
        [
          ['done', 10],
          ['done', 6],
          ['done', 1.5],
        ],
      );
      const finishedLine = done.all('stock.move.line').find((l) => {
        const move = done.maybe('stock.move', l.move_id);
        return move?.production_id === id;
      })!;
      assert.equal(finishedLine.lot_id, lot);
      assert.equal(
        (finishedLine.consume_line_ids as number[]).length,
        3,
        'the finished line links every consumed line',
      );
      const quant = done.all('stock.quant').find((q) => q.lot_id === lot)!;
      assert.equal(quant.quantity, 6);
    });

    it('one finished lot per MO: 19 refuses a second lot, 17/18 relabel every finished line at mark-done; a backorder per lot keeps each lot right', async () => {
      const w = wire();
      const field = version === '19' ? 'lot_producing_ids' : 'lot_producing_id';
      const lotValue = (ids: number[]) => (version === '19' ? [[6, 0, ids]] : ids[0]);
      const lot = async (name: string) =>
        (await result(w.executeKw('stock.lot', 'create', [{ name, product_id: 1 }]))) as number;
      const [a, b] = [await lot('FG-A'), await lot('FG-B')];
      const finishedMove = (id: number) =>
        w.sim
          .env()
          .all('stock.move')
          .find((m) => m.production_id === id && m.product_id === 1)!;
      const produce = async (id: number, lotId: number, quantity: number) => {
        const move = finishedMove(id);
        await result(
          w.executeKw('stock.move.line', 'create', [
            {
              move_id: move.id,
              product_id: 1,
              lot_id: lotId,
              quantity,
              location_id: move.location_id,
              location_dest_id: move.location_dest_id,
              product_uom_id: move.product_uom,
            },
          ]),
        );
      };
      const held = (lotId: number) =>
        w.sim
          .env()
          .all('stock.quant')
          .filter((q) => q.lot_id === lotId)
          .reduce((sum, q) => sum + (q.quantity as number), 0);
      const markDone = (id: number, context: Record<string, unknown>) =>
        result(
          w.executeKw('mrp.production', 'button_mark_done', [[id]], {
            context: { skip_consumption: true, ...context },
          }),
        );

      // The old call: both lots on one MO.
      const old = await newOrder(w, 100);
      await result(w.executeKw('mrp.production', 'action_confirm', [[old]]));
      if (version === '19') {
        const refused = await w.executeKw('mrp.production', 'write', [[old], { [field]: lotValue([a, b]) }]);
        assert.equal(refused.data.error.data.name, 'odoo.exceptions.UserError');
        assert.equal(refused.data.error.data.message, 'You cannot set more than 1 lot');
        assert.deepEqual(w.sim.env().get('mrp.production', old)[field], [], 'refused writes change nothing');
      } else {
        await produce(old, a, 60);
        await produce(old, b, 40);
        await result(w.executeKw('mrp.production', 'write', [[old], { qty_producing: 100, [field]: a }]));
        await markDone(old, {});
        assert.deepEqual([held(a), held(b)], [100, 0], '17/18 relabel lot B to the producing lot A');
      }

      // The corrected calls: one lot per MO, the next lot on the backorder.
      const [c, d] = [await lot('FG-C'), await lot('FG-D')];
      const id = await newOrder(w, 100);
      await result(w.executeKw('mrp.production', 'action_confirm', [[id]]));
      await produce(id, c, 60);
      await result(w.executeKw('mrp.production', 'write', [[id], { qty_producing: 60, [field]: lotValue([c]) }]));
      const redirect = (await markDone(id, { skip_backorder: true, mo_ids_to_backorder: [id] })) as { res_id: number };
      const backorder = redirect.res_id;
      assert.deepEqual(w.sim.env().get('mrp.production', backorder)[field], version === '19' ? [] : false);
      await produce(backorder, d, 40);
      await result(
        w.executeKw('mrp.production', 'write', [[backorder], { qty_producing: 40, [field]: lotValue([d]) }]),
      );
      await markDone(backorder, {});
      assert.deepEqual([held(c), held(d)], [60, 40]);
    });

    it('a quality point measured on every MO creates a check at confirmation that blocks mark-done until done', async () => {
      const w = wire();
      const id = (await result(
        w.executeKw('mrp.production', 'create', [{ product_id: 2, product_qty: 5, origin: 'SAP 4712' }]),
      )) as number;
      await result(w.executeKw('mrp.production', 'action_confirm', [[id]]));
      const lot = (await result(w.executeKw('stock.lot', 'create', [{ name: 'SC-1', product_id: 2 }]))) as number;
      const field = version === '19' ? 'lot_producing_ids' : 'lot_producing_id';
      await result(
        w.executeKw('mrp.production', 'write', [
          [id],
          { qty_producing: 5, [field]: version === '19' ? [[6, 0, [lot]]] : lot },
        ]),
      );
      const checks = w.sim
        .env()
        .all('quality.check')
        .filter((c) => c.production_id === id);
      assert.deepEqual(
        checks.map((c) => [c.title, c.quality_state]),
        [['LEAK - Seal leak test', 'none']],
      );
      const context = { context: { skip_consumption: true } };
      const refused = await w.executeKw('mrp.production', 'button_mark_done', [[id]], context);
      assert.equal(refused.data.error.data.name, 'odoo.exceptions.UserError');
      assert.equal(refused.data.error.data.message, 'You still need to do the quality checks!');
      assert.equal(w.sim.env().get('mrp.production', id).state, 'progress');
      await w.executeKw('quality.check', 'do_pass', [checks.map((c) => c.id)]);
      assert.equal(await result(w.executeKw('mrp.production', 'button_mark_done', [[id]], context)), true);
      assert.equal(w.sim.env().get('mrp.production', id).state, 'done');
    });

    it('cancels unpicked components at mark-done when no work order picks them', async () => {
      const w = wire();
      const id = (await result(
        w.executeKw('mrp.production', 'create', [{ product_id: 1, product_qty: 2, workorder_ids: [] }]),
      )) as number;
      await result(w.executeKw('mrp.production', 'action_confirm', [[id]]));
      const lot = (await result(w.executeKw('stock.lot', 'create', [{ name: 'FG-B', product_id: 1 }]))) as number;
      const field = version === '19' ? 'lot_producing_ids' : 'lot_producing_id';
      await result(
        w.executeKw('mrp.production', 'write', [
          [id],
          { qty_producing: 2, [field]: version === '19' ? [[4, lot]] : lot },
        ]),
      );
      const first = w.sim
        .env()
        .all('stock.move')
        .find((m) => m.raw_material_production_id === id)!;
      await result(w.executeKw('stock.move', 'write', [[first.id], { picked: true }]));
      assert.equal(
        await result(
          w.executeKw('mrp.production', 'button_mark_done', [[id]], { context: { skip_consumption: true } }),
        ),
        true,
      );
      const env = w.sim.env();
      const raws = env.all('stock.move').filter((m) => m.raw_material_production_id === id);
      assert.deepEqual(
        raws.map((m) => m.state),
        ['done', 'cancel', 'cancel'],
      );
      assert.equal(env.get('mrp.production', id).state, 'done');
    });

    it('refuses to finish a tracked product without a lot, rolling the whole call back', async () => {
      const w = wire();
      const id = await newOrder(w, 5);
      await result(w.executeKw('mrp.production', 'action_confirm', [[id]]));
      await result(w.executeKw('mrp.production', 'write', [[id], { qty_producing: 5 }]));
      const res = await w.executeKw('mrp.production', 'button_mark_done', [[id]], {
        context: { skip_consumption: true },
      });
      assert.equal(res.data.error.data.name, 'odoo.exceptions.UserError');
      assert.match(res.data.error.data.message, /Lot\/Serial number/);
      const env = w.sim.env();
      assert.equal(env.get('mrp.production', id).state, 'progress');
      assert.ok(
        env.all('mrp.workorder').every((wo) => wo.state !== 'done'),
        'work orders finished inside the failed call were rolled back',
      );
      const refused = w.sim.server.journal.list({ operation: 'mrp.production.button_mark_done' });
      assert.deepEqual(
        refused.map((e) => e.applied),
        [false],
      );
    });

    it('lot uniqueness is a ValidationError (Python check), and writing location_id relocates the quants', async () => {
      const w = wire();
      const dup = await w.executeKw('stock.lot', 'create', [{ name: 'H-1001', product_id: 3 }]);
      assert.equal(dup.data.error.data.name, 'odoo.exceptions.ValidationError');
      assert.match(dup.data.error.data.message, /must be unique/);
      const env = w.sim.env();
      const quarantine = env.all('stock.location').find((l) => l.name === 'Quarantine')!;
      const lot = env.all('stock.lot').find((l) => l.name === 'H-1001')!;
      await result(w.executeKw('stock.lot', 'write', [[lot.id], { location_id: quarantine.id }]));
      const [read] = (await result(
        w.executeKw('stock.lot', 'read', [[lot.id]], { fields: ['location_id', 'product_qty'] }),
      )) as Record<string, unknown>[];
      assert.deepEqual(read!.location_id, [quarantine.id, 'WH/Quarantine']);
      assert.equal(read!.product_qty, 500);
    });

    it('stock.scrap.action_validate answers the insufficient-quantity wizard and leaves the scrap draft', async () => {
      const w = wire();
      const id = (await result(w.executeKw('stock.scrap', 'create', [{ product_id: 1, scrap_qty: 3 }]))) as number;
      const answer = (await result(w.executeKw('stock.scrap', 'action_validate', [[id]]))) as Record<string, unknown>;
      assert.equal(answer.res_model, 'stock.warn.insufficient.qty.scrap');
      assert.equal(w.sim.env().get('stock.scrap', id).state, 'draft');
      const enough = (await result(
        w.executeKw('stock.scrap', 'create', [{ product_id: 3, lot_id: 1, scrap_qty: 3 }]),
      )) as number;
      assert.equal(await result(w.executeKw('stock.scrap', 'action_validate', [[enough]])), true);
      const quant = w.sim
        .env()
        .all('stock.quant')
        .find((q) => q.lot_id === 1)!;
      assert.equal(quant.quantity, 497);
    });

    it('version-specific fields: the other version’s names are invalid fields', async () => {
      const w = wire();
      const wrong = version === '19' ? 'lot_producing_id' : 'lot_producing_ids';
      const res = await w.executeKw('mrp.production', 'search_read', [[]], { fields: [wrong] });
      assert.equal(res.data.error.data.name, 'builtins.ValueError');
      const scrapFlag = version === '19' ? 'is_scrap' : 'scrapped';
      assert.ok(Array.isArray(await result(w.executeKw('stock.move', 'search', [[[scrapFlag, '=', false]]]))));
    });

    it('commit-then-error: the write is applied and journaled, the caller gets a proxy 502', async () => {
      const w = wire();
      w.sim.server.faults.set({ special: { commitThenErrorRate: 1 } });
      const res = await w.executeKw('stock.lot', 'create', [{ name: 'LOST-ANSWER', product_id: 1 }]);
      assert.equal(res.status, 502);
      assert.match(String(res.data), /Bad Gateway/);
      assert.ok(
        w.sim
          .env()
          .all('stock.lot')
          .some((l) => l.name === 'LOST-ANSWER'),
      );
      const [entry] = w.sim.server.journal.list({ operation: 'stock.lot.create' });
      assert.equal(entry!.applied, true);
      assert.equal(entry!.status, 502);
      assert.equal(entry!.refs.lot, 'LOST-ANSWER');
    });
  });
}

describe('odoo simulator: login cooldown and persistence', () => {
  const wire = useWire('17');

  it('answers False during a login cooldown even with the right key', async () => {
    const w = wire();
    w.sim.server.faults.set({ special: { loginCooldownAfter: 2, loginCooldownSeconds: 60 } });
    await w.jsonrpc('common', 'login', ['demo', 'admin', 'bad']);
    await w.jsonrpc('common', 'login', ['demo', 'admin', 'bad']);
    assert.equal((await w.jsonrpc('common', 'login', ['demo', 'admin', w.sim.apiKey])).data.result, false);
    w.sim.server.faults.set({});
    assert.equal((await w.jsonrpc('common', 'login', ['demo', 'admin', w.sim.apiKey])).data.result, 2);
  });

  it('keeps business state in its state file across restarts', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { createOdooSimulator } = await import('../../../../simulators/odoo');
    const file = join(mkdtempSync(join(tmpdir(), 'odoo-sim-')), 'odoo.json');
    const first = createOdooSimulator({ version: '18', stateFile: file });
    const env = first.env();
    env.create('stock.lot', { name: 'PERSISTED', product_id: 1 });
    first.server.reset();
    const seeded = createOdooSimulator({ version: '18', stateFile: file });
    assert.ok(
      !seeded
        .env()
        .all('stock.lot')
        .some((l) => l.name === 'PERSISTED'),
      'reset re-seeds and saves',
    );
    const url = await seeded.server.start(0);
    const { default: axios } = await import('axios');
    await axios.post(`${url}/jsonrpc`, {
      jsonrpc: '2.0',
      id: 1,
      params: {
        service: 'object',
        method: 'execute_kw',
        args: ['demo', 2, 'admin', 'stock.lot', 'create', [{ name: 'KEPT', product_id: 1 }]],
      },
    });
    await seeded.server.stop();
    const restarted = createOdooSimulator({ version: '18', stateFile: file });
    assert.ok(
      restarted
        .env()
        .all('stock.lot')
        .some((l) => l.name === 'KEPT'),
    );
  });
});
