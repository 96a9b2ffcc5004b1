// `npm run simulators`: the four simulators alone, on their configured ports, state under .data/.
import { join } from 'node:path';
import { loadConfig } from '../runtime/config';
import { startSimulators } from '.';

async function main(): Promise<void> {
  const config = loadConfig();
  const sims = await startSimulators(config, { stateDir: join(config.dataDir, 'simulators') });
  for (const s of sims) console.log(`${s.system.padEnd(5)} simulator  ${s.url}`);
  const stop = async () => {
    await Promise.all(sims.map((s) => s.stop()));
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
