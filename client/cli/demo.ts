import type { Command } from 'commander';
import { DEMO_PARTS, type DemoPart } from '../../demo/plant-day';
import { runDemo } from '../../demo/run';
import { cliConfig } from './context';

export function demoCommand(program: Command): void {
  program
    .command('demo')
    .description('Play a plant day against the running embedded stack (npm start): orders, shift, release, NCR')
    .option('--scenario <part>', `one part of the day: ${DEMO_PARTS.join(' | ')} (each with the order it needs)`)
    .option('--timeout <seconds>', 'how long one step may wait for a run', '180')
    .action(async (o: { scenario?: string; timeout: string }) => {
      const config = cliConfig();
      await runDemo(config, {
        scenario: o.scenario as DemoPart | undefined,
        apiUrl: program.opts<{ apiUrl?: string }>().apiUrl,
        timeoutMs: Number(o.timeout) * 1000,
      });
    });
}
