// A bench worker process: the production worker (workers/process.ts, compiled by `npm run build`) with the
// no-op baseline activity on every queue and the baseline workflow in its bundle (built once by the bench).
import { runWorkerProcess } from '../../workers/process';
import { benchActivities } from './noop';

const codePath = process.env.PLANTFLOW_BENCH_WORKFLOW_BUNDLE;
runWorkerProcess({ workflowBundle: codePath ? { codePath } : undefined, extraActivities: benchActivities }).catch(
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
