import { KubeConfig } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { AGENT_BOOTSTRAP_SECRET } from "../cluster/agent-contract.js";
import {
  bootstrapRole,
  bootstrapRoleBinding,
  bootstrapServiceAccount,
  bootstrapTokenSecret,
} from "./agent-bootstrap-objects.js";
import {
  agentBootstrapKubeconfig,
  agentBootstrapSecret,
  agentChartValues,
} from "./agent-kubeconfig.js";

describe("the agent's bootstrap identity", () => {
  it("may only mint tokens for the agent's own working ServiceAccount", () => {
    expect(bootstrapServiceAccount("edge-1").metadata).toMatchObject({
      name: "flotilla-agent-edge-1-bootstrap",
      namespace: "vela-system",
    });
    expect(bootstrapRole("edge-1").rules).toEqual([
      {
        apiGroups: [""],
        resources: ["serviceaccounts/token"],
        resourceNames: ["flotilla-agent-edge-1"],
        verbs: ["create"],
      },
    ]);
    expect(bootstrapRoleBinding("edge-1")).toMatchObject({
      roleRef: { kind: "Role", name: "flotilla-agent-edge-1-bootstrap" },
      subjects: [
        {
          kind: "ServiceAccount",
          name: "flotilla-agent-edge-1-bootstrap",
          namespace: "vela-system",
        },
      ],
    });
  });

  it("gets its long-lived token from the token controller through an annotated Secret", () => {
    expect(bootstrapTokenSecret("edge-1")).toMatchObject({
      type: "kubernetes.io/service-account-token",
      metadata: {
        name: "flotilla-agent-edge-1-bootstrap-token",
        namespace: "vela-system",
        annotations: { "kubernetes.io/service-account.name": "flotilla-agent-edge-1-bootstrap" },
      },
    });
  });

  it("is handed over as the chart's values and the member Secret flotilla-agent-hub-bootstrap", () => {
    const hub = new KubeConfig();
    hub.loadFromOptions({
      clusters: [{ name: "h", server: "https://127.0.0.1:6443", caData: "Q0E=" }],
      users: [{ name: "admin", token: "admin-token" }],
      contexts: [{ name: "h", cluster: "h", user: "admin" }],
      currentContext: "h",
    });
    const kubeconfig = agentBootstrapKubeconfig(hub, "edge-1", "boot", "https://hub.example:6443");
    expect(kubeconfig).not.toContain("admin-token");
    const kc = new KubeConfig();
    kc.loadFromString(kubeconfig);
    expect(kc.getCurrentCluster()?.server).toBe("https://hub.example:6443");
    expect(kc.getCurrentUser()).toMatchObject({
      name: "flotilla-agent-edge-1-bootstrap",
      token: "boot",
    });
    const values = agentChartValues("edge-1", kubeconfig);
    expect(values).toContain("bootstrapKubeconfig: |");
    expect(parse(values)).toEqual({
      clusterName: "edge-1",
      hub: { bootstrapKubeconfig: kubeconfig },
    });
    const secret = agentBootstrapSecret("edge-1", kubeconfig);
    expect(secret.metadata).toMatchObject({
      name: "flotilla-agent-hub-bootstrap",
      namespace: "vela-system",
    });
    expect(secret.stringData).toEqual({ "bootstrap-kubeconfig": kubeconfig, cluster: "edge-1" });
    expect(AGENT_BOOTSTRAP_SECRET.kubeconfigKey).toBe("bootstrap-kubeconfig");
  });
});
