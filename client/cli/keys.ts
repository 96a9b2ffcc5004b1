import type { Command } from 'commander';
import { embeddedApiKeys, embeddedSignerPasswords } from '../../runtime/embedded-data';
import { cliConfig } from './context';

/** `qp.marc` → `QP_MARC_PASSWORD`; `planner` → `PLANNER_KEY`. */
const variable = (name: string, suffix: string) => `${name.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase()}_${suffix}`;

export function keysCommand(program: Command): void {
  program
    .command('keys')
    .description("The embedded stack's API key per role and the demo signers' passwords (kept by npm start)")
    .option('--shell', 'print them as shell exports: eval "$(node bin/plantflow.js keys --shell)"')
    .action((o: { shell?: boolean }) => {
      const dir = cliConfig().dataDir;
      const keys = embeddedApiKeys(dir);
      if (!keys) throw new Error(`no API keys in ${dir}: npm start seeds them (or set PLANTFLOW_DATA_DIR)`);
      const passwords = embeddedSignerPasswords(dir) ?? {};
      const lines = o.shell
        ? [
            ...Object.entries(keys).map(([role, key]) => `export ${variable(role, 'KEY')}='${key}'`),
            ...Object.entries(passwords).map(([user, pw]) => `export ${variable(user, 'PASSWORD')}='${pw}'`),
          ]
        : [
            `API keys (${dir}):`,
            ...Object.entries(keys).map(([role, key]) => `  ${role.padEnd(9)} ${key}`),
            'Signer passwords:',
            ...Object.entries(passwords).map(([user, pw]) => `  ${user.padEnd(9)} ${pw}`),
          ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
