import { describe, expect, it } from "vitest";
import { agentPlan } from "./agent-flags.js";
import { helmInstallHint, statusOutput } from "./agent-bootstrap.js";

describe("the agent chart hint", () => {
  it("installs the chart with the values file in the member's context", () => {
    expect(helmInstallHint("member-1", { valuesFile: "/tmp/v.yaml" }, "kind-member-1")).toBe(
      "helm install flotilla-agent charts/flotilla-agent -n vela-system --create-namespace " +
        "-f /tmp/v.yaml --kube-context kind-member-1",
    );
  });

  it("or with the member Secret, naming the context it does not know", () => {
    expect(helmInstallHint("edge-1", { existingSecret: "flotilla-agent-hub-bootstrap" })).toBe(
      "helm install flotilla-agent charts/flotilla-agent -n vela-system --create-namespace " +
        "--set clusterName=edge-1 --set hub.existingSecret=flotilla-agent-hub-bootstrap " +
        "--kube-context <kube-context of edge-1>",
    );
  });

  it("sends status lines to stderr when stdout carries values or a kubeconfig", () => {
    const io = { out: (_: string) => undefined, err: (_: string) => undefined };
    expect(statusOutput(io, agentPlan({ agentValues: "-" })).out).toBe(io.err);
    expect(statusOutput(io, agentPlan({})).out).toBe(io.err);
    expect(statusOutput(io, agentPlan({ agentValues: "v.yaml" })).out).toBe(io.out);
    expect(statusOutput(io, undefined).out).toBe(io.out);
  });
});
