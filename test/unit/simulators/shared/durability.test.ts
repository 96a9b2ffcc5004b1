import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import axios from 'axios';
import { createMesActivities } from '../../../../activities/mes/activities';
import { createErpOrders } from '../../../../demo/erp';
import { loadConfig } from '../../../../runtime/config';
import { spawnSimulators, type SimulatorProcess } from '../../../support/sim-process';

/**
 * A real ERP commits before it answers. The simulators stand in for them in the chaos run, where they are
 * killed with SIGKILL: every write they acknowledged must still be there when they come back.
 */
describe('simulators keep every acknowledged write through a SIGKILL', function () {
  this.timeout(120_000);
  let dir: string;
  let sims: SimulatorProcess | undefined;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'sim-durability-'))));
  after(async () => {
    await sims?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const configFor = (p: SimulatorProcess) =>
    loadConfig({
      PLANTFLOW_SIM_ODOO_PORT: String(p.ports.odoo),
      PLANTFLOW_SIM_SAP_PORT: String(p.ports.sap),
      PLANTFLOW_SIM_QMS_PORT: String(p.ports.qms),
      PLANTFLOW_SIM_MES_PORT: String(p.ports.mes),
    });
  const state = async <T>(url: string) => (await axios.get<T>(`${url}/__sim/state`, { timeout: 10_000 })).data;

  it('Odoo MOs, SAP production orders and MES dispatches answered just before the kill survive it', async () => {
    const acknowledged = { sap: [] as string[], odoo: [] as string[], mes: [] as string[] };
    for (let round = 0; round < 2; round++) {
      sims = await spawnSimulators({ dataDir: dir });
      const config = configFor(sims);
      const mes = createMesActivities(config.mes);
      // Writes in flight together, so several land in one commit of the state file; kill the moment the
      // last answer arrives, well inside the delay a coalescing writer would wait.
      await Promise.all(
        Array.from({ length: 8 }, async (_, i) => {
          const ref = `DUR-${round}-${i}`;
          const erp = await createErpOrders(config, { material: 'FG-100', quantity: 10, origin: ref });
          acknowledged.sap.push(erp.sapOrder);
          acknowledged.odoo.push(erp.odooMo);
          await mes.mesDispatchOrder({
            idempotencyKey: `dispatch/${ref}`,
            site: '1710',
            orderRef: ref,
            material: 'FG-100',
            quantity: { value: '10', uom: 'EA' },
            operations: [{ operation: '0010', workCenter: 'ASSY1', description: 'assemble' }],
          });
          acknowledged.mes.push(ref);
        }),
      );
      await sims.kill();
    }

    sims = await spawnSimulators({ dataDir: dir });
    const sap = await state<{ orders: Array<{ ManufacturingOrder: string }> }>(sims.urls.sap);
    const odoo = await state<{ records: Record<string, Record<string, { name: string }>> }>(sims.urls.odoo);
    const mes = await state<{ state: { dispatches: Record<string, { orderRef: string }> } }>(sims.urls.mes);
    const missing = (ids: string[], held: string[]) => ids.filter((id) => !held.includes(id));
    assert.equal(acknowledged.sap.length, 16);
    assert.deepEqual(
      missing(
        acknowledged.sap,
        sap.orders.map((o) => o.ManufacturingOrder),
      ),
      [],
      'SAP production orders lost',
    );
    assert.deepEqual(
      missing(
        acknowledged.odoo,
        Object.values(odoo.records['mrp.production'] ?? {}).map((r) => r.name),
      ),
      [],
      'Odoo MOs lost',
    );
    assert.deepEqual(
      missing(
        acknowledged.mes,
        Object.values(mes.state.dispatches).map((d) => d.orderRef),
      ),
      [],
      'MES dispatches lost',
    );
  });
});
