import { describe, expect, it } from "vitest";
import { InvalidInputError, UpstreamUnavailableError } from "../../core/errors.js";
import { clusterOutcome, describeRef, refOf } from "./types.js";

describe("clusterOutcome", () => {
  it("is ok without failures, else carries the first error and every failure", () => {
    expect(clusterOutcome("member-1", [])).toEqual({ cluster: "member-1", ok: true });
    const rejected = { ref: "a", error: new InvalidInputError("rejected") };
    const down = { ref: "b", error: new UpstreamUnavailableError("down") };
    expect(clusterOutcome("member-1", [rejected, down])).toEqual({
      cluster: "member-1",
      ok: false,
      error: rejected.error,
      failed: [rejected, down],
    });
  });
});

describe("refOf", () => {
  it("reads the reference of a manifest; an empty namespace is none", () => {
    const ref = refOf({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "a", namespace: "" },
    });
    expect(ref).toEqual({ apiVersion: "v1", kind: "ConfigMap", name: "a" });
    expect(describeRef({ ...ref, namespace: "demo" })).toBe("ConfigMap demo/a");
  });
});
