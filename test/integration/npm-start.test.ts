import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EdgeHealth } from '../../domain/edge';
import type { EdgeStatus } from '../../edge/status';
import type { Role } from '../../domain/roles';
import { EMBEDDED_FILES, keysByRole } from '../../runtime/embedded-data';
import { ROOT, runCli } from '../support/spawn';
import { eventually } from '../support/eventually';
import { freePort } from '../support/ports';

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1');
  });

const keysIn = (file: string) => keysByRole(JSON.parse(readFileSync(file, 'utf8')) as Record<string, Role[]>);

/**
 * A newcomer's first hour, for real: `npm start` (scripts/start.ts, as package.json runs it) on free ports with a
 * data directory of its own, then in a second terminal `plantflow demo --scenario order` and `plantflow order show
 * … --timeline` with nothing but that directory and the ports — then Ctrl-C (SIGTERM) stops everything.
 */
describe('npm start, then the demo and the CLI from a second terminal', function () {
  this.timeout(300_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'pf-start-'));
  const env: Record<string, string> = {};
  let start: ChildProcess | undefined;
  let out = '';
  let exited: Promise<number | null>;

  before(async () => {
    const script = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } })
      .scripts.start;
    assert.equal(script, 'ts-node scripts/start.ts', 'this test runs what npm start runs');
    const names = ['TEMPORAL', 'TEMPORAL_UI', 'API', 'SIM_ODOO', 'SIM_SAP', 'SIM_QMS', 'SIM_MES', 'EDGE'];
    for (const name of names) env[`PLANTFLOW_${name}_PORT`] = String(await freePort());
    env.PLANTFLOW_DATA_DIR = dataDir;
    // The terminal of a newcomer: no plantflow or Temporal settings of the test run leak in.
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith('PLANTFLOW_') && !k.startsWith('TEMPORAL_ADDRESS')),
    );
    start = spawn(process.execPath, [require.resolve('ts-node/dist/bin.js'), 'scripts/start.ts'], {
      cwd: ROOT,
      env: { ...inherited, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    exited = new Promise((done) => start!.once('exit', (code) => done(code)));
    start.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    start.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    await Promise.race([
      eventually(
        async () => out,
        (text) => text.includes('plantflow is running'),
        240_000,
        200,
      ),
      exited.then((code) => {
        throw new Error(`npm start exited (${code}) before its banner:\n${out.slice(-3000)}`);
      }),
    ]);
    // The banner is the last thing printed, after the start-up lines; let its lines arrive whole.
    await eventually(
      async () => out,
      (text) => text.includes('Ctrl-C stops everything'),
      10_000,
      50,
    );
  });
  after(async () => {
    if (start && start.exitCode === null) {
      start.kill('SIGKILL'); // only when the test failed before its clean stop
      await exited;
    }
  });

  it('starts everything, seeds the keys (the edge’s too) and prints the banner last', async () => {
    // Every start-up line is out before the banner: the edge listening, every worker running.
    const startUp = [
      /plant edge listening for the MES/,
      ...['plantflow', 'plantflow-odoo', 'plantflow-plant-1710'].map(
        (q) => new RegExp(`"taskQueue":"${q}","state":"RUNNING"`),
      ),
    ];
    await eventually(
      async () => out,
      (text) => startUp.every((line) => line.test(text)),
      10_000,
      50,
    );
    const banner = out.indexOf('plantflow is running');
    for (const line of startUp) assert.ok(out.search(line) < banner, `${line} before the banner`);
    for (const file of Object.values(EMBEDDED_FILES)) assert.ok(existsSync(join(dataDir, file)), `${file} seeded`);
    const central = JSON.parse(readFileSync(join(dataDir, EMBEDDED_FILES.apiKeys), 'utf8')) as Record<string, Role[]>;
    assert.ok(
      Object.values(central).some((roles) => roles.includes('edge') && roles.includes('mes')),
      'a central key for the edge',
    );
    const edgeKeys = keysIn(join(dataDir, EMBEDDED_FILES.edgeApiKeys));
    assert.deepEqual(Object.keys(edgeKeys).sort(), ['mes', 'operator', 'viewer']);
    assert.ok(
      out.includes(`plant edge 1710   http://127.0.0.1:${env.PLANTFLOW_EDGE_PORT}`),
      'the banner names the edge',
    );

    // The embedded edge took its place at the plant and reported itself to the central API.
    const edge = (await (
      await fetch(`http://127.0.0.1:${env.PLANTFLOW_EDGE_PORT}/edge/status`, {
        headers: { authorization: `Bearer ${edgeKeys.viewer}` },
      })
    ).json()) as EdgeStatus;
    assert.deepEqual([edge.edgeId, edge.site, edge.backlog.events], ['edge-1710', '1710', 0]);
    const viewer = keysIn(join(dataDir, EMBEDDED_FILES.apiKeys)).viewer!;
    const edges = await eventually(
      async () =>
        (
          (await (
            await fetch(`http://127.0.0.1:${env.PLANTFLOW_API_PORT}/edges`, {
              headers: { authorization: `Bearer ${viewer}` },
            })
          ).json()) as { edges: EdgeHealth[] }
        ).edges,
      (list) => list.some((e) => e.edgeId === 'edge-1710' && e.state === 'ok'),
      30_000,
      250,
    );
    assert.equal(edges.length, 1);
  });

  let orderRef: string;
  it('plantflow demo --scenario order plays the order part through the HTTP API named by --api-url', async () => {
    const demo = await runCli(
      ['--api-url', `http://127.0.0.1:${env.PLANTFLOW_API_PORT}`, 'demo', '--scenario', 'order', '--timeout', '120'],
      env,
    );
    assert.equal(demo.code, 0, demo.output);
    assert.doesNotMatch(demo.output, /✘/);
    assert.match(demo.stdout, /✔ Planner closes the order short \(98 made, 2 scrapped\)/);
    const hint = /node bin\/plantflow\.js order show 1710 (PO-[A-Z0-9]+) --timeline/.exec(demo.stdout);
    assert.ok(hint, demo.stdout);
    orderRef = hint[1]!;
    assert.match(
      demo.stdout,
      new RegExp(`order:1710:${orderRef} +http://localhost:${env.PLANTFLOW_TEMPORAL_UI_PORT}/`),
    );
  });

  it('plantflow order show … --timeline reads the run from Temporal with the seeded codec key', async () => {
    const show = await runCli(['order', 'show', '1710', orderRef, '--timeline'], env);
    assert.equal(show.code, 0, show.output);
    assert.match(show.stdout, new RegExp(`${orderRef} at 1710: (completed|closed)`));
    assert.match(show.stdout, /MaterialProduced/);
  });

  it('Ctrl-C (SIGTERM) stops the whole stack cleanly: exit 0, every port free again', async () => {
    start!.kill('SIGTERM');
    assert.equal(await exited, 0, out.slice(-3000));
    assert.match(out, /stopped; runs in flight continue at the next start/);
    for (const name of ['TEMPORAL', 'API', 'SIM_SAP', 'EDGE'])
      assert.equal(await listening(Number(env[`PLANTFLOW_${name}_PORT`])), false, `${name} port closed`);
  });
});
