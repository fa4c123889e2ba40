import { ApiException, KubeConfig } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  UnauthenticatedError,
  UpstreamUnavailableError,
} from "../errors.js";
import { apiStatusOf, gatewayKubeConfig, kubeConfigFor, kubeError } from "./kube.js";

const status = (code: number, message: string) =>
  new ApiException(code, "x", JSON.stringify({ kind: "Status", message }), {});

describe("kubeError", () => {
  it("maps HTTP statuses to typed errors with the server's message", () => {
    expect(kubeError(status(404, 'secrets "a" not found'), "reading a")).toEqual(
      new NotFoundError('reading a: secrets "a" not found'),
    );
    expect(kubeError(status(409, "exists"), "w")).toBeInstanceOf(ConflictError);
    expect(kubeError(status(403, "no"), "w")).toBeInstanceOf(ForbiddenError);
    expect(kubeError(status(422, "bad"), "w")).toBeInstanceOf(InvalidInputError);
    expect(kubeError(status(503, "down"), "w")).toBeInstanceOf(UpstreamUnavailableError);
    const unauthorized = kubeError(new ApiException(401, "Unauthorized", undefined, {}), "w");
    expect(unauthorized).toBeInstanceOf(UnauthenticatedError);
    expect(unauthorized.message).toBe("w: credential rejected (HTTP 401)");
    expect(kubeError(new ApiException(500, "x", "not json", {}), "w").message).toBe("w: HTTP 500");
  });

  it("treats failures without a response as an unreachable upstream", () => {
    const error = kubeError(new Error("connect ECONNREFUSED 127.0.0.1:1"), "cannot reach hub");
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(error.message).toBe("cannot reach hub: connect ECONNREFUSED 127.0.0.1:1");
    expect(apiStatusOf(error)).toBeUndefined();
    expect(apiStatusOf(status(404, ""))).toBe(404);
  });
});

describe("kubeConfigFor", () => {
  it("builds a client configuration from a record, skipping TLS verification without a CA", () => {
    const token = kubeConfigFor({
      name: "m",
      endpoint: "https://10.0.0.1:6443",
      credential: { type: "ServiceAccountToken", token: "t" },
      labels: {},
    });
    expect(token.getCurrentCluster()).toMatchObject({
      server: "https://10.0.0.1:6443",
      skipTLSVerify: true,
    });
    expect(token.getCurrentUser()).toMatchObject({ token: "t" });
    const x509 = kubeConfigFor({
      name: "m",
      endpoint: "https://10.0.0.1:6443",
      caPem: "CA",
      credential: { type: "X509Certificate", certPem: "C", keyPem: "K" },
      labels: {},
    });
    expect(x509.getCurrentCluster()?.caData).toBe(Buffer.from("CA").toString("base64"));
    expect(x509.getCurrentUser()).toMatchObject({ certData: "Qw==", keyData: "Sw==" });
  });
});

describe("reaching a member through the hub's gateway", () => {
  it("keeps the hub's credential and moves its server to the cluster's proxy path", () => {
    const hub = new KubeConfig();
    hub.loadFromOptions({
      clusters: [
        { name: "hub", server: "https://127.0.0.1:6443", caData: "Q0E=" },
        { name: "other", server: "https://10.0.0.1" },
      ],
      users: [{ name: "admin", token: "t" }],
      contexts: [{ name: "hub", cluster: "hub", user: "admin" }],
      currentContext: "hub",
    });
    const kc = gatewayKubeConfig(hub, "edge 1");
    expect(kc.getCurrentCluster()).toMatchObject({
      server:
        "https://127.0.0.1:6443/apis/cluster.core.oam.dev/v1alpha1/clustergateways/edge%201/proxy",
      caData: "Q0E=",
    });
    expect(kc.getCurrentUser()?.token).toBe("t");
    expect(kc.clusters.find((c) => c.name === "other")?.server).toBe("https://10.0.0.1");
    expect(hub.getCurrentCluster()?.server).toBe("https://127.0.0.1:6443");
  });
});
