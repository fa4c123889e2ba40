/**
 * The gateway's process must not load `@kubernetes/client-node` (about 65 MiB of memory), nor
 * `cue-wasm` or anything under `engine/`: this walks the import graph of `gateway/main.ts` as
 * the compiled JavaScript will load it. The walker itself is tested to be able to fail
 * (core/testing/import-graph.test.ts).
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { filesUnder, importersOf, importGraph } from "../core/testing/import-graph.js";

const here = import.meta.dirname;
const root = path.join(here, "..");

describe("the gateway's run-time imports", () => {
  const graph = importGraph(path.join(here, "main.ts"));

  it("cover the gateway (the walk finds its modules)", () => {
    expect(graph.files).toContain(path.join(here, "start.ts"));
    expect(graph.files).toContain(path.join(here, "registry", "secret-watch.ts"));
    expect(graph.packages.has("express")).toBe(true);
  });

  it("do not include @kubernetes/client-node, cue-wasm or the engine", () => {
    expect(importersOf(graph, "@kubernetes/client-node", root)).toEqual([]);
    expect(importersOf(graph, "cue-wasm", root)).toEqual([]);
    expect(filesUnder(graph, path.join(root, "engine"), root)).toEqual([]);
  });
});
