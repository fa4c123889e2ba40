import { describe, expect, it } from "vitest";
import { isSimulatedNode, KWOK_NODE_ANNOTATION, nodesCell } from "./node-kind.js";

const node = (annotations?: unknown, labels: Record<string, string> = {}) => ({
  metadata: { name: "n", labels, ...(annotations === undefined ? {} : { annotations }) },
});

describe("isSimulatedNode", () => {
  it("is true only for the kwok annotation with the value fake", () => {
    expect(isSimulatedNode(node({ [KWOK_NODE_ANNOTATION]: "fake" }))).toBe(true);
    expect(isSimulatedNode(node({ [KWOK_NODE_ANNOTATION]: "real" }))).toBe(false);
    expect(isSimulatedNode(node({ other: "fake" }))).toBe(false);
    expect(isSimulatedNode(node())).toBe(false);
  });

  it("goes by the annotation, not by the type label", () => {
    expect(isSimulatedNode(node(undefined, { type: "kwok" }))).toBe(false);
    expect(isSimulatedNode(node({ [KWOK_NODE_ANNOTATION]: "fake" }, { type: "real" }))).toBe(true);
  });

  it("reads odd objects as real", () => {
    for (const odd of [undefined, null, "n", [], { metadata: [] }, node("fake"), node(null)])
      expect(isSimulatedNode(odd)).toBe(false);
  });
});

describe("nodesCell", () => {
  it("shows ready/total alone when no node is simulated or the count is unknown", () => {
    expect(nodesCell({ ready: 2, total: 3 })).toBe("2/3");
    expect(nodesCell({ ready: 2, total: 3, kwok: 0 })).toBe("2/3");
  });

  it("adds real and kwok counts when some node is simulated", () => {
    expect(nodesCell({ ready: 3, total: 4, kwok: 2 })).toBe("3/4 (2 real, 2 kwok)");
    expect(nodesCell({ ready: 4, total: 4, kwok: 4 })).toBe("4/4 (0 real, 4 kwok)");
  });
});
