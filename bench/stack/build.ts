import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowBundleOptions } from '../../workers/workers';

const ROOT = resolve(__dirname, '../..');
const SOURCES = [
  'domain',
  'contracts',
  'runtime',
  'workflows',
  'activities',
  'workers',
  'client',
  'simulators',
  'bench/stack',
];

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(path));
    else if (entry.name.endsWith('.ts')) latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}

/** The bench measures what production runs: the compiled build. Rebuilt when a source is newer. */
export function ensureBuild(): void {
  const marker = join(ROOT, 'dist/bench/stack/worker.js');
  const sources = Math.max(...SOURCES.map((d) => newest(join(ROOT, d))));
  if (existsSync(marker) && statSync(marker).mtimeMs >= sources) return;
  process.stderr.write('[bench] dist/ is missing or older than the sources: npm run build\n');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
}

/** plantflow's workflows plus the engine baseline, bundled the way `npm run build` bundles production's. */
export async function bundleBenchWorkflows(dir: string): Promise<string> {
  const bundle = await bundleWorkflowCode(workflowBundleOptions(require.resolve('./workflows')));
  const path = join(dir, 'bench-workflow-bundle.js');
  writeFileSync(path, bundle.code);
  return path;
}
