// A bench worker process: the production worker (workers/process.ts, compiled by `npm run build`) with the
// no-op baseline activity on every queue and the baseline workflow in its bundle (built once by the bench).
import { getHeapStatistics, writeHeapSnapshot } from 'node:v8';
import { runWorkerProcess } from '../../workers/process';
import { benchActivities } from './noop';

/** The bench's memory probe over the IPC channel: heap after a full GC, or a heap snapshot written to a file. */
export type MemoryRequest = { type: 'memory' } | { type: 'snapshot'; path: string };
export interface MemoryReport {
  type: 'memory';
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  nativeContexts: number;
  snapshot?: string;
}

process.on('message', (req: MemoryRequest) => {
  const collect = (globalThis as { gc?: () => void }).gc;
  // Twice: the first pass finalises weak references (evicted runs' contexts) the second one frees.
  collect?.();
  collect?.();
  const usage = process.memoryUsage();
  const report: MemoryReport = {
    type: 'memory',
    rss: usage.rss,
    heapUsed: usage.heapUsed,
    external: usage.external,
    arrayBuffers: usage.arrayBuffers,
    nativeContexts: getHeapStatistics().number_of_native_contexts,
    snapshot: req.type === 'snapshot' ? writeHeapSnapshot(req.path) : undefined,
  };
  process.send?.(report);
});
// The channel must not keep the process alive once its workers have drained.
process.channel?.unref();

const codePath = process.env.PLANTFLOW_BENCH_WORKFLOW_BUNDLE;
// The memory probe (bench/memory.ts) runs the workflows in the main thread, where its GC and heap readings reach them.
const debugMode = process.env.PLANTFLOW_BENCH_WORKFLOWS_IN_MAIN_THREAD === '1';
runWorkerProcess({
  workflowBundle: codePath ? { codePath } : undefined,
  extraActivities: benchActivities,
  workflowWorkerOptions: debugMode ? { debugMode } : undefined,
}).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
