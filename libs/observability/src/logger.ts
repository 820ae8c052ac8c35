import pino, { type Logger } from 'pino';

/** Structured JSON logs on stdout (one object per line), the format log shippers expect. */
export function createRootLogger(level: string): Logger {
  return pino({ level, base: { service: 'bedside-hub' }, timestamp: pino.stdTimeFunctions.isoTime });
}
