import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../core/errors.js";
import { getAtPath, parseFieldPath, setAtPath } from "./field-path.js";

describe("parseFieldPath", () => {
  it("splits fields, list indexes and bracketed keys", () => {
    expect(parseFieldPath("spec.replicas")).toEqual(["spec", "replicas"]);
    expect(parseFieldPath("spec.template.spec.containers[0].resources")).toEqual([
      "spec",
      "template",
      "spec",
      "containers",
      0,
      "resources",
    ]);
    expect(parseFieldPath("metadata.annotations[example.com/owner]")).toEqual([
      "metadata",
      "annotations",
      "example.com/owner",
    ]);
    expect(parseFieldPath('metadata.labels["app.oam.dev/name"]')).toEqual([
      "metadata",
      "labels",
      "app.oam.dev/name",
    ]);
  });

  it.each(["", "spec.", "spec..replicas", "spec[0", "spec[]"])("rejects %j", (path) => {
    expect(() => parseFieldPath(path)).toThrow(InvalidInputError);
  });
});

describe("getAtPath and setAtPath", () => {
  const live = { spec: { replicas: 3, containers: [{ name: "web", image: "nginx:2" }] } };

  it("reads nested values, undefined when a step is missing", () => {
    expect(getAtPath(live, ["spec", "replicas"])).toBe(3);
    expect(getAtPath(live, ["spec", "containers", 0, "image"])).toBe("nginx:2");
    expect(getAtPath(live, ["spec", "containers", 1, "image"])).toBeUndefined();
    expect(getAtPath(live, ["status", "ready"])).toBeUndefined();
  });

  it("writes nested values, creating objects on the way", () => {
    const target: Record<string, unknown> = { spec: { containers: [{ name: "web" }] } };
    expect(setAtPath(target, ["spec", "replicas"], 3)).toBe(true);
    expect(setAtPath(target, ["spec", "containers", 0, "image"], "nginx:2")).toBe(true);
    expect(setAtPath(target, ["metadata", "labels", "a"], "b")).toBe(true);
    expect(target).toEqual({
      spec: { replicas: 3, containers: [{ name: "web", image: "nginx:2" }] },
      metadata: { labels: { a: "b" } },
    });
  });

  it("refuses list indexes that do not exist", () => {
    const target: Record<string, unknown> = { spec: { containers: [] } };
    expect(setAtPath(target, ["spec", "containers", 0, "image"], "x")).toBe(false);
    expect(target).toEqual({ spec: { containers: [] } });
  });
});
