import { describe, expect, it } from "vitest";
import { ConflictError } from "../../core/errors.js";
import type { RevisionSummary } from "../../engine/revision/revision.js";
import type { LiveApplication } from "../app/live-app.js";
import { planRollback } from "./rollback.js";

const rev = (n: number, succeeded: boolean, publishVersion?: string): RevisionSummary => ({
  name: `shop-v${n}`,
  revision: n,
  revisionHash: `h${n}`,
  succeeded,
  spec: { components: [{ name: "web", type: "webservice", properties: { image: `v${n}` } }] },
  ...(publishVersion === undefined ? {} : { publishVersion }),
});

function app(annotations?: Record<string, string>, latest = 3): LiveApplication {
  const metadata = {
    name: "shop",
    namespace: "team",
    resourceVersion: "42",
    generation: 7,
    ...(annotations === undefined ? {} : { annotations }),
  };
  return {
    metadata,
    spec: {},
    status: {
      latestRevision: { name: `shop-v${latest}`, revision: latest, revisionHash: `h${latest}` },
    },
  };
}

describe("planRollback", () => {
  it("restores the newest earlier succeeded revision's spec and publishVersion, guarded by the generation and publishVersion read", () => {
    const plan = planRollback(app({ "app.oam.dev/publishVersion": "alpha3" }), [
      rev(1, true, "alpha1"),
      rev(2, true, "alpha2"),
      rev(3, false, "alpha3"),
    ]);
    expect(plan.target.name).toBe("shop-v2");
    // not the resourceVersion: the hub's status writes move it (a rollback failed in CI so)
    expect(plan.patch).toEqual([
      { op: "test", path: "/metadata/generation", value: 7 },
      {
        op: "test",
        path: "/metadata/annotations",
        value: { "app.oam.dev/publishVersion": "alpha3" },
      },
      { op: "replace", path: "/spec", value: rev(2, true).spec },
      { op: "add", path: "/metadata/annotations/app.oam.dev~1publishVersion", value: "alpha2" },
    ]);
    expect(plan.done[0]).toBe(
      "Found succeeded revision shop-v2 (publishVersion alpha2) to roll back to (from shop-v3).",
    );
  });

  it("adds the annotations map when there is none, and removes a publishVersion the target lacked", () => {
    expect(planRollback(app(), [rev(1, true, "alpha1")]).patch[3]).toEqual({
      op: "add",
      path: "/metadata/annotations",
      value: { "app.oam.dev/publishVersion": "alpha1" },
    });
    const patch = planRollback(app({ "app.oam.dev/publishVersion": "x" }), [rev(2, true)]).patch;
    expect(patch[3]).toEqual({
      op: "remove",
      path: "/metadata/annotations/app.oam.dev~1publishVersion",
    });
    expect(planRollback(app({ team: "a" }), [rev(2, true)]).patch).toHaveLength(2);
  });

  it("guards the annotations it writes: as read, or by the resourceVersion when there were none", () => {
    // JSON Patch cannot test that /metadata/annotations is absent, and adding the map would
    // replace one someone created meanwhile
    expect(planRollback(app(), [rev(1, true, "alpha1")]).patch.slice(0, 2)).toEqual([
      { op: "test", path: "/metadata/generation", value: 7 },
      { op: "test", path: "/metadata/resourceVersion", value: "42" },
    ]);
    const kept = planRollback(app({ team: "a" }), [rev(1, true, "alpha1")]).patch;
    expect(kept[1]).toEqual({ op: "test", path: "/metadata/annotations", value: { team: "a" } });
    expect(kept[3]).toEqual({
      op: "add",
      path: "/metadata/annotations/app.oam.dev~1publishVersion",
      value: "alpha1",
    });
  });

  it("refuses, naming the application, without a revision or an earlier success", () => {
    const none: LiveApplication = { metadata: { name: "shop", namespace: "team" }, spec: {} };
    expect(() => planRollback(none, [])).toThrow(ConflictError);
    expect(() => planRollback(none, [])).toThrow(
      'cannot roll back application "shop" in namespace "team": it has no revision yet',
    );
    expect(() => planRollback(app(), [rev(1, false), rev(2, false), rev(3, true)])).toThrow(
      /no revision before shop-v3 succeeded/,
    );
  });
});
