/**
 * `flotilla fleet up --in-cluster`: the local fleet with Flotilla installed the way a platform
 * team installs it, by its Helm charts: the hub chart (hub with two replicas, gateway,
 * APIService) on the hub cluster's real node, the members registered at the addresses the
 * gateway pods reach them by, and on every member with a real node the agent chart, fed the
 * values `flotilla cluster agent-access --agent-values` writes. No Flotilla process runs on
 * the host.
 */
import { provisionAgentBootstrap } from "../../core/install/agent-bootstrap.js";
import { ensureHelm } from "../../fleet/build/helm.js";
import type { Fleet } from "../../fleet/fleet.js";
import { hubOf, kubeConfigOf } from "../../fleet/gateway.js";
import { ensureFlotillaImage } from "../../fleet/image/flotilla-image.js";
import {
  flotillaNamespace,
  installAgentChart,
  installHubChart,
  joinMembersInCluster,
  releases,
} from "../../fleet/in-cluster.js";
import { hubRelayAddress, relayPort } from "../../fleet/real-node/plan.js";
import type { Output } from "../output.js";

export interface InClusterInstall {
  readonly namespace: string;
  readonly release: string;
  /** Members whose agent runs from the agent chart. */
  readonly agents: readonly string[];
}

/** Installs the charts on a started fleet; the caller stops the fleet on failure. */
export async function installInCluster(fleet: Fleet, io: Output): Promise<InClusterInstall> {
  if (!fleet.clusters.some((c) => c.hub))
    throw new Error("--in-cluster needs a hub cluster in the fleet configuration");
  const hubCluster = hubOf(fleet);
  if (hubCluster.realNodes.length === 0)
    throw new Error(
      `--in-cluster runs Flotilla as pods: the hub cluster "${hubCluster.name}" needs realNodes >= 1`,
    );
  const helm = await ensureHelm({ log: io.err });
  const image = await ensureFlotillaImage({ log: io.err });
  const run = { helm, log: io.err };
  await installHubChart({ ...run, fleet, imageTag: image.tag });
  const joined = await joinMembersInCluster(fleet);
  io.err(`registered on the hub: ${joined.join(", ") || "no members"}`);
  const agents: string[] = [];
  for (const member of fleet.clusters.filter((c) => !c.hub && c.realNodes.length > 0)) {
    const access = await provisionAgentBootstrap({
      hub: kubeConfigOf(hubCluster),
      cluster: member.name,
      hubServer: `https://${hubRelayAddress}:${relayPort}`,
    });
    const provisioned = {
      clusterName: member.name,
      hub: { bootstrapKubeconfig: access.bootstrapKubeconfig },
    };
    await installAgentChart({
      ...run,
      fleet,
      cluster: member.name,
      imageTag: image.tag,
      provisioned,
    });
    agents.push(member.name);
  }
  return { namespace: flotillaNamespace, release: releases.hub, agents };
}
