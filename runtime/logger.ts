import pino, { type Logger } from 'pino';

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

export function createLogger(level: string, name = 'plantflow', destination?: pino.DestinationStream): Logger {
  return pino({ name, level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, destination);
}
