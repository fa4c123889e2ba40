/**
 * The logger the controller runtime writes to: the same shape as the programs' loggers
 * (`info`/`warn`/`error` with structured fields), so a program passes its own.
 */

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Discards everything. */
export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

/** The message of an unknown thrown value, for logs. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
