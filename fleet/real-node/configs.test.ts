import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  cniConfig,
  containerdConfig,
  kubeletConfig,
  kubeProxyConfig,
  nodePaths,
} from "./configs.js";
import { realNodePlan } from "./plan.js";

const plan = realNodePlan({ slot: 3, cluster: "member-1", index: 1, clusterDir: "/w/member-1" });
const paths = nodePaths(plan);

describe("real node configuration", () => {
  it("keeps every path of containerd under the node's own directories", () => {
    const toml = containerdConfig({ plan, paths, sandboxImage: "example/pause:1" });
    const quoted = [...toml.matchAll(/"(\/[^"]*)"/g)].map((m) => m[1] ?? "");
    expect(quoted.length).toBeGreaterThan(4);
    for (const p of quoted.filter((q) => !q.startsWith("/usr/")))
      expect(p.startsWith(plan.dir) || p.startsWith(plan.runDir)).toBe(true);
    expect(toml).toContain("restrict_oom_score_adj = true");
    expect(toml).toContain("netns_mounts_under_state_dir = true");
    expect(toml).toContain('sandbox = "example/pause:1"');
    expect(toml).toContain("SystemdCgroup = false");
  });

  it("gives the bridge the node's pod range and keeps IPAM state in the node", () => {
    const cni = JSON.parse(cniConfig(plan, paths)) as {
      plugins: Array<{ ipam?: { ranges: Array<Array<{ subnet: string }>>; dataDir: string } }>;
    };
    expect(cni.plugins[0]?.ipam?.ranges[0]?.[0]?.subnet).toBe("10.244.3.0/24");
    expect(cni.plugins[0]?.ipam?.dataDir.startsWith(plan.dir)).toBe(true);
  });

  it("runs the kubelet on cgroup v1 with its own root, no oom score change, and the taint", () => {
    const config = parse(kubeletConfig(plan, paths)) as Record<string, unknown>;
    expect(config).toMatchObject({
      address: "10.250.3.2",
      cgroupDriver: "cgroupfs",
      cgroupRoot: "/flt-3",
      failCgroupV1: false,
      oomScoreAdj: 0,
      containerRuntimeEndpoint: `unix://${paths.containerdSocket}`,
      registerWithTaints: [{ key: "flotilla.dev/real-node", value: "true", effect: "NoSchedule" }],
    });
  });

  it("leaves machine-wide conntrack limits to kube-proxy's defaults of 'do not touch'", () => {
    const config = parse(kubeProxyConfig(plan, paths)) as Record<string, unknown>;
    expect(config).toMatchObject({
      mode: "iptables",
      hostnameOverride: "member-1-real-1",
      clusterCIDR: "10.244.3.0/24",
      conntrack: { maxPerCore: 0, tcpEstablishedTimeout: "0s", tcpCloseWaitTimeout: "0s" },
    });
  });
});
