import { systemClock, type Clock } from "./clock.js";

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

/** A logger writing one JSON line per entry to `write` (stderr in the programs' main). */
export function jsonLogger(write: (line: string) => void, clock: Clock = systemClock): Logger {
  const entry =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}): void =>
      write(
        JSON.stringify({ time: new Date(clock.now()).toISOString(), level, message, ...fields }),
      );
  return { info: entry("info"), warn: entry("warn"), error: entry("error") };
}
