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

/** The levels of `--log-level`, least severe first. */
export const logLevels = ["debug", "info", "warn", "error"] as const;

export type LogLevel = (typeof logLevels)[number];

/** A logger that also has `debug`, written only at `--log-level debug`. */
export interface LeveledLogger extends Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
}

/** Whether an entry at `level` is written when the threshold is `threshold` (pure). */
export const logged = (level: LogLevel, threshold: LogLevel): boolean =>
  logLevels.indexOf(level) >= logLevels.indexOf(threshold);

/**
 * A logger writing one JSON line per entry to `write` (stderr in the programs' main); entries
 * below `threshold` (default info) are dropped.
 */
export function jsonLogger(
  write: (line: string) => void,
  clock: Clock = systemClock,
  threshold: LogLevel = "info",
): LeveledLogger {
  const entry =
    (level: LogLevel) =>
    (message: string, fields: Record<string, unknown> = {}): void => {
      if (!logged(level, threshold)) return;
      write(
        JSON.stringify({ time: new Date(clock.now()).toISOString(), level, message, ...fields }),
      );
    };
  return { debug: entry("debug"), info: entry("info"), warn: entry("warn"), error: entry("error") };
}
