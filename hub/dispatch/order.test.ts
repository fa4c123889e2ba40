import { describe, expect, it } from "vitest";
import type { RenderedObject } from "../../engine/render/render.js";
import { applyOrder, groupByCluster, kindsDefinedBy } from "./order.js";

const at = (cluster: string, kind: string, apiVersion = "v1"): RenderedObject => ({
  target: { cluster, namespace: "demo", replicaKey: "" },
  component: "c",
  object: { apiVersion, kind, metadata: { name: kind.toLowerCase() } },
});

describe("groupByCluster", () => {
  it("keeps clusters in order of first appearance and objects in render order", () => {
    const objects = [at("b", "ConfigMap"), at("a", "Secret"), at("b", "Service")];
    const groups = groupByCluster(objects);
    expect([...groups.keys()]).toEqual(["b", "a"]);
    expect(groups.get("b")?.map((o) => o.object.kind)).toEqual(["ConfigMap", "Service"]);
  });
});

describe("applyOrder", () => {
  it("puts Namespaces, then CRDs, then the rest, stable within each", () => {
    const crd = at("a", "CustomResourceDefinition", "apiextensions.k8s.io/v1");
    const objects = [
      at("a", "Widget", "example.com/v1"),
      at("a", "ConfigMap"),
      crd,
      at("a", "Namespace"),
      at("a", "Service"),
    ];
    expect(applyOrder(objects).map((o) => o.object.kind)).toEqual([
      "Namespace",
      "CustomResourceDefinition",
      "Widget",
      "ConfigMap",
      "Service",
    ]);
  });
});

describe("kindsDefinedBy", () => {
  it("lists every served version's apiVersion and kind", () => {
    const crd = {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      spec: {
        group: "example.com",
        names: { kind: "Widget", plural: "widgets" },
        versions: [
          { name: "v1" },
          { name: "v2", served: false },
          { name: "v1beta1", served: true },
        ],
      },
    };
    expect(kindsDefinedBy(crd)).toEqual([
      { apiVersion: "example.com/v1", kind: "Widget" },
      { apiVersion: "example.com/v1beta1", kind: "Widget" },
    ]);
    expect(kindsDefinedBy({ spec: {} })).toEqual([]);
  });
});
