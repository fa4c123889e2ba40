import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { AGENT_SECRET } from "../cluster/agent-contract.js";
import { agentKubeconfig, agentSecret, writeAgentKubeconfig } from "./agent-kubeconfig.js";

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe("the agent's hub kubeconfig", () => {
  it("holds the token and the hub's CA, never the admin credential", () => {
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

  it("goes into the member Secret vela-system/flotilla-agent-hub-kubeconfig", () => {
    const secret = agentSecret("edge-1", "KUBECONFIG");
    expect(secret.metadata).toMatchObject({
      namespace: "vela-system",
      name: "flotilla-agent-hub-kubeconfig",
      labels: { "cluster.flotilla.dev/cluster": "edge-1" },
    });
    expect(secret.stringData).toEqual({ kubeconfig: "KUBECONFIG", cluster: "edge-1" });
    expect(AGENT_SECRET.kubeconfigKey).toBe("kubeconfig");
  });

  it("is written readable by its owner only, also over an existing file", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "flotilla-agent-kc-"));
    dirs.push(dir);
    const file = path.join(dir, "sub", "agent.kubeconfig");
    await writeAgentKubeconfig(file, "one");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const existing = path.join(dir, "existing");
    await writeFile(existing, "old", { mode: 0o644 });
    await writeAgentKubeconfig(existing, "two");
    expect((await stat(existing)).mode & 0o777).toBe(0o600);
    expect(await readFile(existing, "utf8")).toBe("two");
  });
});
