import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Progress } from '../../../demo/progress';
import { partsFor, runDemo } from '../../../demo/run';
import { loadConfig } from '../../../runtime/config';

describe('npm run demo: parts, refusals before anything is written, progress display', () => {
  it('plays the whole day by default; a scenario plays its part with the order it stands on', () => {
    assert.deepEqual(partsFor(), ['order', 'release', 'ncr']);
    assert.deepEqual(partsFor('order'), ['order']);
    assert.deepEqual(partsFor('ncr'), ['order', 'ncr']);
    assert.throws(() => partsFor('lunch' as 'order'), /unknown scenario "lunch": one of order, release, ncr/);
  });

  it('refuses without the keys npm start keeps, or against a real ERP, naming what to do', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'pf-nodemo-'));
    await assert.rejects(
      runDemo(loadConfig({ PLANTFLOW_DATA_DIR: empty })),
      /the demo acts with the API keys npm start keeps in .*api-keys\.json .*start the stack with npm start first/,
    );
    await assert.rejects(
      runDemo(
        loadConfig({
          PLANTFLOW_DATA_DIR: empty,
          PLANTFLOW_SAP_URL: 'https://sap.example.com',
          PLANTFLOW_SAP_PASSWORD: 'x',
        }),
      ),
      /the demo works against the simulators only, and PLANTFLOW_SAP_URL points at a real system/,
    );
  });

  const capture = (tty: boolean) => {
    const out = Object.assign(new PassThrough(), { isTTY: tty });
    let text = '';
    out.on('data', (d: Buffer) => (text += d.toString()));
    return { out, text: () => text };
  };

  it('prints a step once it is done, its notes under it; a failed step is marked and its error passes on', async () => {
    const { out, text } = capture(false);
    const progress = new Progress(out);
    progress.section('Morning');
    assert.equal(
      await progress.step('Book in', async () => {
        progress.note('lot H-1');
        return 7;
      }),
      7,
    );
    await assert.rejects(
      progress.step('Release', () => Promise.reject(new Error('refused'))),
      /refused/,
    );
    assert.match(text(), /^\nMorning\n {2}✔ Book in \(\d+\.\d s\)\n {4}lot H-1\n {2}✘ Release \(\d+\.\d s\)\n$/);
  });

  it('on a terminal, clears its spinner line before the result', async () => {
    const { out, text } = capture(true);
    await new Progress(out).step('Release', () => new Promise((r) => setTimeout(r, 250)));
    assert.match(text(), /\r {2}[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Release/);
    const clearLine = `\r${String.fromCharCode(27)}[2K`;
    assert.ok(text().includes(`${clearLine}  ✔ Release (`), 'the spinner line is cleared, then the result');
    assert.match(text(), /✔ Release \(0\.\d s\)\n$/);
  });
});
