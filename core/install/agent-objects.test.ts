import { describe, expect, it } from "vitest";
import { loadCrds } from "../cluster/crds.js";
import { agentIdentity, agentName, CLUSTER_REPORT_CRD } from "../cluster/agent-contract.js";
import {
  agentLease,
  agentReport,
  agentRole,
  agentRoleBinding,
  assertTokenLifetime,
  DEFAULT_TOKEN_EXPIRATION_SECONDS,
} from "./agent-objects.js";

describe("the agent's objects on the hub", () => {
  it("names the agent's objects after its cluster", () => {
    expect(agentName("edge-1")).toBe("flotilla-agent-edge-1");
    expect(agentIdentity("edge-1")).toBe("flotilla-agent/edge-1");
    expect(agentLease("edge-1")).toMatchObject({
      metadata: { name: "flotilla-agent-edge-1" },
      spec: { holderIdentity: "flotilla-agent/edge-1" },
    });
    expect(agentReport("edge-1")).toMatchObject({
      apiVersion: "cluster.flotilla.dev/v1alpha1",
      kind: "ClusterReport",
      metadata: { name: "edge-1", namespace: "vela-system" },
    });
    expect(agentRoleBinding("edge-1")).toMatchObject({
      roleRef: { kind: "Role", name: "flotilla-agent-edge-1" },
      subjects: [
        { kind: "ServiceAccount", name: "flotilla-agent-edge-1", namespace: "vela-system" },
      ],
    });
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

  it("accepts token lifetimes of whole seconds from 10 minutes, naming the input otherwise", () => {
    expect(() => assertTokenLifetime(DEFAULT_TOKEN_EXPIRATION_SECONDS, "x")).not.toThrow();
    expect(() => assertTokenLifetime(600, "x")).not.toThrow();
    expect(() => assertTokenLifetime(599, "--agent-token-ttl")).toThrow(
      /^--agent-token-ttl: a token lifetime must be whole seconds and at least 10m .*got 599 s$/,
    );
    expect(() => assertTokenLifetime(600.5, "x")).toThrow(/whole seconds/);
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
