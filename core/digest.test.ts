import { describe, expect, it } from "vitest";
import { canonicalJson, contentDigest } from "./digest.js";

describe("canonicalJson", () => {
  it("sorts object keys at every depth and keeps list order", () => {
    const a = { b: [{ y: 1, x: 2 }, 3], a: { d: null, c: "s" } };
    expect(canonicalJson(a)).toBe('{"a":{"c":"s","d":null},"b":[{"x":2,"y":1},3]}');
    expect(canonicalJson({ a: { c: "s", d: null }, b: [{ x: 2, y: 1 }, 3] })).toBe(
      canonicalJson(a),
    );
  });

  it("writes undefined as null, members included (as revision hashes always did)", () => {
    expect(canonicalJson({ a: undefined, b: [undefined] })).toBe('{"a":null,"b":[null]}');
    expect(canonicalJson(undefined)).toBe("null");
    expect(canonicalJson('q"\n')).toBe(JSON.stringify('q"\n'));
  });
});

describe("contentDigest", () => {
  it("is 16 hex digits, equal for equal values whatever their key order", () => {
    expect(contentDigest({ a: 1, b: 2 })).toMatch(/^[0-9a-f]{16}$/);
    expect(contentDigest({ b: 2, a: 1 })).toBe(contentDigest({ a: 1, b: 2 }));
    expect(contentDigest({ a: 1, b: 3 })).not.toBe(contentDigest({ a: 1, b: 2 }));
    expect(contentDigest([1, 2])).not.toBe(contentDigest([2, 1]));
  });
});
