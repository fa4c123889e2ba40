/**
 * Durations as KubeVela writes them for `timeout` and the suspend step's `duration`: Go's
 * `time.ParseDuration` syntax, one or more number-unit pairs (`30s`, `1m30s`, `1.5h`, `500ms`).
 * `core/config/flags.ts`'s `parseDuration` takes only a single unit, so compound forms such as
 * KubeVela's own `2m15s` example need this one (pure).
 */

const unitMs: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
};

const whole =
  /^(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h)(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))*$/;
const part = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g;

/** Milliseconds of a Go duration (`0s` allowed); undefined when the text is not one. */
export function parseGoDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (!whole.test(trimmed)) return undefined;
  let total = 0;
  for (const match of trimmed.matchAll(part)) {
    total += Number(match[1]) * (unitMs[match[2] ?? ""] ?? 0);
  }
  return Math.round(total);
}
