import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { workflowBundleOptions } from '../../workers/workers';
import { HISTORY_DIR } from '../support/histories';
import { testDataConverter } from '../setup/temporal-env';

/**
 * Replays every committed history (recorded from real dev-server runs with RECORD_HISTORIES=1) against
 * today's workflow code. `fixture-*` histories belong to the toolchain fixtures; the rest to workflows/.
 */
const histories = readdirSync(HISTORY_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((file) => ({ file, history: JSON.parse(readFileSync(resolve(HISTORY_DIR, file), 'utf8')) as object }));

const bundles = new Map<string, Promise<WorkflowBundleWithSourceMap>>();
function bundleFor(workflowsPath: string): Promise<WorkflowBundleWithSourceMap> {
  if (!bundles.has(workflowsPath))
    bundles.set(
      workflowsPath,
      // plantflow's workflows as production bundles them (shared, preloaded modules); the fixtures plainly.
      bundleWorkflowCode(
        workflowsPath === PLANTFLOW_WORKFLOWS ? workflowBundleOptions() : { workflowsPath, logger: quietLogger },
      ),
    );
  return bundles.get(workflowsPath)!;
}
const quietLogger = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

const PLANTFLOW_WORKFLOWS = require.resolve('../../workflows');
const workflowsPathOf = (file: string) =>
  file.startsWith('fixture-') ? require.resolve('../fixtures/workflows') : PLANTFLOW_WORKFLOWS;

describe('replay of recorded histories', function () {
  this.timeout(120_000);

  it('has recorded histories to replay', () => {
    assert.ok(histories.length > 0, `no histories in ${HISTORY_DIR}`);
  });

  for (const { file, history } of histories) {
    it(`replays ${file} deterministically`, async () => {
      await Worker.runReplayHistory(
        { workflowBundle: await bundleFor(workflowsPathOf(file)), dataConverter: testDataConverter },
        history,
      );
    });
  }

  it('rejects a non-deterministic change to a recorded workflow', async () => {
    const probe = histories.find((h) => h.file === 'fixture-toolchainProbe.json');
    assert.ok(probe, 'fixture history present');
    await assert.rejects(
      Worker.runReplayHistory(
        {
          workflowBundle: await bundleFor(require.resolve('../fixtures/workflows-changed')),
          dataConverter: testDataConverter,
        },
        probe.history,
      ),
      DeterminismViolationError,
    );
  });
});
