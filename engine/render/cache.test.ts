import { describe, expect, it } from "vitest";
import type { Application } from "../oam/types.js";
import { renderCache, renderKey } from "./cache.js";
import { definitionSet } from "./definition-set.js";
import type { NodePoolPlacement } from "./node-pools.js";
import type { RenderedObject, RenderInput } from "./render.js";

const app = (image: string, extra: Partial<Application["metadata"]> = {}): Application => ({
  apiVersion: "core.oam.dev/v1beta1",
  kind: "Application",
  metadata: { name: "web", namespace: "prod", ...extra },
  spec: { components: [{ name: "web", type: "webservice", properties: { image } }] },
});

/** A stand-in render that records its calls; the cache's contract does not depend on CUE. */
function counting(): { calls: number; render: (input: RenderInput) => RenderedObject[] } {
  const state = {
    calls: 0,
    render: (input: RenderInput): RenderedObject[] => {
      state.calls++;
      const target = { cluster: "local", namespace: "prod", replicaKey: "" };
      return [{ target, component: "web", object: { spec: input.app.spec } }];
    },
  };
  return state;
}

const engine = { evaluate: (): unknown => ({}) };

describe("renderCache", () => {
  it("answers unchanged inputs from the cache and re-renders changed ones", () => {
    const fake = counting();
    const cache = renderCache({ render: fake.render });
    const definitions = definitionSet([]);
    const first = cache.render({ engine, definitions, app: app("nginx:1") });
    expect(cache.render({ engine, definitions, app: app("nginx:1") })).toBe(first);
    expect(fake.calls).toBe(1);
    cache.render({ engine, definitions, app: app("nginx:2") });
    cache.render({ engine, definitions, app: app("nginx:1"), revision: 2 });
    expect(fake.calls).toBe(3);
    expect(cache.stats()).toEqual({ hits: 1, misses: 3 });
  });

  it("ignores metadata a render does not read, but not labels or annotations", () => {
    expect(renderKey(app("a", { resourceVersion: "1" }))).toBe(
      renderKey(app("a", { resourceVersion: "2" })),
    );
    expect(renderKey(app("a", { labels: { x: "1" } }))).not.toBe(renderKey(app("a")));
    expect(renderKey(app("a", { annotations: { y: "1" } }))).not.toBe(renderKey(app("a")));
  });

  it("keys on what topology selectors resolve to, so placement changes render afresh", () => {
    const selecting: Application = {
      ...app("a"),
      spec: {
        ...app("a").spec,
        policies: [{ name: "t", type: "topology", properties: { clusterLabelSelector: {} } }],
      },
    };
    let clusters = ["member-1"];
    const resolve = (): string[] => clusters;
    const before = renderKey(selecting, 1, resolve);
    expect(renderKey(selecting, 1, resolve)).toBe(before);
    clusters = ["member-1", "member-2"];
    expect(renderKey(selecting, 1, resolve)).not.toBe(before);
    expect(renderKey(app("a"), 1, resolve)).toBe(renderKey(app("a")));
  });

  it("keys on the node pools a topology resolves to in each cluster, taints included", () => {
    const pooled: Application = {
      ...app("a"),
      spec: {
        ...app("a").spec,
        policies: [
          { name: "t", type: "topology", properties: { clusters: ["edge-1"], nodePools: ["bj"] } },
        ],
      },
    };
    let taints = [{ key: "k", value: "bj", effect: "NoSchedule" }];
    let pools = (): NodePoolPlacement[] => [{ name: "bj", taints }];
    const key = (): string => renderKey(pooled, { revision: 1, resolvePools: () => pools() });
    const before = key();
    expect(key()).toBe(before);
    taints = [{ key: "k", value: "bj", effect: "NoExecute" }];
    expect(key()).not.toBe(before);
    pools = () => [];
    expect(key()).not.toBe(before);
    expect(renderKey(pooled, 1)).toBe(renderKey(pooled, { revision: 1 }));
  });

  it("starts afresh for a new definition set", () => {
    const fake = counting();
    const cache = renderCache({ render: fake.render });
    cache.render({ engine, definitions: definitionSet([]), app: app("a") });
    cache.render({ engine, definitions: definitionSet([]), app: app("a") });
    expect(fake.calls).toBe(2);
  });

  it("returns frozen results and evicts the least recently used entry", () => {
    const fake = counting();
    const cache = renderCache({ render: fake.render, maxEntries: 2 });
    const definitions = definitionSet([]);
    const a = cache.render({ engine, definitions, app: app("a") });
    expect(Object.isFrozen(a[0]?.object)).toBe(true);
    cache.render({ engine, definitions, app: app("b") });
    cache.render({ engine, definitions, app: app("a") }); // a is now the most recent
    cache.render({ engine, definitions, app: app("c") }); // evicts b
    cache.render({ engine, definitions, app: app("a") });
    expect(fake.calls).toBe(3);
    cache.render({ engine, definitions, app: app("b") });
    expect(fake.calls).toBe(4);
    expect(cache.stats()).toEqual({ hits: 2, misses: 4 });
  });

  it("does not cache failures", () => {
    let calls = 0;
    const cache = renderCache({
      render: () => {
        calls++;
        throw new Error("bad");
      },
    });
    const input = { engine, definitions: definitionSet([]), app: app("a") };
    expect(() => cache.render(input)).toThrow("bad");
    expect(() => cache.render(input)).toThrow("bad");
    expect(calls).toBe(2);
  });
});
