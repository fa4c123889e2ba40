import { describe, expect, it } from "vitest";
import { jsonLogger, logged, type LogLevel } from "./logger.js";

const clock = { now: () => 0, setTimeout: () => undefined, clearTimeout: () => {} };

function linesAt(threshold?: LogLevel): string[] {
  const lines: string[] = [];
  const log = jsonLogger((line) => lines.push(line), clock, threshold);
  log.debug("d");
  log.info("i", { key: "value" });
  log.warn("w");
  log.error("e");
  return lines.map((line) => (JSON.parse(line) as { level: string }).level);
}

describe("jsonLogger's level filter", () => {
  it("writes info and above by default", () => {
    expect(linesAt()).toEqual(["info", "warn", "error"]);
  });

  it("drops every entry below the threshold", () => {
    expect(linesAt("debug")).toEqual(["debug", "info", "warn", "error"]);
    expect(linesAt("warn")).toEqual(["warn", "error"]);
    expect(linesAt("error")).toEqual(["error"]);
  });

  it("writes one JSON line with time, level, message and fields", () => {
    const lines: string[] = [];
    jsonLogger((line) => lines.push(line), clock).info("hello", { cluster: "a" });
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      { time: "1970-01-01T00:00:00.000Z", level: "info", message: "hello", cluster: "a" },
    ]);
  });

  it("logged: an entry passes at or above the threshold (pure)", () => {
    expect(logged("warn", "info")).toBe(true);
    expect(logged("info", "info")).toBe(true);
    expect(logged("info", "warn")).toBe(false);
  });
});
