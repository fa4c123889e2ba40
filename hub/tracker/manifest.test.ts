import { describe, expect, it } from "vitest";
import type { TrackerEntry } from "./entries.js";
import { trackerManifest, trackerStateOf } from "./manifest.js";

const app = { name: "shop", namespace: "team-a" };
const entries: TrackerEntry[] = [
  {
    cluster: "member-1",
    apiVersion: "apps/v1",
    kind: "Deployment",
    namespace: "team-a",
    name: "web",
    component: "web",
    workloadType: "webservice",
    generation: 4,
    digest: "0123456789abcdef",
  },
  {
    cluster: "local",
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    name: "reader",
    component: "rbac",
    trait: "AuxiliaryWorkload",
    generation: 2,
    applyOnce: true,
    deleted: true,
  },
];

describe("trackerManifest", () => {
  it("is KubeVela's cluster-scoped ResourceTracker for the app, with KubeVela's field names", () => {
    const manifest = trackerManifest(app, { generation: 4, entries });
    expect(manifest).toMatchObject({
      apiVersion: "core.oam.dev/v1beta1",
      kind: "ResourceTracker",
      metadata: {
        name: "shop-team-a",
        labels: { "app.oam.dev/name": "shop", "app.oam.dev/namespace": "team-a" },
      },
      spec: { type: "versioned", applicationGeneration: 4 },
    });
    const spec = manifest.spec as { managedResources: Array<Record<string, unknown>> };
    expect(spec.managedResources[1]).toEqual({
      cluster: "local",
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      name: "reader",
      component: "rbac",
      trait: "AuxiliaryWorkload",
      deleted: true,
      raw: {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRole",
        metadata: {
          name: "reader",
          labels: { "app.oam.dev/component": "rbac", "trait.oam.dev/type": "AuxiliaryWorkload" },
          annotations: { "flotilla.dev/generation": "2", "flotilla.dev/apply-once": "true" },
        },
      },
    });
  });
});

describe("trackerStateOf", () => {
  it("reads back what trackerManifest wrote", () => {
    const state = { generation: 4, entries };
    expect(trackerStateOf(trackerManifest(app, state))).toEqual(state);
  });

  it("reads a KubeVela tracker: empty cluster is the hub, generation from the spec", () => {
    const kubevela = {
      spec: {
        applicationGeneration: 7,
        managedResources: [
          { apiVersion: "v1", kind: "ConfigMap", namespace: "x", name: "c", component: "c" },
          { apiVersion: "v1", kind: "ConfigMap" },
        ],
      },
    };
    expect(trackerStateOf(kubevela)).toEqual({
      generation: 7,
      entries: [
        {
          cluster: "local",
          apiVersion: "v1",
          kind: "ConfigMap",
          namespace: "x",
          name: "c",
          component: "c",
          generation: 7,
        },
      ],
    });
    expect(trackerStateOf(undefined)).toEqual({ generation: 0, entries: [] });
  });
});
