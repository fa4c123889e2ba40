/**
 * Program configuration from flags and environment (pure; house style §10): a table of flags,
 * each with its environment variable, kind and default; command-line flags win over the
 * environment, which wins over defaults. Every problem is collected, so a program reports
 * them all at once. A `duration` flag takes Go's grammar (duration.ts) and must be positive.
 */
import { parseArgs } from "node:util";
import { parseBindAddress, type ListenAddress } from "./bind-address.js";
import { parseGoDuration } from "./duration.js";

export type FlagKind =
  "string" | "port" | "boolean" | "duration" | "count" | "bind-address" | "choice";

export interface FlagSpec {
  readonly env: string;
  readonly kind: FlagKind;
  readonly default?: string;
  readonly required?: boolean;
  /** The accepted values of a `choice` flag. */
  readonly choices?: readonly string[];
  /** A short remark for the usage text (e.g. what an absent flag means). */
  readonly note?: string;
}

/** A flag's converted value: `bind-address` flags give a `ListenAddress` or "off" (bind-address.ts). */
export type FlagValue = string | number | boolean | ListenAddress;

type Converted = { readonly value: FlagValue } | { readonly problem: string };

/**
 * Milliseconds of a flag's duration, in Go's grammar (`500ms`, `30s`, `1m30s`, `1h2m3.5s`; see
 * duration.ts), or undefined when the text is not one or is negative (pure).
 */
export function parseDuration(text: string): number | undefined {
  const ms = parseGoDuration(text);
  return ms !== undefined && ms >= 0 ? ms : undefined;
}

const simple: Record<
  Exclude<FlagKind, "bind-address" | "choice">,
  (raw: string) => FlagValue | undefined
> = {
  string: (raw) => raw,
  port: (raw) => (/^\d{1,5}$/.test(raw) && Number(raw) <= 65535 ? Number(raw) : undefined),
  boolean: (raw) => ({ true: true, "1": true, false: false, "0": false })[raw.toLowerCase()],
  duration: (raw) => {
    const ms = parseDuration(raw);
    return ms !== undefined && ms > 0 ? ms : undefined;
  },
  count: (raw) => (/^\d+$/.test(raw) && Number(raw) >= 1 ? Number(raw) : undefined),
};

/** Converts one raw value (pure); the problem names the value and what was expected. */
function convert(spec: FlagSpec, raw: string): Converted {
  if (spec.kind === "bind-address") {
    const parsed = parseBindAddress(raw);
    return parsed.ok
      ? { value: parsed.value }
      : { problem: `invalid bind address "${raw}": ${parsed.problem}` };
  }
  if (spec.kind === "choice") {
    const choices = spec.choices ?? [];
    return choices.includes(raw)
      ? { value: raw }
      : { problem: `invalid value "${raw}": expected one of ${choices.join(", ")}` };
  }
  const value = simple[spec.kind](raw);
  return value === undefined ? { problem: `invalid ${spec.kind} "${raw}"` } : { value };
}

function parseFlags(
  specs: Readonly<Record<string, FlagSpec>>,
  argv: readonly string[],
  problems: string[],
): Record<string, unknown> {
  const options = Object.fromEntries(
    Object.entries(specs).map(([name, spec]) => [
      name,
      { type: spec.kind === "boolean" ? ("boolean" as const) : ("string" as const) },
    ]),
  );
  try {
    return parseArgs({ args: [...argv], options, strict: true }).values;
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
    return {};
  }
}

export interface FlagValues<F extends string> {
  /** The value of a flag (undefined when absent and without default, or invalid). */
  read(name: F): FlagValue | undefined;
  /** Whether the flag was given on the command line or in its environment variable. */
  given(name: F): boolean;
  /** Problems so far (unknown flags, missing required ones, invalid values). */
  readonly problems: string[];
}

/** Parses `argv` (without node and script) against `specs`, falling back to `env`. */
export function readFlags<F extends string>(
  specs: Readonly<Record<F, FlagSpec>>,
  env: NodeJS.ProcessEnv,
  argv: readonly string[],
): FlagValues<F> {
  const problems: string[] = [];
  const given = parseFlags(specs, argv, problems);
  return {
    problems,
    read(name) {
      const spec: FlagSpec = specs[name];
      const flag = given[name];
      if (typeof flag === "boolean") return flag;
      const raw = typeof flag === "string" ? flag : (env[spec.env] ?? spec.default);
      if (raw === undefined || raw === "") {
        if (spec.required === true) problems.push(`--${name} (or ${spec.env}) is required`);
        return undefined;
      }
      const converted = convert(spec, raw);
      if ("value" in converted) return converted.value;
      problems.push(`--${name} (or ${spec.env}): ${converted.problem}`);
      return undefined;
    },
    given(name) {
      return given[name] !== undefined || (env[specs[name].env] ?? "") !== "";
    },
  };
}

/** True when `argv` asks for help (`--help` or `-h`) (pure). */
export const helpRequested = (argv: readonly string[]): boolean =>
  argv.includes("--help") || argv.includes("-h");

const valueNames: Record<FlagKind, string> = {
  string: " <value>",
  port: " <port>",
  boolean: "",
  duration: " <duration>",
  count: " <n>",
  "bind-address": " <[host]:port|0>",
  choice: " <value>",
};

const valueName = (spec: FlagSpec): string =>
  spec.kind === "choice" ? ` <${(spec.choices ?? []).join("|")}>` : valueNames[spec.kind];

/**
 * A program's usage text from its flag table (pure): one line per flag with its value kind,
 * environment variable and default or "required". Durations take Go's grammar.
 */
export function flagsUsage(usage: string, specs: Readonly<Record<string, FlagSpec>>): string {
  const rows = Object.entries(specs).map(([name, spec]) => {
    const flag = `--${name}${valueName(spec)}`;
    const base =
      spec.required === true
        ? "required"
        : spec.default === undefined
          ? ""
          : `default ${spec.default}`;
    const note = [base, spec.note ?? ""].filter((part) => part !== "").join("; ");
    return [flag, `$${spec.env}`, note] as const;
  });
  const width = Math.max(...rows.map((r) => r[0].length));
  const envWidth = Math.max(...rows.map((r) => r[1].length));
  const lines = rows.map(([flag, env, note]) =>
    `  ${flag.padEnd(width)}  ${env.padEnd(envWidth)}  ${note}`.trimEnd(),
  );
  return [
    usage,
    "",
    "Flags (a flag wins over its environment variable; durations as 500ms, 30s, 1m30s;",
    'bind addresses as ":8080" (every interface), "127.0.0.1:8080", port 0 for a free one, or 0 for off):',
    ...lines,
    `  ${"--help".padEnd(width)}  ${"".padEnd(envWidth)}  this text`.trimEnd(),
    "",
  ].join("\n");
}
