/**
 * `flotilla fleet down`: stops every process of the fleet started by `fleet up`, deletes its
 * work directory (etcd data, certificates, logs), its kubeconfigs and its state file.
 */
import { rm } from "node:fs/promises";
import { stopPids } from "../../fleet/processes.js";
import { cleanupNodesUnder } from "../../fleet/real-nodes-setup.js";
import type { CliConfig } from "../config.js";
import { readFleetState, removeFleetState, statePids } from "./state.js";
import type { Output } from "../output.js";

export async function fleetDown(cli: CliConfig, io: Output): Promise<void> {
  const state = await readFleetState(cli.fleetDir);
  if (state === undefined) {
    io.out("No fleet is running.");
    return;
  }
  const pids = statePids(state);
  await stopPids(pids);
  // real nodes: their containers, mounts, cgroups and namespaces (the pids above are gone)
  const nodes = cleanupNodesUnder(state.workDir);
  await rm(state.workDir, { recursive: true, force: true });
  await Promise.all(state.clusters.map((c) => rm(c.kubeconfigFile, { force: true })));
  await removeFleetState(cli.fleetDir);
  const real = nodes.length > 0 ? `, ${nodes.length} real node(s) removed` : "";
  io.out(`Fleet stopped: ${state.clusters.length} cluster(s), ${pids.length} process(es)${real}.`);
}
