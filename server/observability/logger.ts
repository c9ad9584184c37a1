import pino, { type DestinationStream, type Logger } from 'pino';

// Defence in depth: mamgate never logs headers or bodies, but if an object carrying a secret reaches a log call
// these paths are censored.
const REDACT_PATHS = [
  'authorization',
  'cookie',
  'token',
  'access_token',
  'password',
  'BindPassword',
  'secret',
  '*.authorization',
  '*.cookie',
  '*.token',
  '*.access_token',
  '*.password',
  '*.BindPassword',
  '*.secret',
  'headers.authorization',
  'headers.cookie',
  'headers.token',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers.token',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'mamgate' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination ?? pino.destination({ dest: 2, sync: false }),
  );
}

/**
 * The logger of the service's start and stop lines: at info whatever LOG_LEVEL says (warn or error keep the
 * request lines out, not the lines a supervisor or a script waits for), on the same JSON stream.
 */
export function lifecycleLogger(log: Logger): Logger {
  return log.isLevelEnabled('info') ? log : log.child({}, { level: 'info' });
}

export type { Logger };
