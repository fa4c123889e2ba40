import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { APISERVICE_NAME } from "../cluster/types.js";
import { ForbiddenError, UpstreamUnavailableError } from "../errors.js";
import { FakeClock } from "../testing/fake-clock.js";
import { HttpPeer, type PeerRequest } from "../testing/http-peer.js";
import {
  apiServiceHost,
  apiServiceManifests,
  manifestPath,
  serviceRef,
  waitApiServiceAvailable,
} from "./apiservice.js";

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

  it("names the Service, defaults applied", () => {
    expect(serviceRef({})).toEqual({ name: "flotilla-gateway", namespace: "vela-system" });
    expect(serviceRef({ serviceName: "gw", namespace: "infra" })).toEqual({
      name: "gw",
      namespace: "infra",
    });
  });

  it("names the host the gateway's certificate must carry", () => {
    expect(apiServiceHost({})).toBe("flotilla-gateway.vela-system.svc");
    expect(apiServiceHost({ serviceName: "gw", namespace: "infra" })).toBe("gw.infra.svc");
  });
});

describe("waitApiServiceAvailable", () => {
  const path = `/apis/apiregistration.k8s.io/v1/apiservices/${APISERVICE_NAME}`;
  const condition = (status: string, reason: string, message: string) => ({
    status: { conditions: [{ type: "Available", status, reason, message }] },
  });
  let peer: HttpPeer;
  let clock: FakeClock;
  beforeEach(async () => {
    peer = await HttpPeer.start();
    clock = new FakeClock(0);
  });
  afterEach(() => peer.close());

  /** Takes the next poll, answers it and, once the wait sleeps again, moves past the sleep. */
  async function poll(answer: (request: PeerRequest) => void): Promise<void> {
    const request = await peer.next();
    expect(request.path).toBe(path);
    answer(request);
    await vi.waitFor(() => expect(clock.pending()).toBe(1));
    await clock.advance(100);
  }

  const wait = (timeoutMs: number) =>
    waitApiServiceAvailable(
      { server: peer.url, insecure: false },
      { clock, timeoutMs, intervalMs: 100, serviceName: "gw", namespace: "infra" },
    );

  it("retries a poll the hub failed until the APIService is Available", async () => {
    const waiting = wait(1_000);
    await poll((request) => request.status(503, "ServiceUnavailable", "etcd is slow"));
    await poll((request) => request.reply(200, condition("False", "MissingEndpoints", "none")));
    (await peer.next()).reply(200, condition("True", "Passed", "all checks passed"));
    await expect(waiting).resolves.toBeUndefined();
  });

  it("gives the hub's reason and the certificate's name when it is not Available in time", async () => {
    const waiting = wait(150);
    const failed = expect(waiting).rejects.toThrow(
      new UpstreamUnavailableError(
        `APIService ${APISERVICE_NAME} is not Available (FailedDiscoveryCheck: no response); ` +
          "the gateway must be running and serve a certificate signed by the registered CA " +
          "for the name gw.infra.svc",
      ),
    );
    await poll((request) => request.status(500, "InternalError", "oops"));
    await poll((request) => request.reply(200, condition("False", "FailedDiscoveryCheck", "x")));
    (await peer.next()).reply(200, condition("False", "FailedDiscoveryCheck", "no response"));
    await failed;
  });

  it("says so when the last poll failed, and stops at once when the hub refuses", async () => {
    const waiting = wait(0);
    const failed = expect(waiting).rejects.toThrow(
      /is not Available \(the hub did not answer: .*overloaded.*\); .* for the name gw\.infra\.svc$/,
    );
    await poll((request) => request.reply(200, {}));
    (await peer.next()).status(503, "ServiceUnavailable", "overloaded");
    await failed;
    const refused = wait(1_000);
    (await peer.next()).status(403, "Forbidden", "no");
    await expect(refused).rejects.toBeInstanceOf(ForbiddenError);
  });
});
