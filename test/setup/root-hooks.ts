import { DefaultLogger, Runtime } from '@temporalio/worker';
import { teardownTemporalEnvs } from './temporal-env';

// Runtime.install may run once per process, before any worker, connection or test server exists.
// Root hooks run once for the whole mocha run, so every test file shares this quiet runtime.
export const mochaHooks = {
  beforeAll(): void {
    Runtime.install({
      logger: new DefaultLogger((process.env.TEST_LOG_LEVEL as 'WARN' | undefined) ?? 'ERROR'),
      telemetryOptions: { logging: { forward: {}, filter: 'ERROR' } },
    });
  },
  async afterAll(): Promise<void> {
    await teardownTemporalEnvs();
  },
};
