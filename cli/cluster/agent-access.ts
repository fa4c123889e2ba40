/**
 * The agent's hub access from the CLI: `flotilla cluster join --agent` (after the join) and
 * `flotilla cluster agent-access <name>` for a registered cluster, with the installer the
 * local fleet uses (core/install/agent-access.ts). The agent's hub kubeconfig goes to stdout,
 * a file, or a Secret on the member written with the hub's stored credential for it.
 * `--revoke` removes the access (its tokens stop working at once).
 */
import path from "node:path";
import { kubeConfigFor } from "../../core/cluster/kube.js";
import { clusterRegistry } from "../../core/cluster/registry.js";
import { LOCAL_CLUSTER, type ClusterRecord } from "../../core/cluster/types.js";
import { InvalidInputError } from "../../core/errors.js";
import {
  applyAgentSecret,
  provisionAgentAccess,
  removeAgentAccess,
} from "../../core/install/agent-access.js";
import { AGENT_NAMESPACE, AGENT_SECRET, agentName } from "../../core/cluster/agent-contract.js";
import { writeAgentKubeconfig } from "../../core/install/agent-kubeconfig.js";
import type { Output } from "../output.js";
import { agentPlan, type AgentFlags, type AgentPlan } from "./agent-flags.js";
import type { Hub } from "./hub.js";

/** Where status lines go: stderr when stdout carries the kubeconfig. */
export const statusOutput = (io: Output, plan: AgentPlan | undefined): Output =>
  plan?.stdout === true ? { out: io.err, err: io.err } : io;

/** Provisions the agent's hub access for `record` and hands its kubeconfig over per `plan`. */
export async function grantAgentAccess(
  hub: Hub,
  record: ClusterRecord,
  plan: AgentPlan,
  io: Output,
): Promise<void> {
  const cluster = record.name;
  const { tokenExpirationSeconds, hubServer } = plan;
  const access = await provisionAgentAccess({
    hub: hub.kc,
    cluster,
    tokenExpirationSeconds,
    ...(hubServer === undefined ? {} : { hubServer }),
  });
  const say = statusOutput(io, plan).out;
  say(
    `Agent access for cluster "${cluster}": ${access.serviceAccount}, token valid until ` +
      `${access.expiresAt} (the agent renews it).`,
  );
  if (plan.file !== undefined) {
    const file = path.resolve(plan.file);
    await writeAgentKubeconfig(file, access.kubeconfig);
    say(`Agent hub kubeconfig written to ${file}.`);
  }
  if (plan.secret) {
    await applyAgentSecret({
      member: kubeConfigFor(record),
      cluster,
      kubeconfig: access.kubeconfig,
    });
    say(
      `Agent hub kubeconfig stored on cluster "${cluster}" as Secret ` +
        `${AGENT_SECRET.namespace}/${AGENT_SECRET.name} (key ${AGENT_SECRET.kubeconfigKey}).`,
    );
  }
  if (plan.stdout) io.out(access.kubeconfig.trimEnd());
}

/**
 * Runs `cluster agent-access <name>`: grants (idempotent, a fresh token each time) or, with
 * `--revoke`, removes the access. Flags are checked before the hub is loaded.
 */
export async function clusterAgentAccess(
  loadHub: () => Promise<Hub>,
  name: string,
  flags: AgentFlags & { revoke?: boolean },
  io: Output,
): Promise<void> {
  if (name === LOCAL_CLUSTER)
    throw new InvalidInputError(`"${LOCAL_CLUSTER}" is the hub itself: it has no agent`);
  if (flags.revoke === true) return revokeAgentAccess(await hubForRevoke(flags, loadHub), name, io);
  const plan = agentPlan(flags);
  const hub = await loadHub();
  const record = await clusterRegistry({ hub: hub.kc }).get(name);
  await grantAgentAccess(hub, record, plan, io);
}

/** `--revoke` hands nothing out: refuses the flags that would, then loads the hub. */
function hubForRevoke(flags: AgentFlags, loadHub: () => Promise<Hub>): Promise<Hub> {
  const handOut = [flags.agentKubeconfig, flags.agentSecret, flags.agentTokenTtl];
  if (handOut.some((flag) => flag !== undefined))
    throw new InvalidInputError(
      "--revoke takes no --agent-kubeconfig, --agent-secret or --agent-token-ttl",
    );
  return loadHub();
}

async function revokeAgentAccess(hub: Hub, name: string, io: Output): Promise<void> {
  await removeAgentAccess({ hub: hub.kc, cluster: name });
  io.out(
    `Agent access for cluster "${name}" revoked: ServiceAccount ` +
      `${AGENT_NAMESPACE}/${agentName(name)} and its Role, Lease and ClusterReport deleted.`,
  );
}
