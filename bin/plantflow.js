#!/usr/bin/env node
// The plantflow CLI: runs client/cli/main.ts through ts-node (SWC), like the rest of the project.
const { join } = require('node:path');
require('ts-node').register({ project: join(__dirname, '..', 'tsconfig.json'), swc: true });
require('../client/cli/main.ts');
