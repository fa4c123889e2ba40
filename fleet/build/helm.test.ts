import { describe, expect, it } from "vitest";
import { helmCacheKey, helmPath } from "./helm.js";

describe("Helm's cache key", () => {
  it("names the version and changes with the version and the platform", () => {
    const key = helmCacheKey("4.3.2", "linux/x64");
    expect(key).toMatch(/^helm-4\.3\.2-[0-9a-f]{12}$/);
    expect(helmCacheKey("4.3.2", "linux/x64")).toBe(key);
    expect(helmCacheKey("4.3.1", "linux/x64")).not.toBe(key);
    expect(helmCacheKey("4.3.2", "linux/arm64")).not.toBe(key);
  });

  it("puts the binary under the cache root", () => {
    expect(helmPath({ cacheRoot: "/c", version: "4.3.2" })).toMatch(
      /^\/c\/helm-4\.3\.2-\w+\/helm$/,
    );
  });
});
