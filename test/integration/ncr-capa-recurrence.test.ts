import assert from 'node:assert/strict';
import type { QmsState } from '../../simulators/qms/state';
import { startPlantStack, type PlantStack } from '../support/stack';
import { eventually } from '../support/eventually';

/** The CAPA recurrence rule on the dev server: NCR runs of a material are counted with a visibility query. */
describe('NCR recurrence on the dev server', function () {
  this.timeout(300_000);
  let stack: PlantStack;
  before(async () => {
    stack = await startPlantStack();
  });
  after(async () => stack?.teardown());

  it('the third NCR of a material within the window opens a recurrence CAPA in the QMS, linking all three; a fourth joins it', async () => {
    await stack.sims.qms.reset();
    const tag = Date.now().toString(36).toUpperCase().slice(-6);
    const ids: string[] = [];
    for (let i = 1; i <= 4; i++) {
      const { ncrId } = await stack.plantflow.ncrs.open({
        ncrId: `NCR-REC-${tag}-${i}`,
        source: 'supplier',
        severity: 'minor',
        site: '1710',
        material: 'RM-320',
        lots: [{ lotId: 'S-3001', quantity: { value: '2', uom: 'EA' }, storageLocation: '171B' }],
        description: `seal kit leak report ${i}`,
        raisedBy: 'qa.anna',
      });
      ids.push(ncrId);
      // One after the other: each must be visible to the next one's count.
      await eventually(
        () => stack.plantflow.ncrs.status(ncrId).catch(() => undefined),
        (v) =>
          v?.status === 'contained' &&
          v.timeline.some((t) => t.type === 'Recurrence') &&
          (i < 3 || v.capa !== undefined),
        60_000,
      );
    }
    const views = await Promise.all(ids.map((id) => stack.plantflow.ncrs.status(id)));
    assert.deepEqual(
      views.map((v) => v.capa?.capaId),
      [undefined, undefined, `CAPA-R-${ids[0]}`, `CAPA-R-${ids[0]}`],
    );
    assert.deepEqual(
      views.map((v) => v.capa?.outcome),
      [undefined, undefined, 'opened', 'linked'],
    );
    const qms = (await stack.sims.qms.state<{ state: QmsState }>()).state;
    const capa = qms.capas[`CAPA-R-${ids[0]}`]!;
    assert.deepEqual([capa.trigger, capa.material, [...capa.ncrIds].sort()], ['recurrence', 'RM-320', [...ids].sort()]);
    const listed = await eventually(
      () => stack.plantflow.ncrs.list({ material: 'RM-320', status: 'contained' }),
      (l) => l.length === 4,
      30_000,
    );
    assert.deepEqual(listed.map((n) => n.ncrId).sort(), [...ids].sort());
    for (const id of ids) await stack.plantflow.ncrs.handle(id).terminate('test done');
  });
});
