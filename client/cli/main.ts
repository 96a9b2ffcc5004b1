// `plantflow` — the operator's command line. Talks to Temporal directly with the same configuration
// (environment variables) as the workers; later issues add their commands here.
import { Command } from 'commander';
import { ConfigError } from '../../runtime/config';
import { statusCommand } from './status';
import { orderCommand } from './order';
import { ncrCommand } from './ncr';
import { lotCommand } from './lot';
import { edgeCommand } from './edge';

const program = new Command()
  .name('plantflow')
  .description('Durable manufacturing workflows across Odoo, SAP, MES and QMS')
  .showHelpAfterError();

statusCommand(program);
orderCommand(program);
ncrCommand(program);
lotCommand(program);
edgeCommand(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  const message =
    err instanceof ConfigError
      ? `configuration error — ${err.message}`
      : err instanceof Error
        ? err.message
        : String(err);
  process.stderr.write(`plantflow: ${message}\n`);
  process.exit(1);
});
