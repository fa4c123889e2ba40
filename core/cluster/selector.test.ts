import { describe, expect, it } from "vitest";
import { matchesLabelSelector, selectorFromValue, selectorPlaceholder } from "./selector.js";

describe("label selectors", () => {
  it("matches matchLabels and every matchExpressions operator", () => {
    const labels = { region: "eu", tier: "prod" };
    expect(matchesLabelSelector({ matchLabels: { region: "eu" } }, labels)).toBe(true);
    expect(matchesLabelSelector({ matchLabels: { region: "us" } }, labels)).toBe(false);
    const expr = (operator: string, values?: string[], key = "tier") =>
      matchesLabelSelector(
        { matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] },
        labels,
      );
    expect(expr("In", ["prod", "dev"])).toBe(true);
    expect(expr("In", ["dev"])).toBe(false);
    expect(expr("NotIn", ["dev"])).toBe(true);
    expect(expr("NotIn", ["prod"])).toBe(false);
    expect(expr("NotIn", ["x"], "missing")).toBe(true);
    expect(expr("Exists")).toBe(true);
    expect(expr("Exists", undefined, "missing")).toBe(false);
    expect(expr("DoesNotExist", undefined, "missing")).toBe(true);
    expect(expr("DoesNotExist")).toBe(false);
    expect(matchesLabelSelector({}, labels)).toBe(true);
  });

  it("reads KubeVela's map shorthand and the full form; malformed selectors are 'invalid'", () => {
    expect(selectorFromValue({ region: "eu" })).toEqual({ matchLabels: { region: "eu" } });
    expect(selectorFromValue({ matchExpressions: [{ key: "a", operator: "Exists" }] })).toEqual({
      matchExpressions: [{ key: "a", operator: "Exists" }],
    });
    expect(selectorFromValue(undefined)).toBeUndefined();
    expect(selectorFromValue("region=eu")).toBe("invalid");
    expect(selectorFromValue({ matchExpressions: [{ key: "a", operator: "Near" }] })).toBe(
      "invalid",
    );
    expect(selectorFromValue({ matchExpressions: [{ key: "a", operator: "In" }] })).toBe("invalid");
    expect(
      selectorFromValue({ matchExpressions: [{ key: "a", operator: "Exists", values: ["x"] }] }),
    ).toBe("invalid");
    expect(selectorFromValue({ matchLabels: { a: "b" }, other: 1 })).toBe("invalid");
  });
});

describe("selectors as placeholder text", () => {
  it("writes labels and a mark for expressions; * for a selector matching all", () => {
    expect(selectorPlaceholder({ tier: "edge" })).toBe("selector(tier=edge)");
    expect(selectorPlaceholder({ matchLabels: { a: "1" }, matchExpressions: [] })).toBe(
      "selector(a=1+expressions)",
    );
    expect(selectorPlaceholder({})).toBe("selector(*)");
  });
});
