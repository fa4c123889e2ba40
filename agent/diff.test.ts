import { describe, expect, it } from "vitest";
import { jsonEqual, reportChanged } from "./diff.js";

describe("reportChanged", () => {
  const report = {
    kubernetesVersion: "v1.36.3",
    apiReady: true,
    observedTime: "2026-01-01T00:00:00Z",
    nodes: { total: 2, ready: 2, notReady: 0 },
    nodePools: [{ name: "a", labels: { x: "1" } }],
  };

  it("ignores observedTime and key order", () => {
    const reordered = {
      nodePools: [{ labels: { x: "1" }, name: "a" }],
      nodes: { notReady: 0, ready: 2, total: 2 },
      apiReady: true,
      kubernetesVersion: "v1.36.3",
      observedTime: "2026-02-02T00:00:00Z",
    };
    expect(reportChanged(report, reordered)).toBe(false);
  });

  it("sees any other difference", () => {
    expect(reportChanged(report, { ...report, apiReady: false })).toBe(true);
    expect(reportChanged(report, { ...report, nodes: { total: 2, ready: 1, notReady: 1 } })).toBe(
      true,
    );
    expect(reportChanged(report, { ...report, nodePools: [] })).toBe(true);
    expect(reportChanged(undefined, report)).toBe(true);
    expect(reportChanged({}, {})).toBe(false);
  });

  it("compares arrays in order and tells arrays from objects", () => {
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual({ 0: 1 }, [1])).toBe(false);
    expect(jsonEqual({ a: undefined }, {})).toBe(true);
  });
});
