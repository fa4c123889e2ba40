/**
 * Flotilla installed into the local fleet by its own Helm charts, as a platform team installs
 * it (`flotilla fleet up --in-cluster`, the install tests): the hub chart on the hub cluster,
 * whose pods run on the hub's real node, the members registered at the addresses pods reach
 * them by (their relays inside real nodes), and the agent chart on each member that has a real
 * node. Helm is the one built from its Go module (build/helm.ts); the image is the one built
 * here and loaded into every real node, so nothing is pulled.
 */
import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { assetRoot } from "../core/assets.js";
import type { Fleet } from "./fleet.js";
import { joinFleetMembers } from "./gateway.js";
import { fleetRelayAddress, realNodeTaint, relayPort } from "./real-node/plan.js";

const exec = promisify(execFile);

/** The namespace the hub chart is installed into (the install guide's). */
export const flotillaNamespace = "flotilla-system";
/** The release names of the two charts. */
export const releases = { hub: "flotilla", agent: "flotilla-agent" } as const;

export interface HelmRun {
  /** The helm binary. */
  readonly helm: string;
  readonly log?: (line: string) => void;
}

/** Runs helm against one fleet cluster; rejects with helm's own message. */
export async function runHelm(
  run: HelmRun,
  kubeconfig: string,
  args: readonly string[],
): Promise<string> {
  try {
    const { stdout } = await exec(run.helm, [...args, "--kubeconfig", kubeconfig], {
      maxBuffer: 64 * 2 ** 20,
      env: {
        ...process.env,
        HELM_CACHE_HOME: helmHome("cache"),
        HELM_CONFIG_HOME: helmHome("config"),
        HELM_DATA_HOME: helmHome("data"),
      },
    });
    return stdout;
  } catch (error) {
    const detail = (error as { stderr?: string }).stderr?.trim() ?? String(error);
    throw new Error(`helm ${args.slice(0, 2).join(" ")} failed: ${detail}`);
  }
}

/** Helm's own directories, kept out of the user's home configuration. */
function helmHome(kind: string): string {
  return path.join(
    process.env.XDG_CACHE_HOME ?? path.join(process.env.HOME ?? "/tmp", ".cache"),
    "flotilla",
    "helm",
    kind,
  );
}

/** Where the charts are: the repository's (or the installed package's) `charts/`. */
export const chartDir = (name: string): string => path.join(assetRoot(), "charts", name);

/** Pods of the fleet's programs go to real nodes, which carry a taint nothing else tolerates. */
export const realNodePlacement = {
  nodeSelector: { type: "real" },
  tolerations: [{ key: realNodeTaint.key, operator: "Exists", effect: realNodeTaint.effect }],
} as const;

/** The image values of both charts for an image loaded into the nodes (never pulled). */
export function imageValues(tag: string): Record<string, string> {
  const at = tag.lastIndexOf(":");
  return { repository: tag.slice(0, at), tag: tag.slice(at + 1), pullPolicy: "Never" };
}

/** The hub chart's values on the local fleet (pure). */
export function hubChartValues(imageTag: string): Record<string, unknown> {
  return {
    image: imageValues(imageTag),
    // the demo's express-server-app has no topology: it goes to the hub cluster itself
    hub: { ...realNodePlacement, localDelivery: { enabled: true } },
    gateway: { ...realNodePlacement },
  };
}

/** The agent chart's values for one member (pure): the provisioned ones plus placement. */
export function agentChartValues(
  imageTag: string,
  provisioned: Record<string, unknown>,
): Record<string, unknown> {
  return { ...provisioned, image: imageValues(imageTag), ...realNodePlacement };
}

/** A member's API server as pods on real nodes reach it: its relay address. */
export const inClusterEndpoint = (index: number): string =>
  `https://${fleetRelayAddress(index)}:${relayPort}`;

export interface InstallHubOptions extends HelmRun {
  readonly fleet: Fleet;
  readonly imageTag: string;
  /** Extra `--set` style values merged last (tests change a value to upgrade). */
  readonly values?: Record<string, unknown>;
  readonly timeout?: string;
}

async function valuesFile(fleet: Fleet, name: string, values: object): Promise<string> {
  const dir = path.join(fleet.workDir, "helm");
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name}.values.json`);
  await writeFile(file, JSON.stringify(values, null, 2), { mode: 0o600 });
  return file;
}

/** `helm upgrade --install` of the hub chart on the hub cluster; waits for its pods. */
export async function installHubChart(options: InstallHubOptions): Promise<void> {
  const hub = options.fleet.clusters.find((c) => c.hub);
  if (hub === undefined) throw new Error("the fleet has no hub cluster to install Flotilla into");
  const values = { ...hubChartValues(options.imageTag), ...(options.values ?? {}) };
  const file = await valuesFile(options.fleet, releases.hub, values);
  options.log?.(`[in-cluster] helm install ${releases.hub} into ${hub.name}/${flotillaNamespace}`);
  await runHelm(options, hub.kubeconfigFile, [
    ...["upgrade", "--install", releases.hub, chartDir("flotilla")],
    ...["-n", flotillaNamespace, "--create-namespace", "-f", file],
    ...["--wait", "--timeout", options.timeout ?? "5m"],
  ]);
}

/** Registers the members at the addresses the gateway pods reach them by. */
export function joinMembersInCluster(fleet: Fleet): Promise<string[]> {
  return joinFleetMembers(fleet, (_, index) => inClusterEndpoint(index));
}

export interface InstallAgentOptions extends HelmRun {
  readonly fleet: Fleet;
  readonly cluster: string;
  readonly imageTag: string;
  /** The values `flotilla cluster agent-access --agent-values` writes (clusterName, hub). */
  readonly provisioned: Record<string, unknown>;
  readonly timeout?: string;
}

/** `helm upgrade --install` of the agent chart on one member; waits for its pod. */
export async function installAgentChart(options: InstallAgentOptions): Promise<void> {
  const member = options.fleet.cluster(options.cluster);
  const values = agentChartValues(options.imageTag, options.provisioned);
  const file = await valuesFile(options.fleet, `${releases.agent}-${options.cluster}`, values);
  options.log?.(`[in-cluster] helm install ${releases.agent} into ${member.name}/vela-system`);
  await runHelm(options, member.kubeconfigFile, [
    ...["upgrade", "--install", releases.agent, chartDir("flotilla-agent")],
    ...["-n", "vela-system", "--create-namespace", "-f", file],
    ...["--wait", "--timeout", options.timeout ?? "3m"],
  ]);
}
