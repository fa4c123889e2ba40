import { describe, expect, it } from "vitest";
import { flagsUsage, helpRequested, parseDuration, readFlags, type FlagSpec } from "./flags.js";

const specs = {
  interval: { env: "INTERVAL", kind: "duration", default: "5m" },
} as const satisfies Record<string, FlagSpec>;

describe("duration flags", () => {
  it("take Go's grammar, compound durations included", () => {
    const flags = readFlags(specs, {}, ["--interval", "1m30s"]);
    expect(flags.read("interval")).toBe(90_000);
    expect(readFlags(specs, { INTERVAL: "1h2m3.5s" }, []).read("interval")).toBe(3_723_500);
    expect(readFlags(specs, {}, []).read("interval")).toBe(300_000);
    expect(flags.problems).toEqual([]);
  });

  it("refuse a value that is not positive, naming the flag, its variable and the value", () => {
    for (const bad of ["0", "0s", "-1s", "30", "soon"]) {
      const flags = readFlags(specs, {}, [`--interval=${bad}`]);
      expect(flags.read("interval")).toBeUndefined();
      expect(flags.problems).toEqual([`--interval (or INTERVAL): invalid duration "${bad}"`]);
    }
  });

  it("parseDuration: a non-negative duration, else undefined", () => {
    expect(parseDuration("0")).toBe(0);
    expect(parseDuration("1m30s")).toBe(90_000);
    expect(parseDuration("-1s")).toBeUndefined();
  });
});

describe("help", () => {
  const specs = {
    cluster: { env: "X_CLUSTER", kind: "string", required: true },
    every: { env: "X_EVERY", kind: "duration", default: "10s" },
    verbose: { env: "X_VERBOSE", kind: "boolean" },
  } as const;

  it("is asked for with --help or -h anywhere", () => {
    expect(helpRequested(["--cluster", "a", "--help"])).toBe(true);
    expect(helpRequested(["-h"])).toBe(true);
    expect(helpRequested(["--cluster", "help"])).toBe(false);
  });

  it("lists every flag with its value kind, environment variable and default or requirement", () => {
    const text = flagsUsage("Usage: x", specs);
    expect(text.split("\n")[0]).toBe("Usage: x");
    expect(text).toMatch(/--cluster <value>\s+\$X_CLUSTER\s+required\n/);
    expect(text).toMatch(/--every <duration>\s+\$X_EVERY\s+default 10s\n/);
    expect(text).toMatch(/--verbose\s+\$X_VERBOSE\n/);
    expect(text).toContain("--help");
  });

  it("shows a choice flag's values and a flag's note", () => {
    const text = flagsUsage("Usage: x", {
      "log-level": { env: "X_LOG", kind: "choice", choices: ["a", "b"], default: "a" },
      listen: { env: "X_LISTEN", kind: "bind-address", note: "off when absent" },
    });
    expect(text).toMatch(/--log-level <a\|b>\s+\$X_LOG\s+default a\n/);
    expect(text).toMatch(/--listen <\[host\]:port\|0>\s+\$X_LISTEN\s+off when absent\n/);
  });
});
