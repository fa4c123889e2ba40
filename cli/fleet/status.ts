/**
 * `flotilla fleet status`: probes each cluster of the running fleet (API readiness, version,
 * Ready nodes) and prints one line per cluster. Returns false when any cluster is not ready.
 */
import { endpointFromKubeconfig, readKubeconfig } from "../../test/fleet/kubeconfig.js";
import { probeCluster } from "../../test/fleet/probe.js";
import { isAlive } from "../../test/fleet/processes.js";
import type { CliConfig } from "../config.js";
import { formatTable } from "../table.js";
import { readFleetState } from "./state.js";
import type { Output } from "../output.js";

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
        .catch((error: Error) => ({
          ready: false,
          nodesReady: 0,
          nodesTotal: 0,
          version: undefined,
          error: error.message,
        }));
      const row = [
        c.name,
        c.hub ? "hub" : "member",
        probe.ready ? "Ready" : "NotReady",
        probe.version ?? "-",
        `${probe.nodesReady}/${probe.nodesTotal}`,
        c.pools.join(",") || "-",
        c.server,
      ];
      return { row, ready: probe.ready };
    }),
  );
  io.out(
    formatTable(
      ["NAME", "ROLE", "STATUS", "VERSION", "NODES", "POOLS", "SERVER"],
      rows.map((r) => r.row),
    ),
  );
  const gateway = state.gateway;
  const gatewayUp = gateway === undefined || isAlive(gateway.pid);
  if (gateway !== undefined) {
    io.out(`\nGateway ${gateway.url}: ${gatewayUp ? "running" : "stopped"} (pid ${gateway.pid})`);
  }
  const hub = state.hubController;
  const hubUp = hub === undefined || isAlive(hub.pid);
  if (hub !== undefined) {
    io.out(`Hub controller: ${hubUp ? "running" : "stopped"} (pid ${hub.pid}, ${hub.metricsUrl})`);
  }
  io.out(`\nStarted ${state.startedAt}; logs in ${state.logDir}`);
  return gatewayUp && hubUp && rows.every((r) => r.ready);
}
