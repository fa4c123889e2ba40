/**
 * `flotilla fleet up`: starts the local fleet in the background (detached processes), writes
 * kubeconfigs to `<fleetDir>/<cluster>.kubeconfig` and the fleet's state file, starts the
 * cluster gateway next to the hub (registered as the hub's aggregated APIService), registers
 * the members on the hub with their labels, starts the hub controller, and prints how to reach
 * each cluster.
 */
import { readFile } from "node:fs/promises";
import { ensureBinaries } from "../../fleet/build/binaries.js";
import {
  defaultFleetConfig,
  nodeCount,
  parseFleetConfig,
  type ClusterSpec,
} from "../../fleet/config.js";
import { startFleet, type Fleet } from "../../fleet/fleet.js";
import { joinFleetMembers, startFleetGateway, type FleetGateway } from "../../fleet/gateway.js";
import { startFleetAgent, type FleetAgent } from "../../fleet/agent.js";
import { startFleetHub, type FleetHub } from "../../fleet/hub.js";
import { isAlive, releaseProcesses } from "../../fleet/processes.js";
import type { CliConfig } from "../config.js";
import { CliError, type Output } from "../output.js";
import { formatTable } from "../table.js";
import { readFleetState, statePids, writeFleetState, type FleetState } from "./state.js";
import { installInCluster, type InClusterInstall } from "./up-in-cluster.js";

export interface UpOptions {
  readonly config?: string;
  /** Install Flotilla by its Helm charts instead of starting it as processes. */
  readonly inCluster?: boolean;
}

export async function fleetUp(cli: CliConfig, options: UpOptions, io: Output): Promise<void> {
  const previous = await readFleetState(cli.fleetDir);
  if (previous !== undefined && statePids(previous).some(isAlive)) {
    throw new CliError(
      `a fleet is already running (started ${previous.startedAt}); run "flotilla fleet down" first`,
    );
  }
  const config =
    options.config === undefined
      ? defaultFleetConfig
      : parseFleetConfig(await readFile(options.config, "utf8"));
  const binaries = await ensureBinaries({ log: io.err });
  const started = Date.now();
  const fleet = await startFleet({
    clusters: config.clusters,
    binaries,
    detached: true,
    // real nodes can run Flotilla itself as pods (the image is built on first use)
    flotillaImage: true,
    inClusterPrograms: options.inCluster === true,
    kubeconfigDir: cli.fleetDir,
    log: io.err,
  });
  if (options.inCluster === true) {
    await upInCluster(cli, fleet, io);
    printReady(io, fleet, binaries.kubectl, started);
    printInCluster(io, fleet, (await readFleetState(cli.fleetDir))?.inCluster);
    return;
  }
  const services = await startServices(fleet, io);
  await writeFleetState(cli.fleetDir, stateOf(fleet, services));
  const { gateway } = services;
  const example = printReady(io, fleet, binaries.kubectl, started);
  if (gateway !== undefined) printGateway(io, fleet, gateway, example?.name ?? "member-1");
  io.out(`Logs: ${fleet.logDir}`);
  io.out(`Stop with: flotilla fleet down`);
}

/** Installs Flotilla by its charts into the started fleet; on failure stops the fleet. */
async function upInCluster(cli: CliConfig, fleet: Fleet, io: Output): Promise<void> {
  // the install takes minutes: record the fleet first, so `fleet down` stops it if cut short
  await writeFleetState(cli.fleetDir, stateOf(fleet, { agents: [] }));
  const installed = await installInCluster(fleet, io).catch(async (error: unknown) => {
    await fleet.stop();
    throw error;
  });
  await writeFleetState(cli.fleetDir, { ...stateOf(fleet, { agents: [] }), inCluster: installed });
}

/** The table of clusters and how to use one; returns the example cluster. */
function printReady(io: Output, fleet: Fleet, kubectl: string, started: number) {
  io.out(`Fleet ready in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
  io.out(
    formatTable(
      ["NAME", "ROLE", "SERVER", "NODES", "POOLS", "KUBECONFIG"],
      fleet.clusters.map((c) => [
        c.name,
        c.hub ? "hub" : "member",
        c.server,
        nodesColumn(c.spec),
        c.spec.pools.map((p) => p.name).join(",") || "-",
        c.kubeconfigFile,
      ]),
    ),
  );
  const example = fleet.clusters.find((c) => !c.hub) ?? fleet.clusters[0];
  io.out(`\nUse a cluster with kubectl (built with the fleet: ${kubectl}):`);
  io.out(`  kubectl --kubeconfig ${example?.kubeconfigFile} get nodes`);
  return example;
}

function printInCluster(io: Output, fleet: Fleet, installed?: InClusterInstall): void {
  if (installed === undefined) return;
  const hub = fleet.clusters.find((c) => c.hub)?.kubeconfigFile ?? "<hub kubeconfig>";
  io.out(
    `\nFlotilla runs in the hub cluster: Helm release "${installed.release}" in ${installed.namespace}` +
      (installed.agents.length > 0
        ? `; agents (chart flotilla-agent) on ${installed.agents.join(", ")}`
        : ""),
  );
  io.out(`  kubectl --kubeconfig ${hub} -n ${installed.namespace} get pods`);
  io.out(`  flotilla cluster list`);
  io.out(`Stop with: flotilla fleet down`);
}

/** `3` for kwok nodes only, `3 (1 real)` with real nodes. */
function nodesColumn(spec: ClusterSpec): string {
  const total = nodeCount(spec) + spec.realNodes;
  return spec.realNodes > 0 ? `${total} (${spec.realNodes} real)` : String(total);
}

function printGateway(io: Output, fleet: Fleet, gateway: FleetGateway, member: string): void {
  const hub = fleet.clusters.find((c) => c.hub)?.kubeconfigFile ?? "<hub kubeconfig>";
  io.out(`\nThe gateway (${gateway.url}) is the hub's aggregated API; through it, for example:`);
  io.out(
    `  kubectl --kubeconfig ${hub} get --raw /apis/cluster.core.oam.dev/v1alpha1/clustergateways/${member}/proxy/api/v1/namespaces`,
  );
  io.out(`  flotilla cluster list`);
}

/**
 * Starts the gateway, then registers the members (the registry lives on the hub). A fleet
 * without a hub has neither.
 */
async function withGateway(fleet: Fleet, io: Output): Promise<FleetGateway | undefined> {
  if (!fleet.clusters.some((c) => c.hub)) return undefined;
  const gateway = await startFleetGateway({ fleet, detached: true, log: io.err });
  try {
    const joined = await joinFleetMembers(fleet);
    io.err(`registered on the hub: ${joined.join(", ") || "no members"}`);
    return gateway;
  } catch (error) {
    await gateway.stop();
    throw error;
  }
}

/**
 * The gateway, the hub controller and one agent per member, handed over to outlive `up`; on
 * failure all is stopped.
 */
async function startServices(
  fleet: Fleet,
  io: Output,
): Promise<{ gateway?: FleetGateway; hub?: FleetHub; agents: FleetAgent[] }> {
  const gateway = await withGateway(fleet, io).catch(async (error: unknown) => {
    await fleet.stop();
    throw error;
  });
  const hub = await withHub(fleet, gateway, io).catch(async (error: unknown) => {
    await gateway?.stop();
    await fleet.stop();
    throw error;
  });
  const agents = await withAgents(fleet, hub, io).catch(async (error: unknown) => {
    await hub?.stop();
    await gateway?.stop();
    await fleet.stop();
    throw error;
  });
  releaseProcesses(
    [gateway?.process.pid, hub?.process.pid, ...agents.map((a) => a.process.pid)].filter(
      (p) => p !== undefined,
    ),
  );
  return {
    ...(gateway === undefined ? {} : { gateway }),
    ...(hub === undefined ? {} : { hub }),
    agents,
  };
}

/** Starts the hub controller once the gateway serves the hub (no gateway, no controller). */
async function withHub(
  fleet: Fleet,
  gateway: FleetGateway | undefined,
  io: Output,
): Promise<FleetHub | undefined> {
  if (gateway === undefined) return undefined;
  return startFleetHub({ fleet, detached: true, log: io.err });
}

/** One agent per member once the hub controller runs; a failure stops those started. */
async function withAgents(
  fleet: Fleet,
  hub: FleetHub | undefined,
  io: Output,
): Promise<FleetAgent[]> {
  if (hub === undefined) return [];
  const agents: FleetAgent[] = [];
  try {
    for (const member of fleet.clusters.filter((c) => !c.hub)) {
      agents.push(
        await startFleetAgent({ fleet, cluster: member.name, detached: true, log: io.err }),
      );
    }
  } catch (error) {
    await Promise.all(agents.map((a) => a.stop()));
    throw error;
  }
  return agents;
}

function stateOf(
  fleet: Fleet,
  programs: { gateway?: FleetGateway; hub?: FleetHub; agents: readonly FleetAgent[] },
): FleetState {
  const { gateway, hub } = programs;
  return {
    version: 1,
    startedAt: new Date().toISOString(),
    workDir: fleet.workDir,
    logDir: fleet.logDir,
    etcdPid: fleet.etcd.pid,
    ...(gateway === undefined
      ? {}
      : {
          gateway: { pid: gateway.process.pid, url: gateway.url, logFile: gateway.process.logFile },
        }),
    ...(hub === undefined
      ? {}
      : {
          hubController: {
            pid: hub.process.pid,
            metricsUrl: hub.metricsUrl,
            logFile: hub.process.logFile,
          },
        }),
    agents: programs.agents.map((a) => ({
      cluster: a.cluster,
      pid: a.process.pid,
      logFile: a.process.logFile,
    })),
    clusters: fleet.clusters.map((c) => ({
      name: c.name,
      hub: c.hub,
      server: c.server,
      kubeconfigFile: c.kubeconfigFile,
      nodes: nodeCount(c.spec),
      pools: c.spec.pools.map((p) => p.name),
      pids: c.processes.map((p) => p.pid),
    })),
  };
}
