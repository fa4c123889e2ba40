/**
 * The agent's process must stay small (its budget is 100 MiB RSS with 1,000 nodes): the
 * import graph of `agent/main.ts`, as the compiled JavaScript loads it, reaches neither
 * `@kubernetes/client-node` (about 74 MiB on its own) nor `cue-wasm`, nor anything under
 * `engine/`. The walker itself is tested to be able to fail (core/testing/import-graph.test.ts).
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { filesUnder, importersOf, importGraph } from "../core/testing/import-graph.js";

const here = import.meta.dirname;
const root = path.join(here, "..");

describe("the agent's run-time imports", () => {
  const graph = importGraph(path.join(here, "main.ts"));

  it("cover the agent (the walk finds its modules and core's client)", () => {
    expect(graph.files).toContain(path.join(here, "agent.ts"));
    expect(graph.files).toContain(path.join(here, "collect.ts"));
    expect(graph.files).toContain(path.join(root, "core", "kube", "reflector.ts"));
    expect(graph.packages.has("prom-client")).toBe(true);
  });

  it("do not include @kubernetes/client-node, cue-wasm or the engine", () => {
    expect(importersOf(graph, "@kubernetes/client-node", root)).toEqual([]);
    expect(importersOf(graph, "cue-wasm", root)).toEqual([]);
    expect(filesUnder(graph, path.join(root, "engine"), root)).toEqual([]);
  });
});
