import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../core/errors.js";
import { formatCpu, formatMemory, parseCpu, parseMemory } from "./quantity.js";

describe("quantities", () => {
  it("parse CPU into millicores, rounding up", () => {
    expect(parseCpu("250m")).toBe(250);
    expect(parseCpu("2")).toBe(2000);
    expect(parseCpu("0.1")).toBe(100);
    expect(parseCpu(".5")).toBe(500);
    expect(parseCpu("1k")).toBe(1_000_000);
    expect(parseCpu("100u")).toBe(1);
    expect(parseCpu("1500n")).toBe(1);
    expect(parseCpu("1e3")).toBe(1_000_000);
    expect(parseCpu("0")).toBe(0);
  });

  it("parse memory into bytes, binary, decimal and fractional", () => {
    expect(parseMemory("64Gi")).toBe(64 * 2 ** 30);
    expect(parseMemory("1.5Gi")).toBe(1.5 * 2 ** 30);
    expect(parseMemory("100M")).toBe(100_000_000);
    expect(parseMemory("128974848")).toBe(128974848);
    expect(parseMemory("129e6")).toBe(129_000_000);
    expect(parseMemory("1E")).toBe(10 ** 18);
    expect(parseMemory("1Ti")).toBe(2 ** 40);
    expect(parseMemory("500m")).toBe(1);
  });

  it("reject what is not a quantity, naming it", () => {
    for (const bad of ["", "abc", "1Gb", "-1", "1..0", "Gi"]) {
      expect(() => parseMemory(bad), bad).toThrow(InvalidInputError);
    }
    expect(() => parseCpu("two")).toThrow(/CPU quantity "two"/);
  });

  it("format CPU as whole cores or millicores", () => {
    expect(formatCpu(16_000)).toBe("16");
    expect(formatCpu(12_500)).toBe("12500m");
    expect(formatCpu(0)).toBe("0");
  });

  it("format memory with the largest exact suffix", () => {
    expect(formatMemory(64 * 2 ** 30)).toBe("64Gi");
    expect(formatMemory(1.5 * 2 ** 30)).toBe("1536Mi");
    expect(formatMemory(100_000_000)).toBe("100M");
    expect(formatMemory(1001)).toBe("1001");
    expect(formatMemory(0)).toBe("0");
    for (const text of ["64Gi", "100M", "3Ki", "7"])
      expect(formatMemory(parseMemory(text))).toBe(text);
  });
});
