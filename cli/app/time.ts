/**
 * Times and durations as the application commands read and print them (pure): Go-style
 * durations for `--timeout` (`60s`, `1m30s`), kubectl's "age" (`153m`, `3d4h`, as
 * apimachinery's `HumanDuration`), and local wall-clock times (`2006-01-02 15:04:05`, the
 * format of KubeVela's APPLY_TIME).
 */
import { parseGoDuration } from "../../core/config/duration.js";
import { CliError } from "../output.js";

/**
 * Milliseconds of a duration in Go's grammar (core/config/duration.ts: `60s`, `1m30s`,
 * `1.5h`, `500ms`; `0` alone is allowed), not negative. `CliError` naming `flag` otherwise.
 */
export function parseDuration(text: string, flag = "--timeout"): number {
  const ms = parseGoDuration(text);
  if (ms === undefined || ms < 0) {
    throw new CliError(
      `invalid ${flag} "${text}": use a number with a unit (ms, s, m, h), e.g. 60s, 2m or 1m30s`,
    );
  }
  return ms;
}

/** `1.2s`, `45.0s`, `2m3s`: how long something took (for "deleted in …"). */
export function formatElapsed(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m${seconds % 60}s`;
}

/** `<a><unit>[<b><unit2>]`, leaving out a zero second part. */
const pair = (a: number, unit: string, b: number, unit2: string): string =>
  b === 0 ? `${a}${unit}` : `${a}${unit}${b}${unit2}`;

function shortAge(seconds: number): string | undefined {
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return pair(minutes, "m", seconds % 60, "s");
  if (minutes < 180) return `${minutes}m`;
  return undefined;
}

function longAge(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const days = Math.floor(hours / 24);
  if (hours < 8) return pair(hours, "h", Math.floor(seconds / 60) % 60, "m");
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return pair(days, "d", hours % 24, "h");
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (hours < 24 * 365 * 8) return pair(years, "y", days % 365, "d");
  return `${years}y`;
}

/** kubectl's AGE for a duration in milliseconds (apimachinery `duration.HumanDuration`). */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  return shortAge(seconds) ?? longAge(seconds);
}

/** The age of an object created at `timestamp` (RFC 3339), or undefined when there is none. */
export function ageOf(timestamp: unknown, now: number): string | undefined {
  if (typeof timestamp !== "string") return undefined;
  const created = Date.parse(timestamp);
  return Number.isNaN(created) ? undefined : humanDuration(now - created);
}

const two = (n: number): string => String(n).padStart(2, "0");

/** `2006-01-02 15:04:05` in the local time zone; "" for a missing or invalid timestamp. */
export function localTime(timestamp: unknown): string {
  const ms = typeof timestamp === "string" ? Date.parse(timestamp) : NaN;
  if (Number.isNaN(ms)) return "";
  const d = new Date(ms);
  const date = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
  return `${date} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** `localTime` plus the zone's UTC offset (`2006-01-02 15:04:05 +0800`), as `vela ls` shows. */
export function localTimeWithZone(timestamp: unknown): string {
  const text = localTime(timestamp);
  if (text === "") return "";
  const offset = -new Date(Date.parse(String(timestamp))).getTimezoneOffset();
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  return `${text} ${sign}${two(Math.floor(abs / 60))}${two(abs % 60)}`;
}
