// `plantflow` — the operator's command line. Acts straight on Temporal with the workers' configuration
// (completed with what `npm start` keeps in .data/), or through the HTTP API with --api-url and a key.
import { Command } from 'commander';
import { ConfigError } from '../../runtime/config';
import { setCliTarget } from './context';
import { demoCommand } from './demo';
import { keysCommand } from './keys';
import { lotCommand } from './lot';
import { edgeCommand } from './edge';
import { exceptionsCommand } from './exceptions';
import { ncrCommand } from './ncr';
import { orderCommand } from './order';
import { reconcileCommand } from './reconcile';
import { simCommand } from './sim';
import { statusCommand } from './status';

const program = new Command()
  .name('plantflow')
  .description('Durable manufacturing workflows across Odoo, SAP, MES and QMS')
  .option('--api-url <url>', 'act through the plantflow HTTP API at this URL (env PLANTFLOW_API_URL)')
  .option('--api-key <key>', 'API key for --api-url (env PLANTFLOW_API_KEY)')
  .showHelpAfterError()
  .hook('preAction', () => setCliTarget(program.opts()));

statusCommand(program);
orderCommand(program);
ncrCommand(program);
lotCommand(program);
keysCommand(program);
simCommand(program);
demoCommand(program);
edgeCommand(program);
exceptionsCommand(program);
reconcileCommand(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  const message =
    err instanceof ConfigError
      ? `configuration error — ${err.message}`
      : err instanceof Error
        ? err.message
        : String(err);
  process.stderr.write(`plantflow: ${message.split('\n')[0]}\n`);
  process.exit(1);
});
