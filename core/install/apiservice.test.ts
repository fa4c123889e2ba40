import { describe, expect, it } from "vitest";
import { APISERVICE_NAME } from "../cluster/types.js";
import { apiServiceHost, apiServiceManifests, manifestPath } from "./apiservice.js";

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

  it("selects the gateway's pods with a ClusterIP Service when given a selector", () => {
    const [, service, apiService] = apiServiceManifests({
      port: 443,
      caBundlePem: "PEM",
      selector: { app: "flotilla-gateway" },
      targetPort: 9443,
    });
    expect(service?.spec).toEqual({
      type: "ClusterIP",
      selector: { app: "flotilla-gateway" },
      ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: 9443 }],
    });
    expect(apiService?.spec?.service).toEqual({
      name: "flotilla-gateway",
      namespace: "vela-system",
      port: 443,
    });
    const [, same] = apiServiceManifests({ port: 443, caBundlePem: "", selector: { a: "b" } });
    expect(same?.spec?.ports).toEqual([
      { name: "https", port: 443, protocol: "TCP", targetPort: 443 },
    ]);
  });

  it("refuses an external name with a selector, and a target port without one", () => {
    const base = { port: 1, caBundlePem: "" };
    expect(() =>
      apiServiceManifests({ ...base, externalName: "gw.example", selector: { a: "b" } }),
    ).toThrow("give an external name or a selector, not both");
    expect(() => apiServiceManifests({ ...base, targetPort: 2 })).toThrow(
      "a target port needs a selector",
    );
  });

  it("names the host the gateway's certificate must carry", () => {
    expect(apiServiceHost({})).toBe("flotilla-gateway.vela-system.svc");
    expect(apiServiceHost({ serviceName: "gw", namespace: "infra" })).toBe("gw.infra.svc");
  });
});
