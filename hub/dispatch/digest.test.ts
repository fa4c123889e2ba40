import { describe, expect, it } from "vitest";
import { objectDigest } from "./digest.js";

describe("objectDigest", () => {
  it("does not depend on key order, so a render emitting keys in another order re-applies nothing", () => {
    const one = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a", namespace: "b" } };
    const other = { metadata: { namespace: "b", name: "a" }, kind: "ConfigMap", apiVersion: "v1" };
    expect(objectDigest(other)).toBe(objectDigest(one));
    expect(objectDigest({ ...one, data: { k: "v" } })).not.toBe(objectDigest(one));
  });
});
