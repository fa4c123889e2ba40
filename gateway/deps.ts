/**
 * What every part of the gateway receives instead of reaching for globals (house style §11):
 * time (the controller runtime's `Clock`, so timers and expiry are testable) and logging.
 */
import { systemClock, type Clock } from "../core/controller/clock.js";
import type { Logger } from "../core/controller/logger.js";

export { systemClock, type Clock } from "../core/controller/clock.js";
export { errorText, silentLogger, type Logger } from "../core/controller/logger.js";

/** A logger writing one JSON line per entry to `write` (stderr in main). */
export function jsonLogger(write: (line: string) => void, clock: Clock = systemClock): Logger {
  const entry =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}): void =>
      write(
        JSON.stringify({ time: new Date(clock.now()).toISOString(), level, message, ...fields }),
      );
  return { info: entry("info"), warn: entry("warn"), error: entry("error") };
}
