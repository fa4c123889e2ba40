import { describe, expect, it } from "vitest";
import { CliError } from "../output.js";
import {
  ageOf,
  formatElapsed,
  humanDuration,
  localTime,
  localTimeWithZone,
  parseDuration,
} from "./time.js";

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe("durations", () => {
  it("reads Go-style durations", () => {
    expect(parseDuration("60s")).toBe(60_000);
    expect(parseDuration("1m30s")).toBe(90_000);
    expect(parseDuration("500ms")).toBe(500);
    expect(parseDuration("1.5h")).toBe(5_400_000);
    expect(parseDuration("0")).toBe(0);
    expect(parseDuration("1h2m3.5s")).toBe(3_723_500);
    expect(parseDuration("1500us", "--wait")).toBe(2);
  });

  it("rejects anything else, naming the flag", () => {
    for (const bad of ["60", "", "1d", "s", "1m 30s", "-5s", "5sec"]) {
      expect(() => parseDuration(bad)).toThrow(CliError);
    }
    expect(() => parseDuration("60")).toThrow(
      'invalid --timeout "60": use a number with a unit (ms, s, m, h), e.g. 60s, 2m or 1m30s',
    );
    expect(() => parseDuration("-1m", "--wait")).toThrow('invalid --wait "-1m"');
  });

  it("prints ages as kubectl does", () => {
    const cases: Array<[number, string]> = [
      [-5 * s, "<invalid>"],
      [-500, "0s"],
      [0, "0s"],
      [119 * s, "119s"],
      [2 * m, "2m"],
      [5 * m + 7 * s, "5m7s"],
      [153 * m, "153m"],
      [3 * h, "3h"],
      [3 * h + 20 * m, "3h20m"],
      [30 * h, "30h"],
      [3 * d + 4 * h, "3d4h"],
      [5 * d, "5d"],
      [400 * d, "400d"],
      [3 * 365 * d + 10 * d, "3y10d"],
      [9 * 365 * d, "9y"],
    ];
    for (const [ms, text] of cases) expect([ms, humanDuration(ms)]).toEqual([ms, text]);
    expect(ageOf("2026-01-01T00:00:00Z", Date.parse("2026-01-01T02:33:00Z"))).toBe("153m");
    expect(ageOf(undefined, 0)).toBeUndefined();
    expect(ageOf("yesterday", 0)).toBeUndefined();
  });

  it("says how long something took", () => {
    expect(formatElapsed(1234)).toBe("1.2s");
    expect(formatElapsed(123_000)).toBe("2m3s");
  });
});

describe("local times", () => {
  it("formats a timestamp in the local zone", () => {
    const t = new Date(2022, 10, 2, 9, 5, 4);
    expect(localTime(t.toISOString())).toBe("2022-11-02 09:05:04");
    expect(localTimeWithZone(t.toISOString())).toMatch(/^2022-11-02 09:05:04 [+-]\d{4}$/);
    expect(localTime(undefined)).toBe("");
    expect(localTime("not a time")).toBe("");
    expect(localTimeWithZone(42)).toBe("");
  });
});
