import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');

export interface Finished {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr as they came, interleaved. */
  output: string;
}

/** Runs a command to its end and collects what it printed; never throws on a non-zero exit. */
export function runCommand(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Finished> {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: options.cwd ?? ROOT, env: options.env ?? process.env });
    const out = { stdout: '', stderr: '', output: '' };
    child.stdout.on('data', (d: Buffer) => ((out.stdout += d.toString()), (out.output += d.toString())));
    child.stderr.on('data', (d: Buffer) => ((out.stderr += d.toString()), (out.output += d.toString())));
    child.on('close', (code) => done({ code: code ?? -1, ...out }));
  });
}

/** `node bin/plantflow.js …` from the checkout, with the given environment over the test's own. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, cwd = ROOT): Promise<Finished> {
  return runCommand(process.execPath, [join(ROOT, 'bin/plantflow.js'), ...args], {
    cwd,
    env: { ...process.env, ...env },
  });
}
