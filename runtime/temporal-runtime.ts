import { DefaultLogger, makeTelemetryFilterString, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from 'pino';

const PINO_LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** Notices that are expected by design (activity-only workers poll no workflows, none serves Nexus). */
const EXPECTED = new Set([
  'No workflows registered, not polling for workflow tasks',
  'No Nexus services registered, not polling for Nexus tasks',
]);

/**
 * Routes the SDK's and Core's logs into pino (one JSON log stream for the whole process) and exposes
 * the SDK's Prometheus metrics when an address is given. Must run before any worker or connection.
 */
export function installTemporalRuntime(
  logger: Logger,
  metricsBindAddress?: string,
  /** The embedded launcher stops everything itself, in order; a worker process lets the SDK do it. */
  options: { handleSignals?: boolean } = {},
): void {
  const sdkLogger = logger.child({ component: 'temporal' });
  Runtime.install({
    logger: new DefaultLogger('INFO', ({ level, message, meta, timestampNanos }) => {
      const { error, ...rest } = (meta ?? {}) as Record<string, unknown>;
      const pinoLevel = EXPECTED.has(message) ? 'debug' : PINO_LEVEL[level];
      sdkLogger[pinoLevel]({ ...rest, err: error, time: Number(timestampNanos / 1_000_000n) }, message);
    }),
    shutdownSignals: options.handleSignals === false ? [] : undefined,
    telemetryOptions: {
      logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' }) },
      metrics: metricsBindAddress ? { prometheus: { bindAddress: metricsBindAddress } } : undefined,
    },
  });
}
