/**
 * `flotilla cluster probe <name>`: is the cluster reachable from here with its stored endpoint
 * and CA, and does its stored credential work? `local` probes the hub with the hub
 * kubeconfig. Returns false (exit 1) with a message naming the failed step.
 */
import { probeApiServer, probeCluster, type ProbeResult } from "../../core/cluster/probe.js";
import { clusterRegistry } from "../../core/cluster/registry.js";
import { LOCAL_CLUSTER } from "../../core/cluster/types.js";
import type { Output } from "../output.js";
import type { Hub } from "./hub.js";

const stageText = {
  connect: "not reachable",
  authenticate: "credential rejected",
  authorize: "credential lacks permissions",
} as const;

export async function clusterProbe(hub: Hub, name: string, io: Output): Promise<boolean> {
  let endpoint = hub.server;
  let result: ProbeResult;
  if (name === LOCAL_CLUSTER) {
    result = await probeApiServer(hub.kc);
  } else {
    const record = await clusterRegistry({ hub: hub.kc }).get(name);
    endpoint = record.endpoint;
    result = await probeCluster(record);
  }
  if (!result.ok) {
    io.err(`Cluster "${name}" (${endpoint}): ${stageText[result.stage]}: ${result.error}`);
    return false;
  }
  const as = result.user === undefined ? "" : `, authenticated as ${result.user}`;
  io.out(`Cluster "${name}" (${endpoint}) is reachable: Kubernetes ${result.version}${as}.`);
  return true;
}
