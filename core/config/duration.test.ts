import { describe, expect, it } from "vitest";
import { parseGoDuration } from "./duration.js";

describe("parseGoDuration (Go's time.ParseDuration grammar)", () => {
  it.each<[string, number]>([
    ["30s", 30_000],
    ["5m", 300_000],
    ["2h", 7_200_000],
    ["500ms", 500],
    ["1m30s", 90_000],
    ["2m15s", 135_000],
    ["1h30m", 5_400_000],
    ["1h2m3.5s", 3_723_500],
    ["1.5h", 5_400_000],
    ["1.5m", 90_000],
    [".5s", 500],
    ["5.s", 5_000],
    ["1500us", 2],
    ["1500µs", 2],
    ["1500μs", 2],
    ["2000000ns", 2],
    ["1ns", 0],
    ["0", 0],
    ["+0", 0],
    ["-0", 0],
    ["0s", 0],
    ["+5s", 5_000],
    ["-1s", -1_000],
    ["-1m30s", -90_000],
    ["1s500ms", 1_500],
    ["  30s\n", 30_000],
    ["2562047h", 9_223_369_200_000],
  ])("%j → %d ms", (text, ms) => {
    expect(parseGoDuration(text)).toBe(ms);
  });

  it.each([
    "",
    " ",
    "30",
    "1.5",
    "-1",
    "00",
    "s",
    ".s",
    "1d",
    "1 s",
    "1m 30s",
    "1s-2s",
    "--1s",
    "5sec",
    "soon",
    "1e3s",
    "0x10s",
    "9999999h",
  ])("refuses %j", (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });
});
