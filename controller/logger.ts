/**
 * The logging surface the controller machinery writes to. It is the subset of pino's API
 * used here (`logger.warn({ key, err }, 'message')`), so a pino logger fits as is.
 */

/** Structured logger: a fields object, then a message. */
export interface Logger {
  debug(fields: Record<string, unknown>, msg: string): void;
  info(fields: Record<string, unknown>, msg: string): void;
  warn(fields: Record<string, unknown>, msg: string): void;
  error(fields: Record<string, unknown>, msg: string): void;
}

const ignore = (): void => {};

/** Drops everything; the default where a caller passes no logger and failures are retried anyway. */
export const silentLogger: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore };

function toStderr(level: string) {
  return (fields: Record<string, unknown>, msg: string): void => {
    const err = fields['err'];
    const shown = err instanceof Error ? { ...fields, err: err.message } : fields;
    process.stderr.write(`${JSON.stringify({ level, time: new Date().toISOString(), ...shown, msg })}\n`);
  };
}

/** Warnings and errors as JSON lines on stderr; the default, so failures are never silent. */
export const stderrLogger: Logger = { debug: ignore, info: ignore, warn: toStderr('warn'), error: toStderr('error') };
