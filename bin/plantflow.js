#!/usr/bin/env node
// The plantflow CLI. In a checkout it runs the TypeScript sources through ts-node (SWC), so it always
// matches the code; an installed build without sources (the Docker image) runs the compiled dist/.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
if (existsSync(join(root, 'client', 'cli', 'main.ts'))) {
  require('ts-node').register({ project: join(root, 'tsconfig.json'), swc: true });
  require('../client/cli/main.ts');
} else {
  require('../dist/client/cli/main.js');
}
