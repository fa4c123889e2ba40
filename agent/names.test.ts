import { describe, expect, it } from "vitest";
import * as core from "../core/cluster/agent-access.js";
import * as agent from "./names.js";

describe("the agent's names", () => {
  it("are the hub's (core/cluster/agent-access.ts)", () => {
    expect(agent.AGENT_NAMESPACE).toBe(core.AGENT_NAMESPACE);
    expect(agent.CLUSTER_REPORT).toEqual(core.CLUSTER_REPORT);
    expect(agent.agentName("edge-1")).toBe(core.agentName("edge-1"));
    expect(agent.agentIdentity("edge-1")).toBe(core.agentIdentity("edge-1"));
  });

  it("make the API paths the Role allows", () => {
    expect(agent.leasePath("edge-1")).toBe(
      "/apis/coordination.k8s.io/v1/namespaces/vela-system/leases/flotilla-agent-edge-1",
    );
    expect(agent.reportPath("edge-1")).toBe(
      "/apis/cluster.flotilla.dev/v1alpha1/namespaces/vela-system/clusterreports/edge-1",
    );
    expect(agent.tokenPath("edge-1")).toBe(
      "/api/v1/namespaces/vela-system/serviceaccounts/flotilla-agent-edge-1/token",
    );
  });
});
