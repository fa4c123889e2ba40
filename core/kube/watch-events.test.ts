import { describe, expect, it } from "vitest";
import { UpstreamUnavailableError } from "../errors.js";
import type { JsonObject } from "../json.js";
import { createLineSplitter, objectKey, parseWatchEvent, watchStep } from "./watch-events.js";

const obj = (name: string, resourceVersion: string, namespace = "vela-system"): JsonObject => ({
  metadata: { name, namespace, resourceVersion },
});

describe("createLineSplitter", () => {
  it("returns complete lines and keeps a line cut between chunks", () => {
    const lines = createLineSplitter();
    expect(lines.push('{"a":1}\n{"b"')).toEqual(['{"a":1}']);
    expect(lines.push(":2")).toEqual([]);
    expect(lines.push('}\n\n{"c":3}\r\n{"d"')).toEqual(['{"b":2}', '{"c":3}']);
    expect(lines.flush()).toEqual(['{"d"']);
    expect(lines.flush()).toEqual([]);
  });

  it("handles many lines in one chunk and a chunk that is only a newline", () => {
    const lines = createLineSplitter();
    expect(lines.push("x")).toEqual([]);
    expect(lines.push("\n")).toEqual(["x"]);
    expect(lines.push("1\n2\n3\n")).toEqual(["1", "2", "3"]);
  });
});

describe("parseWatchEvent", () => {
  it("parses an event", () => {
    const line = JSON.stringify({ type: "ADDED", object: obj("m1", "5") });
    expect(parseWatchEvent(line)).toEqual({ type: "ADDED", object: obj("m1", "5") });
  });

  it("refuses lines that are not events", () => {
    expect(() => parseWatchEvent("{oops")).toThrow(UpstreamUnavailableError);
    expect(() => parseWatchEvent('{"type":"ADDED"}')).toThrow(/not an event/);
    expect(() => parseWatchEvent('{"type":"NEW","object":{}}')).toThrow(/not an event/);
  });
});

describe("watchStep", () => {
  it("turns ADDED, MODIFIED and DELETED into cache changes at their resourceVersion", () => {
    expect(watchStep({ type: "ADDED", object: obj("a", "7") })).toEqual({
      kind: "upsert",
      object: obj("a", "7"),
      resourceVersion: "7",
    });
    expect(watchStep({ type: "MODIFIED", object: obj("a", "8") })).toMatchObject({
      kind: "upsert",
      resourceVersion: "8",
    });
    expect(watchStep({ type: "DELETED", object: obj("a", "9") })).toMatchObject({
      kind: "remove",
      resourceVersion: "9",
    });
  });

  it("moves the resourceVersion on a bookmark", () => {
    const bookmark = { type: "BOOKMARK", object: { metadata: { resourceVersion: "42" } } } as const;
    expect(watchStep(bookmark)).toEqual({ kind: "bookmark", resourceVersion: "42" });
  });

  it("re-lists on 410 Gone and fails on other errors", () => {
    const expired = {
      kind: "Status",
      status: "Failure",
      message: "too old resource version: 1 (200)",
      reason: "Expired",
      code: 410,
    };
    expect(watchStep({ type: "ERROR", object: expired })).toEqual({ kind: "relist" });
    const step = watchStep({
      type: "ERROR",
      object: { kind: "Status", message: "internal error", code: 500 },
    });
    expect(step.kind).toBe("fail");
    expect(step.kind === "fail" && step.error).toBeInstanceOf(UpstreamUnavailableError);
    expect(step.kind === "fail" && step.error.message).toBe(
      "watch failed: HTTP 500: internal error",
    );
  });
});

describe("objectKey", () => {
  it("keys namespaced objects by namespace/name and others by name", () => {
    expect(objectKey(obj("a", "1", "ns"))).toBe("ns/a");
    expect(objectKey({ metadata: { name: "cluster-wide" } })).toBe("cluster-wide");
    expect(objectKey({})).toBe("");
  });
});
