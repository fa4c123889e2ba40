import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../errors.js";
import {
  assertClusterName,
  formatLabels,
  isDnsLabel,
  labelKeyProblem,
  labelValueProblem,
  parseLabelKeys,
  parseLabels,
} from "./labels.js";

const errorOf = (fn: () => unknown): Error => {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a throw");
};

describe("cluster labels", () => {
  it("parses k=v lists, trimming spaces and allowing empty values and prefixed keys", () => {
    expect(parseLabels(" region=cn-beijing, example.com/tier=edge ,empty=")).toEqual({
      region: "cn-beijing",
      "example.com/tier": "edge",
      empty: "",
    });
  });

  it("names every bad entry in one InvalidInputError", () => {
    const error = errorOf(() => parseLabels("ok=1,novalue,bad key=x,k=-x-,k2=" + "v".repeat(64)));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toContain('"novalue" is not key=value');
    expect(error.message).toContain('"bad key=x": key name part must consist of');
    expect(error.message).toContain('"k=-x-": value must consist of');
    expect(error.message).toContain("value must be at most 63 characters");
    expect(error.message).not.toContain('"ok=1"');
  });

  it("refuses duplicates, empty input and the reserved cluster.core.oam.dev prefix", () => {
    expect(errorOf(() => parseLabels("a=1,a=2")).message).toContain(
      'key "a" is given more than once',
    );
    expect(errorOf(() => parseLabels(" , ")).message).toContain("no key=value given");
    expect(
      errorOf(() => parseLabels("cluster.core.oam.dev/cluster-credential-type=X")).message,
    ).toContain("reserved");
  });

  it("validates keys and values with Kubernetes' rules", () => {
    expect(labelKeyProblem("app.kubernetes.io/name")).toBeUndefined();
    expect(labelKeyProblem("Upper_Case.ok-1")).toBeUndefined();
    expect(labelKeyProblem("Bad.Prefix/name")).toMatch(/prefix "Bad.Prefix"/);
    expect(labelKeyProblem("a/")).toMatch(/1 to 63/);
    expect(labelKeyProblem("x".repeat(64))).toMatch(/1 to 63/);
    expect(labelValueProblem("")).toBeUndefined();
    expect(labelValueProblem("a b")).toMatch(/must consist/);
  });

  it("parses key lists for deletion, de-duplicated, and rejects bad keys", () => {
    expect(parseLabelKeys("a, b,a")).toEqual(["a", "b"]);
    expect(errorOf(() => parseLabelKeys("a,b c")).message).toContain('"b c"');
    expect(errorOf(() => parseLabelKeys("")).message).toContain("no key given");
  });

  it("formats labels sorted by key", () => {
    expect(formatLabels({ z: "1", a: "2" })).toBe("a=2,z=1");
    expect(formatLabels({})).toBe("");
  });

  it("accepts DNS subdomain cluster names and refuses local", () => {
    expect(() => assertClusterName("member-1.eu")).not.toThrow();
    expect(errorOf(() => assertClusterName("local")).message).toContain("reserved for the hub");
    expect(errorOf(() => assertClusterName("Member_1")).message).toContain(
      'invalid cluster name "Member_1"',
    );
    expect(errorOf(() => assertClusterName("")).message).toContain("must not be empty");
  });
});

describe("isDnsLabel", () => {
  it("accepts at most 63 lower-case letters, digits and '-', not at either end", () => {
    for (const ok of ["a", "9", "vela-system", "a".repeat(63), "0gw"])
      expect(isDnsLabel(ok)).toBe(true);
    for (const bad of ["", "-a", "a-", "Infra", "gw.x", "a_b", "a".repeat(64)])
      expect(isDnsLabel(bad)).toBe(false);
  });
});
