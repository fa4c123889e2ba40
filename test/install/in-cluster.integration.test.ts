/**
 * Flotilla installed by its Helm charts, as a platform team would, on the local fleet with real
 * nodes (`flotilla fleet up --in-cluster`): the hub chart on `local` (two hub replicas and the
 * gateway as pods, the APIService), `member-1` with its agent from the agent chart on its real
 * node, `member-2` without an agent. Then: the demo applications delivered by the in-cluster hub;
 * least-privilege RBAC checked with `kubectl auth can-i`; the leading hub pod deleted (the other
 * leads within 15 s and re-applies nothing); `helm upgrade` rolling the pods without touching
 * delivered objects; `helm uninstall` leaving CRDs and delivered objects behind.
 */
import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBinaries } from "../../fleet/build/binaries.js";
import { ensureHelm } from "../../fleet/build/helm.js";
import { ensureFlotillaImage } from "../../fleet/image/flotilla-image.js";
import { chartDir, flotillaNamespace, releases, runHelm } from "../../fleet/in-cluster.js";
import { waitFor } from "../../fleet/wait.js";
import { runCli } from "../support/run-cli.js";

const exec = promisify(execFile);
const fleetConfig = `clusters:
  - name: local
    hub: true
    nodes: 1
    realNodes: 1
  - name: member-1
    nodes: 2
    realNodes: 1
    labels: { region: beijing, env: staging }
  - name: member-2
    nodes: 2
    labels: { region: shanghai, env: prod }
`;

let home: string;
let kubectlBin: string;
let helm: string;
const kubeconfig = (cluster: string): string => path.join(home, "fleet", `${cluster}.kubeconfig`);
const savedHome = process.env.FLOTILLA_HOME;

async function kubectl(cluster: string, ...args: string[]): Promise<string> {
  const { stdout } = await exec(kubectlBin, ["--kubeconfig", kubeconfig(cluster), ...args], {
    maxBuffer: 32 * 2 ** 20,
  });
  return stdout;
}

interface PodList {
  items: Array<{
    metadata: { name: string; labels?: Record<string, string> };
    status: { conditions?: Array<{ type: string; status: string }> };
  }>;
}

const isReady = (pod: PodList["items"][number]): boolean =>
  pod.status.conditions?.some((c) => c.type === "Ready" && c.status === "True") === true;

async function flotillaPods(component: string): Promise<PodList["items"]> {
  const out = await kubectl(
    ...["local", "get", "pods", "-n", flotillaNamespace, "-o", "json"],
    ...["-l", `app.kubernetes.io/component=${component}`],
  );
  return (JSON.parse(out) as PodList).items;
}

async function leaseHolder(): Promise<string> {
  const out = await kubectl(
    ...["local", "get", "lease", "flotilla-hub", "-n", "vela-system"],
    ...["-o", "jsonpath={.spec.holderIdentity}"],
  );
  return out.trim();
}

/** resourceVersions of what hello-fleet delivered to both members. */
async function deliveredVersions(): Promise<Record<string, string>> {
  const versions: Record<string, string> = {};
  for (const member of ["member-1", "member-2"]) {
    const out = await kubectl(
      ...[member, "get", "deployments,services", "-n", "default", "-o", "json"],
      ...["-l", "app.oam.dev/name=hello-fleet"],
    );
    const items = (
      JSON.parse(out) as {
        items: Array<{ kind: string; metadata: { name: string; resourceVersion: string } }>;
      }
    ).items;
    for (const item of items)
      versions[`${member}/${item.kind}/${item.metadata.name}`] = item.metadata.resourceVersion;
  }
  return versions;
}

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), "flotilla-in-cluster-"));
  process.env.FLOTILLA_HOME = home;
  kubectlBin = (await ensureBinaries()).kubectl;
  helm = await ensureHelm();
  // built once here (a cold build takes minutes), so the install test times only the install
  await ensureFlotillaImage();
}, 1_800_000);

afterAll(async () => {
  await runCli("fleet", "down");
  if (savedHome === undefined) delete process.env.FLOTILLA_HOME;
  else process.env.FLOTILLA_HOME = savedHome;
});

describe("Flotilla installed by its charts on the fleet with real nodes", () => {
  it("installs: two hub pods and the gateway Ready, the aggregated path reaches member-1 through the gateway pod", async () => {
    const config = path.join(home, "fleet.yaml");
    await writeFile(config, fleetConfig);
    const up = await runCli("fleet", "up", "--in-cluster", "--config", config);
    expect(up.code, up.err).toBe(0);
    expect(up.out).toContain(`Helm release "flotilla" in ${flotillaNamespace}`);
    const hubs = await flotillaPods("hub");
    expect(hubs.length).toBe(2);
    expect(hubs.every(isReady)).toBe(true);
    const gateways = await flotillaPods("gateway");
    expect(gateways.length).toBeGreaterThanOrEqual(1);
    expect(gateways.every(isReady)).toBe(true);
    const raw = await kubectl(
      ...["local", "get", "--raw"],
      "/apis/cluster.core.oam.dev/v1alpha1/clustergateways/member-1/proxy/api/v1/namespaces",
    );
    const names = (JSON.parse(raw) as { items: Array<{ metadata: { name: string } }> }).items.map(
      (n) => n.metadata.name,
    );
    expect(names).toContain("kube-system");
    const status = await runCli("fleet", "status");
    expect(status.out).toContain("Flotilla in-cluster: Helm release flotilla in flotilla-system");
  }, 900_000);

  it("lists member-1 Ready with its version and nodes from the charted agent; member-2 joined without one", async () => {
    const hub = kubeconfig("local");
    const view = await waitFor(
      "member-1 Ready with nodes in cluster list",
      async () => {
        const out = await runCli("cluster", "list", "-o", "json", "--kubeconfig", hub);
        const views = JSON.parse(out.out) as Array<{
          name: string;
          health: { state: string; kubernetesVersion?: string; nodes?: { total: number } };
        }>;
        const m1 = views.find((v) => v.name === "member-1");
        const ready = m1?.health.state === "Ready" && m1.health.nodes !== undefined;
        return ready ? views : undefined;
      },
      { timeoutMs: 120_000 },
    );
    const m1 = view.find((v) => v.name === "member-1");
    expect(m1?.health.kubernetesVersion).toMatch(/^v1\.36\./);
    expect(m1?.health.nodes?.total).toBe(3);
    expect(view.map((v) => v.name)).toContain("member-2");
    const agentPod = await kubectl(
      ...["member-1", "get", "pods", "-n", "vela-system", "-o"],
      "jsonpath={range .items[*]}{.spec.nodeName} {.status.phase}{end}",
    );
    expect(agentPod).toBe("member-1-real-0 Running");
  });

  it("delivers the demo applications by the in-cluster hub; status --tree shows them running", async () => {
    const hub = kubeconfig("local");
    for (const app of ["examples/hello-fleet.yaml", "examples/express-server-app.yaml"]) {
      const up = await runCli("up", "-f", app, "--wait", "--kubeconfig", hub);
      expect(up.code, `${app}: ${up.err}`).toBe(0);
    }
    const tree = await runCli("status", "hello-fleet", "--tree", "--kubeconfig", hub);
    expect(tree.code, tree.err).toBe(0);
    expect(tree.out).toContain("member-1");
    expect(tree.out).toContain("member-2");
    const phase = await kubectl(
      ...["local", "get", "application", "hello-fleet", "-n", "default"],
      ...["-o", "jsonpath={.status.status}"],
    );
    expect(phase).toBe("running");
    const replicas = await kubectl(
      ...["member-2", "get", "deployment", "hello", "-n", "default"],
      ...["-o", "jsonpath={.status.readyReplicas}"],
    );
    expect(replicas).toBe("2");
  });

  it("grants least privilege: no Secrets outside the chart's namespaces, no RBAC changes", async () => {
    for (const sa of ["flotilla-hub", "flotilla-gateway"]) {
      const as = `system:serviceaccount:${flotillaNamespace}:${sa}`;
      const can = async (...args: string[]): Promise<string> => {
        try {
          return (await kubectl("local", "auth", "can-i", ...args, "--as", as)).trim();
        } catch (error) {
          // can-i exits 1 for "no"
          return ((error as { stdout?: string }).stdout ?? "").trim();
        }
      };
      for (const ns of ["kube-system", "default"]) {
        expect(await can("get", "secrets", "-n", ns), `${sa} get secrets -n ${ns}`).toBe("no");
        expect(await can("list", "secrets", "-n", ns), `${sa} list secrets -n ${ns}`).toBe("no");
      }
      for (const kind of ["roles", "rolebindings", "clusterroles", "clusterrolebindings"]) {
        const scope = kind.startsWith("cluster") ? [] : ["-A"];
        for (const verb of ["create", "update", "escalate", "bind"])
          expect(await can(verb, kind, ...scope), `${sa} ${verb} ${kind}`).toBe("no");
      }
      expect(await can("impersonate", "users"), `${sa} impersonate`).toBe("no");
      expect(await can("*", "*", "-A"), `${sa} everything`).toBe("no");
    }
    // what they do need, so the checks above cannot pass by a wrong identity
    const hubCan = await kubectl(
      ...["local", "auth", "can-i", "patch", "applications.core.oam.dev", "--subresource=status"],
      "-A",
      ...["--as", `system:serviceaccount:${flotillaNamespace}:flotilla-hub`],
    );
    expect(hubCan.trim()).toBe("yes");
  });

  it("fails over: deleting the leading hub pod, the other leads within 15 s and re-applies nothing", async () => {
    const before = await deliveredVersions();
    expect(Object.keys(before).length).toBeGreaterThanOrEqual(4);
    const holder = await leaseHolder();
    const pods = (await flotillaPods("hub")).map((p) => p.metadata.name);
    const leader = pods.find((name) => holder.startsWith(name));
    expect(leader, `holder ${holder} among ${pods.join(", ")}`).toBeDefined();
    const deleted = Date.now();
    await kubectl(
      "local",
      "delete",
      "pod",
      String(leader),
      "-n",
      flotillaNamespace,
      "--wait=false",
    );
    const next = await waitFor(
      "another hub pod holding the Lease",
      async () => {
        const now = await leaseHolder();
        return now !== "" && !now.startsWith(String(leader)) ? now : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(Date.now() - deleted, `new leader ${next}`).toBeLessThan(15_000);
    // the new leader lists everything and reconciles each application once
    await new Promise((resolve) => setTimeout(resolve, 15_000));
    expect(await deliveredVersions()).toEqual(before);
  });

  it("upgrades by helm with a changed value: pods roll, delivered objects stay untouched", async () => {
    const before = await deliveredVersions();
    const oldPods = new Set((await flotillaPods("hub")).map((p) => p.metadata.name));
    await runHelm({ helm }, kubeconfig("local"), [
      ...["upgrade", releases.hub, chartDir("flotilla"), "-n", flotillaNamespace],
      ...["--reuse-values", "--set", "logLevel=debug", "--wait", "--timeout", "5m"],
    ]);
    const hubs = await waitFor(
      "new hub pods Ready",
      async () => {
        const pods = await flotillaPods("hub");
        const fresh = pods.filter((p) => !oldPods.has(p.metadata.name) && isReady(p));
        return fresh.length === 2 && pods.length === 2 ? pods : undefined;
      },
      { timeoutMs: 120_000 },
    );
    expect(hubs.length).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    expect(await deliveredVersions()).toEqual(before);
  }, 600_000);

  it("uninstalls the programs; the CRDs and delivered objects stay", async () => {
    const before = await deliveredVersions();
    await runHelm({ helm }, kubeconfig("local"), [
      ...["uninstall", releases.hub, "-n", flotillaNamespace, "--wait", "--timeout", "3m"],
    ]);
    const deployments = await kubectl(
      ...["local", "get", "deployments", "-n", flotillaNamespace, "-o", "name"],
    );
    expect(deployments.trim()).toBe("");
    const apiService = await kubectl(...["local", "get", "apiservices", "-o", "name"]);
    expect(apiService).not.toContain("v1alpha1.cluster.core.oam.dev");
    const crd = await kubectl("local", "get", "crd", "applications.core.oam.dev", "-o", "name");
    expect(crd.trim()).toBe(
      "customresourcedefinition.apiextensions.k8s.io/applications.core.oam.dev",
    );
    expect(await deliveredVersions()).toEqual(before);
  });
});
