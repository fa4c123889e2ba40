import { describe, expect, it } from "vitest";
import { clusterNodes } from "./nodes.js";
import { countNodes, type NodeList } from "./probe.js";

const readyCondition = (status: string) => ({ conditions: [{ type: "Ready", status }] });

describe("countNodes", () => {
  it("counts Ready nodes and the nodes kwok simulates, by its annotation", () => {
    const kwok = clusterNodes({ name: "m", nodes: 2, pools: [] }, "1.36.3");
    const list: NodeList = {
      items: [
        { ...kwok[0], status: readyCondition("True") },
        { ...kwok[1], status: readyCondition("False") },
        { metadata: { annotations: {} }, status: readyCondition("True") },
        { status: readyCondition("True") },
      ],
    };
    expect(countNodes(list)).toEqual({ ready: 3, total: 4, kwok: 2 });
  });

  it("counts nothing in an empty list", () => {
    expect(countNodes({ items: [] })).toEqual({ ready: 0, total: 0, kwok: 0 });
  });
});
