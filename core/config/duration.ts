/**
 * Durations in Go's `time.ParseDuration` grammar (pure): the one reading of a duration for
 * program flags, workflow `timeout`s and suspend `duration`s (KubeVela parses those with Go),
 * and the CLI's `--timeout`. An optional sign, then one or more `<number><unit>` parts:
 * `300ms`, `1.5h`, `1h2m3.5s`, `.5s`, `5.s`; units `ns`, `us` (or `µs`, `μs`), `ms`, `s`, `m`,
 * `h`. A bare `0` (signed or not) needs no unit. Blanks around the text are ignored; blanks
 * inside it are not allowed, as in Go. Callers decide which range they accept (most refuse
 * negative durations) and how to report a bad one.
 */

const unitMs: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3, // U+00B5 micro sign
  μs: 1e-3, // U+03BC Greek mu
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
};

const NUMBER = String.raw`(?:\d+\.?\d*|\.\d+)`;
const UNIT = "(?:ns|us|µs|μs|ms|s|m|h)";
const WHOLE = new RegExp(`^[-+]?(?:${NUMBER}${UNIT})+$`, "u");
const PART = new RegExp(`(${NUMBER})(${UNIT})`, "gu");
const ZERO = /^[-+]?0$/;

/** Go's limit: a duration is an int64 of nanoseconds (about 292 years). */
const MAX_MS = 9_223_372_036_854.775;

/**
 * Milliseconds (rounded) of a duration in Go's grammar, negative when it says `-`; undefined
 * when the text is not one or is beyond Go's range.
 */
export function parseGoDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (ZERO.test(trimmed)) return 0;
  if (!WHOLE.test(trimmed)) return undefined;
  let total = 0;
  for (const [, number, unit] of trimmed.matchAll(PART)) {
    total += Number(number) * (unitMs[unit ?? ""] ?? Number.NaN);
  }
  if (!(total <= MAX_MS)) return undefined;
  const ms = Math.round(total);
  return trimmed.startsWith("-") && ms !== 0 ? -ms : ms;
}
