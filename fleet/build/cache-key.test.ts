import { describe, expect, it } from "vitest";
import { cacheKey } from "./cache-key.js";

const base = {
  versions: { kubernetes: "1.36.3", etcd: "3.6.16", kwok: "0.8.0", containerd: "2.2.9" },
  recipe: 1,
  platform: "linux/x64",
};

describe("cacheKey", () => {
  it("is stable and readable", () => {
    expect(cacheKey(base)).toBe(cacheKey({ ...base }));
    expect(cacheKey(base)).toMatch(/^k8s-1\.36\.3-[0-9a-f]{12}$/);
  });

  it("changes with any version, the recipe or the platform", () => {
    const keys = [
      cacheKey(base),
      cacheKey({ ...base, versions: { ...base.versions, etcd: "3.6.17" } }),
      cacheKey({ ...base, versions: { ...base.versions, kwok: "0.8.1" } }),
      cacheKey({ ...base, versions: { ...base.versions, containerd: "2.2.10" } }),
      cacheKey({ ...base, recipe: 2 }),
      cacheKey({ ...base, platform: "linux/arm64" }),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });
});
