// Worker process entry point: runs the worker groups named by PLANTFLOW_WORKERS (all by default).
import { runWorkerProcess } from './process';

runWorkerProcess().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
