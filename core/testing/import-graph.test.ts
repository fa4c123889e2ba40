import path from "node:path";
import { describe, expect, it } from "vitest";
import { filesUnder, importersOf, importGraph, runtimeSpecifiers } from "./import-graph.js";

const root = path.join(import.meta.dirname, "..", "..");

describe("importGraph", () => {
  it("notices a package behind a value import (the programs' checks can fail)", () => {
    const informer = path.join(root, "core", "controller", "informer.ts");
    const graph = importGraph(informer);
    expect(importersOf(graph, "@kubernetes/client-node", root)).toEqual([
      "core/controller/informer.ts",
    ]);
  });

  it("follows relative imports to files, and leaves type-only imports out", () => {
    const reflector = path.join(root, "core", "kube", "reflector.ts");
    // reflector.ts imports `KubeClient` as a type only: client.ts is not loaded through it.
    expect(runtimeSpecifiers(reflector)).not.toContain("./client.js");
    const graph = importGraph(reflector);
    expect(filesUnder(graph, path.join(root, "core", "kube"), root)).toContain(
      "core/kube/store.ts",
    );
    expect(filesUnder(graph, path.join(root, "core", "kube"), root)).not.toContain(
      "core/kube/client.ts",
    );
  });
});
