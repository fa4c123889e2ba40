import { describe, expect, it } from "vitest";
import * as agent from "./names.js";

describe("the agent's names", () => {
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
