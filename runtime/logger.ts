import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

/** Paths pino censors wherever they appear: a last line of defence behind describeConfig(). */
export const REDACTED_PATHS = [
  'apiKey',
  'password',
  'token',
  'secret',
  'authorization',
  '*.apiKey',
  '*.password',
  '*.token',
  '*.secret',
  '*.authorization',
  '*.*.apiKey',
  '*.*.password',
  '*.*.token',
  '*.*.clientKey',
  'headers.authorization',
  'headers.cookie',
  'headers["x-api-key"]',
  'headers["x-csrf-token"]',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["x-api-key"]',
  'config.codec.keys',
  'codec.keys',
  'api.keys',
  'config.api.keys',
  'edge.keys',
  'edge.centralApiKey',
  'config.edge.keys',
  'config.edge.centralApiKey',
];

export type LogFormat = 'auto' | 'pretty' | 'json';

/**
 * One log stream per process. On a terminal (format `auto`) each event is one readable line; anywhere
 * else (a container, a file, a pipe) it is one JSON object per line for the log collector.
 */
export function createLogger(
  level: string,
  name = 'plantflow',
  destination?: pino.DestinationStream,
  format: LogFormat = 'auto',
): Logger {
  const human = destination === undefined && (format === 'pretty' || (format === 'auto' && process.stdout.isTTY));
  const stream = human
    ? pretty({
        colorize: true,
        singleLine: true,
        translateTime: 'SYS:HH:MM:ss',
        // What the line already says (the API's request lines carry status and time in their message).
        ignore: 'pid,hostname,component,sdkComponent,reqId,status,ms',
        messageFormat: '{if component}[{component}] {end}{msg}',
        sync: true,
      })
    : // Written synchronously like the pretty lines: in order with what the process prints itself (npm start's
      // banner), and not lost when the process exits right after.
      (destination ?? pino.destination({ dest: 1, sync: true }));
  return pino({ name, level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, stream);
}
