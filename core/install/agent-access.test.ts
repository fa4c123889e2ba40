import { KubeConfig } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadCrds } from "../cluster/crds.js";
import {
  agentIdentity,
  agentKubeconfig,
  agentName,
  agentRole,
  CLUSTER_REPORT_CRD,
} from "./agent-access.js";

describe("agent access", () => {
  it("names the agent's objects after its cluster", () => {
    expect(agentName("edge-1")).toBe("flotilla-agent-edge-1");
    expect(agentIdentity("edge-1")).toBe("flotilla-agent/edge-1");
  });

  it("allows only the agent's own Lease, ClusterReport and token, never create or list", () => {
    const role = agentRole("edge-1");
    expect(role.metadata?.namespace).toBe("vela-system");
    expect(role.rules).toEqual([
      expect.objectContaining({ resources: ["leases"], resourceNames: ["flotilla-agent-edge-1"] }),
      expect.objectContaining({ resources: ["clusterreports"], resourceNames: ["edge-1"] }),
      expect.objectContaining({ resources: ["clusterreports/status"], resourceNames: ["edge-1"] }),
      expect.objectContaining({
        resources: ["serviceaccounts/token"],
        resourceNames: ["flotilla-agent-edge-1"],
        verbs: ["create"],
      }),
    ]);
    for (const rule of role.rules ?? []) {
      expect(rule.resourceNames?.length).toBe(1);
      expect(rule.verbs).not.toContain("list");
      expect(rule.verbs).not.toContain("watch");
    }
    const verbs = (resource: string) =>
      role.rules?.find((r) => r.resources?.[0] === resource)?.verbs;
    expect(verbs("leases")).not.toContain("create");
    expect(verbs("clusterreports")).toEqual(["get"]);
  });

  it("builds a hub kubeconfig with the token and the hub's CA", () => {
    const hub = new KubeConfig();
    hub.loadFromOptions({
      clusters: [{ name: "h", server: "https://127.0.0.1:6443", caData: "Q0E=" }],
      users: [{ name: "admin", token: "admin-token" }],
      contexts: [{ name: "h", cluster: "h", user: "admin" }],
      currentContext: "h",
    });
    const text = agentKubeconfig(hub, "edge-1", "agent-token");
    expect(text).not.toContain("admin-token");
    const kc = new KubeConfig();
    kc.loadFromString(text);
    expect(kc.getCurrentCluster()).toMatchObject({
      server: "https://127.0.0.1:6443",
      caData: "Q0E=",
    });
    expect(kc.getCurrentUser()).toMatchObject({
      name: "flotilla-agent-edge-1",
      token: "agent-token",
    });
    expect(
      (parse(text) as { contexts: [{ context: { namespace: string } }] }).contexts[0].context
        .namespace,
    ).toBe("vela-system");
  });

  it("ships the ClusterReport CRD in the chart, with a status subresource", async () => {
    const crd = (await loadCrds()).find((c) => c.metadata?.name === CLUSTER_REPORT_CRD);
    expect(crd?.spec.scope).toBe("Namespaced");
    expect(crd?.spec.names.kind).toBe("ClusterReport");
    expect(crd?.spec.versions.map((v) => [v.name, v.served, v.storage])).toEqual([
      ["v1alpha1", true, true],
    ]);
    expect(crd?.spec.versions[0]?.subresources?.status).toEqual({});
  });
});
