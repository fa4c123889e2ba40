import { describe, expect, it } from "vitest";
import { objectKey, splitKey } from "./informer.js";

describe("informer keys", () => {
  it("keys namespaced objects as namespace/name and cluster-scoped ones as name", () => {
    expect(objectKey({ metadata: { name: "web", namespace: "team-a" } })).toBe("team-a/web");
    expect(objectKey({ metadata: { name: "rt-web" } })).toBe("rt-web");
    expect(objectKey({ metadata: { name: "rt-web", namespace: "" } })).toBe("rt-web");
  });

  it("splits keys back into their parts", () => {
    expect(splitKey("team-a/web")).toEqual({ namespace: "team-a", name: "web" });
    expect(splitKey("rt-web")).toEqual({ name: "rt-web" });
    const key = objectKey({ metadata: { name: "x", namespace: "y" } });
    expect(splitKey(key)).toEqual({ namespace: "y", name: "x" });
  });
});
