/**
 * `flotilla fleet status`: probes each cluster of the running fleet (API readiness, version,
 * Ready nodes, and real vs kwok nodes) and prints one line per cluster. NODES is `ready/total`,
 * then ` (R real, K kwok)` when kwok simulates any node, as in `flotilla cluster list`.
 * Returns false when any cluster is not ready.
 */
import { endpointFromKubeconfig, readKubeconfig } from "../../fleet/kubeconfig.js";
import { nodesCell } from "../../core/cluster/node-kind.js";
import { NO_NODES, probeCluster, type ClusterProbe } from "../../fleet/probe.js";
import { isAlive } from "../../fleet/processes.js";
import type { CliConfig } from "../config.js";
import { formatTable } from "../table.js";
import { readFleetState, type FleetState, type FleetStateCluster } from "./state.js";
import type { Output } from "../output.js";

/** The table's columns. */
const STATUS_HEADER = ["NAME", "ROLE", "STATUS", "VERSION", "NODES", "POOLS", "SERVER"];

/** One cluster's row (pure); NODES as `flotilla cluster list` shows it (`nodesCell`). */
export function statusRow(cluster: FleetStateCluster, probe: ClusterProbe): string[] {
  return [
    cluster.name,
    cluster.hub ? "hub" : "member",
    probe.ready ? "Ready" : "NotReady",
    probe.version ?? "-",
    nodesCell(probe.nodes),
    cluster.pools.join(",") || "-",
    cluster.server,
  ];
}

export async function fleetStatus(cli: CliConfig, io: Output): Promise<boolean> {
  const state = await readFleetState(cli.fleetDir);
  if (state === undefined) {
    io.out('No fleet is running. Start one with "flotilla fleet up".');
    return false;
  }
  const rows = await Promise.all(
    state.clusters.map(async (c) => {
      const probe = await readKubeconfig(c.kubeconfigFile)
        .then((k) => probeCluster(endpointFromKubeconfig(k)))
        .catch((error: Error): ClusterProbe => ({
          ready: false,
          nodes: NO_NODES,
          error: error.message,
        }));
      return { row: statusRow(c, probe), ready: probe.ready };
    }),
  );
  io.out(
    formatTable(
      STATUS_HEADER,
      rows.map((r) => r.row),
    ),
  );
  const programsUp = printPrograms(state, io);
  io.out(`\nStarted ${state.startedAt}; logs in ${state.logDir}`);
  return programsUp && rows.every((r) => r.ready);
}

/** The gateway, hub controller and agents lines; false when any of them stopped. */
function printPrograms(state: FleetState, io: Output): boolean {
  const lines: string[] = [];
  let up = true;
  const check = (pid: number): boolean => {
    const alive = isAlive(pid);
    up &&= alive;
    return alive;
  };
  const { gateway, hubController: hub } = state;
  if (gateway !== undefined) {
    const word = check(gateway.pid) ? "running" : "stopped";
    lines.push(`\nGateway ${gateway.url}: ${word} (pid ${gateway.pid})`);
  }
  if (hub !== undefined) {
    const word = check(hub.pid) ? "running" : "stopped";
    lines.push(`Hub controller: ${word} (pid ${hub.pid}, ${hub.metricsUrl})`);
  }
  const agents = state.agents ?? [];
  const down = agents.filter((a) => !check(a.pid)).map((a) => a.cluster);
  if (agents.length > 0) {
    const which = agents.map((a) => `${a.cluster} (pid ${a.pid})`).join(", ");
    lines.push(`Agents: ${which}${down.length === 0 ? "" : `; stopped: ${down.join(", ")}`}`);
  }
  for (const line of [...lines, ...inClusterLines(state)]) io.out(line);
  return up;
}

/** What `fleet up --in-cluster` installed (pure). */
function inClusterLines(state: FleetState): string[] {
  if (state.inCluster === undefined) return [];
  const { release, namespace, agents } = state.inCluster;
  const lines = [`\nFlotilla in-cluster: Helm release ${release} in ${namespace} on the hub`];
  if (agents.length > 0) lines.push(`Agents (chart flotilla-agent): ${agents.join(", ")}`);
  return lines;
}
