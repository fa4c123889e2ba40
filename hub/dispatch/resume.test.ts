import { describe, expect, it } from "vitest";
import type { JsonObject } from "../../core/json.js";
import type { RenderedObject } from "../../engine/render/render.js";
import { objectDigest } from "./digest.js";
import type { TrackerEntry } from "../tracker/entries.js";
import { resumedAge, resumedResult } from "./resume.js";

const deploymentOf = (name: string, image: string): JsonObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, namespace: "default" },
  spec: { template: { spec: { containers: [{ name, image }] } } },
});

const rendered = (cluster: string, object: JsonObject): RenderedObject => ({
  target: { cluster, namespace: "default", replicaKey: "" },
  component: String((object.metadata as JsonObject).name),
  object,
});

const entry = (cluster: string, object: JsonObject, extra: Partial<TrackerEntry> = {}) => ({
  cluster,
  apiVersion: "apps/v1",
  kind: "Deployment",
  namespace: "default",
  name: String((object.metadata as JsonObject).name),
  component: String((object.metadata as JsonObject).name),
  workloadType: "deployments.apps",
  generation: 3,
  digest: objectDigest(object),
  ...extra,
});

const web = deploymentOf("web", "nginx:1.27");
const api = deploymentOf("api", "nginx:1.27");

describe("resumedResult", () => {
  it("remembers a cluster whose tracked digests are exactly the current render", () => {
    const result = resumedResult(
      "member-1",
      [rendered("member-1", web), rendered("member-1", api), rendered("member-2", web)],
      [entry("member-1", api), entry("member-1", web), entry("member-2", web)],
    );
    expect(result?.ok).toBe(true);
    expect(result?.applied.map((a) => a.name).sort()).toEqual(["api", "web"]);
    expect(result?.applied[0]).not.toHaveProperty("cluster");
    expect(result?.applied[0]).toMatchObject({ workloadType: "deployments.apps" });
  });

  it("dispatches when the render changed, grew or shrank", () => {
    const changed = deploymentOf("web", "nginx:1.28");
    expect(
      resumedResult("member-1", [rendered("member-1", changed)], [entry("member-1", web)]),
    ).toBeUndefined();
    const both = [rendered("member-1", web), rendered("member-1", api)];
    expect(resumedResult("member-1", both, [entry("member-1", web)])).toBeUndefined();
    expect(
      resumedResult(
        "member-1",
        [rendered("member-1", web)],
        [entry("member-1", web), entry("member-1", api)],
      ),
    ).toBeUndefined();
  });

  it("dispatches when the last apply failed (no digest) or nothing is tracked", () => {
    const failed = entry("member-1", web, { digest: undefined });
    expect(resumedResult("member-1", [rendered("member-1", web)], [failed])).toBeUndefined();
    expect(resumedResult("member-1", [rendered("member-1", web)], [])).toBeUndefined();
    expect(resumedResult("member-1", [], [])).toBeUndefined();
  });

  it("ignores entries pending deletion and other clusters' entries", () => {
    const gone = entry("member-1", api, { deleted: true });
    const result = resumedResult(
      "member-1",
      [rendered("member-1", web)],
      [entry("member-1", web), gone, entry("member-2", api)],
    );
    expect(result?.applied.map((a) => a.name)).toEqual(["web"]);
  });
});

describe("resumedAge", () => {
  it("is a fixed point within the period per key, spread over it", () => {
    const period = 300_000;
    const ages = Array.from({ length: 200 }, (_, i) => resumedAge(`default/app-${i}/m`, period));
    expect(ages.every((a) => a >= 0 && a < period)).toBe(true);
    expect(resumedAge("default/app-1/m", period)).toBe(ages[1]);
    const firstHalf = ages.filter((a) => a < period / 2).length;
    expect(firstHalf).toBeGreaterThan(70);
    expect(firstHalf).toBeLessThan(130);
    expect(resumedAge("x", 0)).toBe(0);
  });
});
