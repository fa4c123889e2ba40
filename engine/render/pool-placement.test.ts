import { describe, expect, it } from "vitest";
import { NODEPOOL_LABEL } from "../../core/cluster/agent-contract.js";
import type { JsonObject } from "../../core/json.js";
import type { Application } from "../oam/types.js";
import type { NodePoolPlacement } from "./node-pools.js";
import { placeOnPool, podSpecPath, skipsNodePoolPlacement, tolerates } from "./pool-placement.js";

const beijing: NodePoolPlacement = {
  name: "beijing",
  taints: [
    { key: "apps.openyurt.io/example", value: "beijing", effect: "NoSchedule" },
    { key: "edge", effect: "NoExecute" },
  ],
};

const podSpec = { containers: [{ name: "main", image: "nginx" }] };
const workload = (apiVersion: string, kind: string, spec: JsonObject): JsonObject => ({
  apiVersion,
  kind,
  metadata: { name: "web", namespace: "apps" },
  spec,
});

const at = (object: JsonObject, path: readonly string[]): JsonObject =>
  path.reduce<JsonObject>((o, k) => o[k] as JsonObject, object);

const expectedTolerations = [
  { key: "apps.openyurt.io/example", operator: "Equal", value: "beijing", effect: "NoSchedule" },
  { key: "edge", operator: "Exists", effect: "NoExecute" },
];

describe("placeOnPool", () => {
  it.each([
    ["apps/v1", "Deployment"],
    ["apps/v1", "StatefulSet"],
    ["apps/v1", "DaemonSet"],
    ["apps/v1", "ReplicaSet"],
    ["batch/v1", "Job"],
  ])("places a %s %s's pod template on the pool and names it for the pool", (api, kind) => {
    const placed = placeOnPool(workload(api, kind, { template: { spec: podSpec } }), beijing);
    const spec = at(placed, ["spec", "template", "spec"]);
    expect(spec.nodeSelector).toEqual({ [NODEPOOL_LABEL]: "beijing" });
    expect(spec.tolerations).toEqual(expectedTolerations);
    expect(spec.containers).toEqual(podSpec.containers);
    expect((placed.metadata as JsonObject).name).toBe("web-beijing");
  });

  it("places a CronJob's job template", () => {
    const cron = workload("batch/v1", "CronJob", {
      schedule: "* * * * *",
      jobTemplate: { spec: { template: { spec: podSpec } } },
    });
    const placed = placeOnPool(cron, beijing);
    const spec = at(placed, ["spec", "jobTemplate", "spec", "template", "spec"]);
    expect(spec.nodeSelector).toEqual({ [NODEPOOL_LABEL]: "beijing" });
    expect(spec.tolerations).toEqual(expectedTolerations);
    expect((placed.spec as JsonObject).schedule).toBe("* * * * *");
  });

  it("merges with the workload's own nodeSelector and tolerations, adding none twice", () => {
    const own = workload("apps/v1", "Deployment", {
      template: {
        spec: {
          ...podSpec,
          nodeSelector: { disk: "ssd", [NODEPOOL_LABEL]: "other" },
          tolerations: [
            { key: "apps.openyurt.io/example", value: "beijing", effect: "NoSchedule" },
            { key: "gpu", operator: "Exists" },
          ],
        },
      },
    });
    const once = placeOnPool(own, beijing);
    const spec = at(once, ["spec", "template", "spec"]);
    expect(spec.nodeSelector).toEqual({ disk: "ssd", [NODEPOOL_LABEL]: "beijing" });
    expect(spec.tolerations).toEqual([
      { key: "apps.openyurt.io/example", value: "beijing", effect: "NoSchedule" },
      { key: "gpu", operator: "Exists" },
      { key: "edge", operator: "Exists", effect: "NoExecute" },
    ]);
    expect(placeOnPool(once, beijing)).toEqual(once);
    expect(at(own, ["spec", "template", "spec"]).nodeSelector).toEqual({
      disk: "ssd",
      [NODEPOOL_LABEL]: "other",
    });
  });

  it("sets only the nodeSelector when the pool's taints are unknown", () => {
    const placed = placeOnPool(workload("apps/v1", "Deployment", { template: { spec: podSpec } }), {
      name: "beijing",
    });
    const spec = at(placed, ["spec", "template", "spec"]);
    expect(spec.nodeSelector).toEqual({ [NODEPOOL_LABEL]: "beijing" });
    expect(spec.tolerations).toBeUndefined();
  });

  it("keeps a name that already ends with the pool, and only renames when opted out", () => {
    const named = workload("apps/v1", "Deployment", { template: { spec: podSpec } });
    (named.metadata as JsonObject).name = "ingress-beijing";
    expect((placeOnPool(named, beijing).metadata as JsonObject).name).toBe("ingress-beijing");
    const skipped = placeOnPool(
      workload("apps/v1", "Deployment", { template: { spec: podSpec } }),
      beijing,
      false,
    );
    expect((skipped.metadata as JsonObject).name).toBe("web-beijing");
    expect(at(skipped, ["spec", "template", "spec"])).toEqual(podSpec);
  });

  it("leaves other objects alone, including same-named kinds of other API groups", () => {
    const service = { apiVersion: "v1", kind: "Service", metadata: { name: "web" }, spec: {} };
    const custom = workload("example.com/v1", "Deployment", { template: { spec: podSpec } });
    const release = { apiVersion: "helm.toolkit.fluxcd.io/v2", kind: "HelmRelease", spec: {} };
    for (const o of [service, custom, release]) expect(placeOnPool(o, beijing)).toBe(o);
    expect(podSpecPath(custom)).toBeUndefined();
  });
});

describe("tolerates", () => {
  const taint = { key: "k", value: "v", effect: "NoSchedule" };
  it("follows Kubernetes' matching rules", () => {
    expect(tolerates({ key: "k", value: "v" }, taint)).toBe(true);
    expect(tolerates({ key: "k", operator: "Equal", value: "w" }, taint)).toBe(false);
    expect(tolerates({ key: "k", operator: "Exists", effect: "NoSchedule" }, taint)).toBe(true);
    expect(tolerates({ operator: "Exists" }, taint)).toBe(true);
    expect(tolerates({ key: "k", value: "v", effect: "NoExecute" }, taint)).toBe(false);
    expect(tolerates("nonsense", taint)).toBe(false);
  });
});

describe("skipsNodePoolPlacement", () => {
  const app = (value?: string): Application => ({
    apiVersion: "core.oam.dev/v1beta1",
    kind: "Application",
    metadata: {
      name: "a",
      ...(value === undefined
        ? {}
        : { annotations: { "app.flotilla.dev/skip-nodepool-placement": value } }),
    },
    spec: { components: [] },
  });
  it("reads a comma-separated list of components, or * for all", () => {
    expect(skipsNodePoolPlacement(app(), "web")).toBe(false);
    expect(skipsNodePoolPlacement(app("db, web"), "web")).toBe(true);
    expect(skipsNodePoolPlacement(app("db"), "web")).toBe(false);
    expect(skipsNodePoolPlacement(app("*"), "web")).toBe(true);
  });
});
