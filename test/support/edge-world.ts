/**
 * The edge tests' world: a fleet, the gateway registered on the hub, every member joined, one
 * agent per member (started by `startFleetAgent` with the agent's default timing, so the
 * health bounds tested are the product's), and the hub controller in-process (the hub test
 * world's `startTestHub`). Helpers read a cluster's `Ready` condition on its ClusterReport,
 * an application's service entries, run the `flotilla` CLI against the hub, and add, relabel
 * or remove an edge cluster's NodePools (with their kwok nodes) while the world runs.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import {
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
} from "@kubernetes/client-node";
import { runCli, type CliRun } from "./run-cli.js";
import { clusterRegistry } from "../../core/cluster/registry.js";
import { cueEngine } from "../../engine/cue/engine.js";
import { installCrds, loadCrds } from "../../core/cluster/crds.js";
import { parseDefinitionFile } from "../../engine/oam/definition-file.js";
import { toDefinitionResource } from "../../engine/oam/definition-resource.js";
import type { ServiceStatus } from "../../engine/oam/status.js";
import { readReport } from "./agent-world.js";
import { startFleetAgent, type FleetAgent } from "../../fleet/agent.js";
import { ensureBinaries } from "../../fleet/build/binaries.js";
import { seedPoolTaints, type Taint } from "../../fleet/config.js";
import { startFleet, type StartFleetOptions } from "../../fleet/fleet.js";
import {
  hubOf,
  kubeConfigOf,
  memberRecord,
  startFleetGateway,
  type FleetGateway,
} from "../../fleet/gateway.js";
import { clusterNodes, nodePoolLabel, nodePoolManifest } from "../../fleet/nodes.js";
import { fleetVersions } from "../../fleet/versions.js";
import { waitFor } from "../../fleet/wait.js";
import { directClients, readApp, startTestHub, type HubWorld } from "./hub-world.js";

export interface EdgeWorld extends HubWorld {
  /** The running agent of each member (replaced when a test restarts one). */
  readonly agents: Map<string, FleetAgent>;
}

const seedDir = path.join(import.meta.dirname, "..", "fixtures", "seeds", "seed-edge-nodepool");
export const seedFile = (name: string): string => path.join(seedDir, name);
const fluxCrdsDir = path.join(import.meta.dirname, "..", "fixtures", "crds", "flux");

/** Starts the world; on failure stops whatever it had started. */
export async function setUpEdgeWorld(
  clusters: NonNullable<StartFleetOptions["clusters"]>,
): Promise<EdgeWorld> {
  const fleet = await startFleet({ binaries: await ensureBinaries(), clusters });
  const agents = new Map<string, FleetAgent>();
  const stops: Array<() => Promise<void>> = [() => fleet.stop()];
  const stopAll = async (): Promise<void> => {
    for (const agent of agents.values()) await agent.stop();
    for (const stop of stops.reverse()) await stop();
  };
  try {
    const gateway: FleetGateway = await startFleetGateway({ fleet, register: true });
    stops.push(() => gateway.stop());
    const hubKc = kubeConfigOf(hubOf(fleet));
    const members = fleet.clusters.filter((c) => !c.hub);
    for (const member of members) {
      await clusterRegistry({ hub: hubKc }).create(memberRecord(member));
      agents.set(member.name, await startFleetAgent({ fleet, cluster: member.name }));
    }
    const hub = await startTestHub(hubKc);
    const world: EdgeWorld = {
      fleet,
      gateway,
      hubKc,
      hub,
      agents,
      direct: directClients(fleet),
      async stop() {
        await world.hub.stop();
        await stopAll();
      },
    };
    return world;
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Installs the stand-in Flux CRDs (HelmRelease, HelmRepository) on a member. */
export async function installFluxCrds(world: EdgeWorld, cluster: string): Promise<void> {
  const crds = await loadCrds(fluxCrdsDir);
  await installCrds({ kubeconfig: kubeConfigOf(world.fleet.cluster(cluster)), crds });
}

/** Creates the seed's trait definitions (`.cue` files) on the hub, in `vela-system`. */
export async function installSeedTraits(world: EdgeWorld, files: readonly string[]) {
  const engine = await cueEngine();
  const api = world.hubKc.makeApiClient(CustomObjectsApi);
  for (const file of files) {
    const definition = parseDefinitionFile(engine, await readFile(seedFile(file), "utf8"), file);
    await api.createNamespacedCustomObject({
      group: "core.oam.dev",
      version: "v1beta1",
      namespace: "vela-system",
      plural: "traitdefinitions",
      body: toDefinitionResource(definition),
    });
  }
}

/** The `Ready` condition the hub wrote on a cluster's ClusterReport. */
export interface ReadyCondition {
  readonly status: string;
  readonly reason: string;
  readonly message: string;
  readonly lastTransitionTime: string;
}

export async function readyCondition(
  world: EdgeWorld,
  cluster: string,
): Promise<ReadyCondition | undefined> {
  const { conditions } = await readReport(world.fleet, cluster);
  return (conditions as Array<ReadyCondition & { type: string }> | undefined)?.find(
    (c) => c.type === "Ready",
  );
}

/** Waits (up to 90 s) until the cluster's `Ready` condition has `status` (and `reason`). */
export function conditionIs(
  world: EdgeWorld,
  cluster: string,
  status: string,
  reason?: string,
): Promise<ReadyCondition> {
  return waitFor(
    `${cluster} Ready=${status}${reason === undefined ? "" : ` (${reason})`}`,
    async () => {
      const c = await readyCondition(world, cluster);
      const ok = c?.status === status && (reason === undefined || c.reason === reason);
      return ok ? c : undefined;
    },
    { timeoutMs: 90_000, intervalMs: 250 },
  );
}

/** The application's service entries (for its current generation), or undefined. */
export async function servicesOf(
  world: EdgeWorld,
  name: string,
  namespace = "default",
): Promise<readonly ServiceStatus[] | undefined> {
  const app = await readApp(world, namespace, name);
  const status = app?.status;
  if (status === undefined || status.observedGeneration !== app?.metadata.generation) return;
  return status.services;
}

/** Runs `flotilla <args>` against the hub (its admin kubeconfig); returns code and output. */
export function flotilla(world: EdgeWorld, ...args: string[]): Promise<CliRun> {
  return runCli(...args, "--kubeconfig", hubOf(world.fleet).kubeconfigFile);
}

/** A direct admin kubeconfig of a fleet cluster (not through the gateway). */
export const memberKubeConfig = (world: EdgeWorld, cluster: string): KubeConfig =>
  kubeConfigOf(world.fleet.cluster(cluster));

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const nodePools = { group: "apps.openyurt.io", version: "v1beta1", plural: "nodepools" };
const mergePatch = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

/** A NodePool added to a running edge cluster (`addNodePool`). */
export interface NewNodePool {
  readonly name: string;
  /** kwok nodes `<cluster>-<pool>-<i>`; default 1. */
  readonly nodes?: number;
  /** Labels of the NodePool object (what `nodePoolSelector` matches). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Default: the seed's taint, as the fleet gives its pools. */
  readonly taints?: readonly Taint[];
}

/**
 * Adds a NodePool to a running edge cluster (whose NodePool CRD the fleet installed) with its
 * kwok nodes, labelled and tainted as the fleet's own pool nodes; resolves with the node names
 * once every node is Ready.
 */
export async function addNodePool(
  world: EdgeWorld,
  cluster: string,
  pool: NewNodePool,
): Promise<string[]> {
  const kc = memberKubeConfig(world, cluster);
  const spec = {
    name: pool.name,
    nodes: pool.nodes ?? 1,
    type: "Edge" as const,
    taints: pool.taints ?? seedPoolTaints(pool.name),
  };
  const manifest = nodePoolManifest(spec);
  const body = { ...manifest, metadata: { name: pool.name, labels: { ...pool.labels } } };
  await kc.makeApiClient(CustomObjectsApi).createClusterCustomObject({ ...nodePools, body });
  const nodes = clusterNodes({ name: cluster, nodes: 0, pools: [spec] }, fleetVersions.kubernetes);
  const core = kc.makeApiClient(CoreV1Api);
  for (const node of nodes) await core.createNode({ body: node });
  const names = nodes.map((n) => n.metadata.name);
  await waitFor(
    `${cluster}: pool ${pool.name}'s nodes Ready`,
    async () => {
      const list = await core.listNode({ labelSelector: `${nodePoolLabel}=${pool.name}` });
      const ready = list.items.filter((n) =>
        n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
      );
      return ready.length === names.length ? true : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 250 },
  );
  return names;
}

/** Merge-patches a NodePool's labels (a `null` value removes that label). */
export async function patchNodePoolLabels(
  world: EdgeWorld,
  cluster: string,
  pool: string,
  labels: Readonly<Record<string, string | null>>,
): Promise<void> {
  const body = { metadata: { labels } };
  await memberKubeConfig(world, cluster)
    .makeApiClient(CustomObjectsApi)
    .patchClusterCustomObject({ ...nodePools, name: pool, body }, mergePatch);
}

/** Deletes a NodePool and the nodes carrying its pool label, as when a site is taken down. */
export async function removeNodePool(world: EdgeWorld, cluster: string, pool: string) {
  const kc = memberKubeConfig(world, cluster);
  await kc.makeApiClient(CustomObjectsApi).deleteClusterCustomObject({ ...nodePools, name: pool });
  const core = kc.makeApiClient(CoreV1Api);
  const list = await core.listNode({ labelSelector: `${nodePoolLabel}=${pool}` });
  for (const node of list.items) await core.deleteNode({ name: node.metadata?.name ?? "" });
}
