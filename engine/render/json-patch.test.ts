// The JSON Patch cases marked "as KubeVela" were checked against evanphx/json-patch
// v5.7.0+incompatible, the library KubeVela applies jsonPatch traits with.
import { describe, expect, it } from "vitest";
import type { JsonValue } from "../../core/json.js";
import { findNonJson, jsonEqual } from "./json.js";
import { applyJsonPatch, applyMergePatch, JsonPatchError } from "./json-patch.js";

const apply = (doc: JsonValue, ...operations: JsonValue[]): JsonValue =>
  applyJsonPatch(doc, operations);

describe("applyJsonPatch (RFC 6902)", () => {
  it.each<[string, JsonValue, JsonValue[], JsonValue]>([
    [
      "add inserts at an index",
      { l: [1, 3] },
      [{ op: "add", path: "/l/1", value: 2 }],
      { l: [1, 2, 3] },
    ],
    ["add with - appends", { l: [1] }, [{ op: "add", path: "/l/-", value: 2 }], { l: [1, 2] }],
    ["add sets a member", { a: 1 }, [{ op: "add", path: "/a", value: { b: 2 } }], { a: { b: 2 } }],
    ["remove deletes a member", { a: 1, b: 2 }, [{ op: "remove", path: "/a" }], { b: 2 }],
    [
      "remove deletes an element",
      { l: [1, 2, 3] },
      [{ op: "remove", path: "/l/1" }],
      { l: [1, 3] },
    ],
    [
      "replace the whole document",
      { a: 1 },
      [{ op: "replace", path: "", value: { b: 2 } }],
      { b: 2 },
    ],
    [
      "move",
      { a: { x: 1 }, b: {} },
      [{ op: "move", from: "/a/x", path: "/b/y" }],
      { a: {}, b: { y: 1 } },
    ],
    [
      "copy deeply",
      { a: { x: [1] } },
      [{ op: "copy", from: "/a/x", path: "/b" }],
      { a: { x: [1] }, b: [1] },
    ],
    [
      "test of an equal object",
      { a: { x: 1, y: [1] } },
      [{ op: "test", path: "/a", value: { y: [1], x: 1 } }],
      { a: { x: 1, y: [1] } },
    ],
    [
      "~1 and ~0 escapes",
      { a: { "x/y": 1, "m~n": 2 } },
      [
        { op: "remove", path: "/a/x~1y" },
        { op: "replace", path: "/a/m~0n", value: 3 },
      ],
      { a: { "m~n": 3 } },
    ],
    [
      "as KubeVela: replace adds a missing member",
      { a: 1 },
      [{ op: "replace", path: "/b", value: 2 }],
      { a: 1, b: 2 },
    ],
    [
      "as KubeVela: negative indices count from the end",
      { l: [1, 2, 3] },
      [
        { op: "remove", path: "/l/-1" },
        { op: "add", path: "/l/-1", value: 9 },
      ],
      { l: [1, 2, 9] },
    ],
    [
      "as KubeVela: test reads a missing path as null",
      { a: 1 },
      [{ op: "test", path: "/b", value: null }],
      { a: 1 },
    ],
    [
      "as KubeVela: a missing value is null",
      { a: 1 },
      [{ op: "add", path: "/b" }],
      { a: 1, b: null },
    ],
  ])("%s", (_, doc, operations, expected) => {
    expect(apply(doc, ...operations)).toEqual(expected);
  });

  it.each<[string, JsonValue, JsonValue, RegExp]>([
    ["a failed test", { a: 1 }, { op: "test", path: "/a", value: 2 }, /test failed/],
    ["removing a missing member", { a: 1 }, { op: "remove", path: "/b" }, /does not exist/],
    [
      "adding below a missing member",
      { a: 1 },
      { op: "add", path: "/x/y", value: 1 },
      /does not exist/,
    ],
    [
      "an index out of range",
      { l: [1] },
      { op: "add", path: "/l/3", value: 1 },
      /not a valid index/,
    ],
    [
      "replacing a missing element",
      { l: [1] },
      { op: "replace", path: "/l/1", value: 1 },
      /not a valid index/,
    ],
    [
      "moving a value into itself",
      { a: { x: {} } },
      { op: "move", from: "/a", path: "/a/x/y" },
      /into itself/,
    ],
    ["as KubeVela: adding at the root", { a: 1 }, { op: "add", path: "", value: 1 }, /root/],
    ["a pointer without /", { a: 1 }, { op: "remove", path: "a" }, /not a JSON pointer/],
    ["an operation without a path", { a: 1 }, { op: "add", value: 1 }, /missing "path"/],
    ["move without from", { a: 1 }, { op: "move", path: "/b" }, /needs "from"/],
  ])("fails on %s", (_, doc, operation, message) => {
    expect(() => apply(doc, operation)).toThrow(JsonPatchError);
    expect(() => apply(doc, operation)).toThrow(message);
  });

  it("names the failing operation and leaves the document untouched", () => {
    const doc = { a: [1] };
    try {
      applyJsonPatch(doc, [
        { op: "add", path: "/a/-", value: 2 },
        { op: "test", path: "/a/0", value: 9 },
      ]);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ operation: 1, code: "InvalidInput" });
    }
    expect(doc).toEqual({ a: [1] });
  });

  it("rejects operations that are not a list", () => {
    expect(() => applyJsonPatch({}, { op: "add" })).toThrow(/must be a list/);
  });
});

describe("applyMergePatch (RFC 7386)", () => {
  it.each<[JsonValue | undefined, JsonValue, JsonValue]>([
    [{ a: "b" }, { a: "c" }, { a: "c" }],
    [{ a: "b" }, { b: "c" }, { a: "b", b: "c" }],
    [{ a: "b" }, { a: null }, {}],
    [{ a: "b", b: "c" }, { a: null }, { b: "c" }],
    [{ a: ["b"] }, { a: "c" }, { a: "c" }],
    [{ a: "c" }, { a: ["b"] }, { a: ["b"] }],
    [{ a: { b: "c" } }, { a: { b: "d", c: null } }, { a: { b: "d" } }],
    [{ a: [{ b: "c" }] }, { a: [1] }, { a: [1] }],
    [
      ["a", "b"],
      ["c", "d"],
      ["c", "d"],
    ],
    [{ a: "b" }, ["c"], ["c"]],
    [{ a: "foo" }, null, null],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: "b", c: null }, { a: "b" }],
    [undefined, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ])("%j merged with %j is %j (the RFC's examples)", (target, patch, expected) => {
    expect(applyMergePatch(target, patch)).toEqual(expected);
  });
});

describe("JSON helpers", () => {
  it("compares deeply, ignoring key order", () => {
    expect(jsonEqual({ a: [1, { b: 2 }], c: null }, { c: null, a: [1, { b: 2 }] })).toBe(true);
    expect(jsonEqual({ a: [1] }, { a: [1, 2] })).toBe(false);
    expect(jsonEqual({ a: 1 }, { b: 1 })).toBe(false);
    expect(jsonEqual(1, "1")).toBe(false);
  });

  it("finds where a value stops being JSON", () => {
    expect(findNonJson({ a: [1, "x", null, true, { b: {} }] })).toBeUndefined();
    expect(findNonJson({ a: [1, Number.NaN] })).toBe("a[1]");
    expect(findNonJson({ a: { b: () => 1 } })).toBe("a.b");
    expect(findNonJson(new Map())).toBe("");
  });
});
