// `npm run build`: the production build. Compiles the TypeScript to dist/ (no ts-node at run time) and
// bundles the workflow code ahead of time into dist/workflow-bundle.js, which workers started from dist/
// load through `workflowBundle` instead of running webpack at every start.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bundleWorkflows, PREBUILT_WORKFLOW_BUNDLE } from '../workers/workers';

async function main(): Promise<void> {
  const root = resolve(__dirname, '..');
  // `--out-dir <dir>` builds elsewhere (a test does, to leave dist/ alone); inside the checkout, so
  // the compiled code finds node_modules.
  const flag = process.argv.indexOf('--out-dir');
  const out = flag > 0 ? resolve(process.argv[flag + 1]!) : join(root, 'dist');
  rmSync(out, { recursive: true, force: true });
  const started = Date.now();
  const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
  const tsc = require.resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', out], {
    stdio: 'inherit',
  });
  process.stdout.write(`[build] compiled to ${out} in ${seconds()} s\n`);
  const bundle = await bundleWorkflows();
  writeFileSync(join(out, PREBUILT_WORKFLOW_BUNDLE), bundle.code);
  const size = Math.round(bundle.code.length / 1024);
  process.stdout.write(`[build] workflow bundle ${PREBUILT_WORKFLOW_BUNDLE} (${size} KiB); ${seconds()} s in all\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
