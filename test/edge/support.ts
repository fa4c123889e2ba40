/**
 * The edge tests' world: a fleet, the gateway registered on the hub, every member joined, one
 * agent per member (started by `startFleetAgent` with the agent's default timing, so the
 * health bounds tested are the product's), and the hub controller in-process (the hub test
 * world's `startTestHub`). Helpers read a cluster's `Ready` condition on its ClusterReport,
 * an application's service entries, and run the `flotilla` CLI against the hub.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { CustomObjectsApi, type KubeConfig } from "@kubernetes/client-node";
import { runCli, type CliRun } from "../render/run-cli.js";
import { clusterRegistry } from "../../core/cluster/registry.js";
import { cueEngine } from "../../core/cue/engine.js";
import { installCrds, loadCrds } from "../../core/oam/crds.js";
import { parseDefinitionFile } from "../../core/oam/definition-file.js";
import { toDefinitionResource } from "../../core/oam/definition-resource.js";
import type { ServiceStatus } from "../../core/oam/status.js";
import { readReport } from "../agent/support.js";
import { startFleetAgent, type FleetAgent } from "../fleet/agent.js";
import { ensureBinaries } from "../fleet/build/binaries.js";
import { startFleet, type StartFleetOptions } from "../fleet/fleet.js";
import {
  hubOf,
  kubeConfigOf,
  memberRecord,
  startFleetGateway,
  type FleetGateway,
} from "../fleet/gateway.js";
import { waitFor } from "../fleet/wait.js";
import { directClients, readApp, startTestHub, type HubWorld } from "../hub/hub-support.js";

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
