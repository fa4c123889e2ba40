import { describe, expect, it } from "vitest";
import { describeUses } from "./detach.js";
import { clusterTable, clusterViews } from "./list.js";
import { serviceAccountManifests } from "./service-account.js";

describe("cluster list output", () => {
  it("puts local first with the hub's endpoint, and never shows credentials", () => {
    const views = clusterViews("https://hub:6443", [
      {
        name: "member-1",
        alias: "eu",
        endpoint: "https://m1:6443",
        credential: { type: "ServiceAccountToken", token: "secret-token" },
        labels: { tier: "prod", region: "eu" },
        createdAt: "2026-01-01T00:00:00Z",
      },
      {
        name: "member-2",
        endpoint: "https://m2:6443",
        credential: { type: "X509Certificate", certPem: "CERT", keyPem: "KEY" },
        labels: {},
      },
    ]);
    expect(JSON.stringify(views)).not.toMatch(/secret-token|CERT|KEY/);
    expect(clusterTable(views).split("\n")).toEqual([
      "NAME       ALIAS   CREDENTIAL            ENDPOINT           LABELS",
      "local      -       Internal              https://hub:6443   -",
      "member-1   eu      ServiceAccountToken   https://m1:6443    region=eu,tier=prod",
      "member-2   -       X509Certificate       https://m2:6443    -",
    ]);
  });
});

describe("detach and join helpers", () => {
  it("lists the applications that block a detach", () => {
    expect(
      describeUses([
        { namespace: "a", name: "web", policy: "eu", via: "selector" },
        { namespace: "b", name: "db", policy: "t", via: "name" },
      ]),
    ).toBe("a/web (policy eu, by labels), b/db (policy t, by name)");
  });

  it("binds the hub's ServiceAccount to cluster-admin and asks for a long-lived token", () => {
    const { serviceAccount, binding, secret } = serviceAccountManifests();
    expect(serviceAccount.metadata).toMatchObject({
      name: "flotilla-cluster-gateway",
      namespace: "kube-system",
    });
    expect(binding.roleRef).toEqual({
      apiGroup: "rbac.authorization.k8s.io",
      kind: "ClusterRole",
      name: "cluster-admin",
    });
    expect(binding.subjects).toEqual([
      { kind: "ServiceAccount", name: "flotilla-cluster-gateway", namespace: "kube-system" },
    ]);
    expect(secret.type).toBe("kubernetes.io/service-account-token");
    expect(secret.metadata?.annotations).toEqual({
      "kubernetes.io/service-account.name": "flotilla-cluster-gateway",
    });
  });
});
