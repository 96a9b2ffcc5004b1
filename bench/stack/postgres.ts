import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../test/support/ports';

/** Debian's PostgreSQL (package `postgresql`), run as its `postgres` user in a cluster of the bench's own. */
export interface PostgresServer {
  port: number;
  user: string;
  password: string;
  stop(): Promise<void>;
}

function pgBin(): string {
  for (const version of ['17', '16', '15']) {
    const dir = `/usr/lib/postgresql/${version}/bin`;
    if (existsSync(join(dir, 'postgres'))) return dir;
  }
  throw new Error("PostgreSQL is not installed: apt-get install postgresql (Debian's package)");
}

const asPostgres = (cmd: string, args: string[]) => ['-u', 'postgres', '--', cmd, ...args];

/**
 * initdb in a folder of its own (the `postgres` user cannot enter the bench's private run folder), then
 * postgres on a free loopback port with trust auth on loopback only. `stop()` removes the cluster.
 */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = pgBin();
  const dir = mkdtempSync(join(tmpdir(), 'plantflow-bench-pg-'));
  const data = join(dir, 'pgdata');
  mkdirSync(data, { recursive: true });
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  chownSync(dir, uid, gid);
  chownSync(data, uid, gid);
  execFileSync(
    'runuser',
    asPostgres(join(bin, 'initdb'), ['-D', data, '-U', 'temporal', '--auth=trust', '-E', 'UTF8', '--no-sync']),
    { stdio: 'ignore' },
  );
  const port = await freePort();
  const log = openSync(join(dir, 'postgres.log'), 'a');
  const child: ChildProcess = spawn(
    'runuser',
    asPostgres(join(bin, 'postgres'), [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=200',
      '-c',
      'shared_buffers=256MB',
    ]),
    { stdio: ['ignore', log, log] },
  );
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    try {
      execFileSync(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  return {
    port,
    user: 'temporal',
    password: 'temporal',
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        // SIGINT to the postmaster itself (runuser stands between): PostgreSQL's "fast" shutdown.
        const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
        process.kill(pid, 'SIGINT');
      }).then(() => rmSync(dir, { recursive: true, force: true })),
  };
}
