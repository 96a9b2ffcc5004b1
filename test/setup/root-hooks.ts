import { DefaultLogger, Runtime } from '@temporalio/worker';
import { resetTimeSkippingEnv, teardownTemporalEnvs } from './temporal-env';

let lastFile: string | undefined;

// Runtime.install may run once per process, before any worker, connection or test server exists.
// Root hooks run once for the whole mocha run, so every test file shares this quiet runtime.
export const mochaHooks = {
  beforeAll(): void {
    Runtime.install({
      logger: new DefaultLogger((process.env.TEST_LOG_LEVEL as 'WARN' | undefined) ?? 'ERROR'),
      telemetryOptions: { logging: { forward: {}, filter: 'ERROR' } },
    });
  },
  async beforeEach(this: Mocha.Context): Promise<void> {
    const file = this.currentTest?.file;
    if (file && lastFile && file !== lastFile) await resetTimeSkippingEnv();
    lastFile = file;
  },
  async afterAll(): Promise<void> {
    await teardownTemporalEnvs();
  },
};
