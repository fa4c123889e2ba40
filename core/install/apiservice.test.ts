import { describe, expect, it } from "vitest";
import { APISERVICE_NAME, apiServiceManifests, manifestPath } from "./apiservice.js";

describe("apiServiceManifests and manifestPath", () => {
  it("registers a Namespace, an ExternalName Service and the APIService, each at its path", () => {
    const manifests = apiServiceManifests({ port: 9443, caBundlePem: "PEM" });
    expect(manifests.map((m) => [m.kind, manifestPath(m)])).toEqual([
      ["Namespace", "/api/v1/namespaces/vela-system"],
      ["Service", "/api/v1/namespaces/vela-system/services/flotilla-gateway"],
      ["APIService", `/apis/apiregistration.k8s.io/v1/apiservices/${APISERVICE_NAME}`],
    ]);
    expect(manifests[1]?.spec).toMatchObject({
      type: "ExternalName",
      externalName: "localhost",
      ports: [{ name: "https", port: 9443, protocol: "TCP" }],
    });
    expect(manifests[2]?.spec).toMatchObject({
      group: "cluster.core.oam.dev",
      version: "v1alpha1",
      service: { name: "flotilla-gateway", namespace: "vela-system", port: 9443 },
      caBundle: Buffer.from("PEM").toString("base64"),
    });
  });

  it("follows a custom namespace and service name", () => {
    const [, service] = apiServiceManifests({
      port: 1,
      caBundlePem: "",
      namespace: "gw",
      serviceName: "edge",
    });
    expect(service && manifestPath(service)).toBe("/api/v1/namespaces/gw/services/edge");
  });
});
