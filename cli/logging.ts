/** The process logger: structured JSON lines (pino) on stdout, level from `--log-level`. */
import { pino, type Logger } from 'pino';

/** Levels accepted by `--log-level`. */
export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A JSON logger on stdout (or on fd 2 when stdout carries human output). */
export function createLogger(level: string, name: string, fd: 1 | 2 = 1): Logger {
  return pino({ name, level, base: { pid: process.pid } }, pino.destination({ fd, sync: true }));
}
