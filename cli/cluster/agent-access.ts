/**
 * The agent's hub access from the CLI: `flotilla cluster join --agent` (after the join) and
 * `flotilla cluster agent-access <name>` for a registered cluster, with the installer the
 * local fleet uses (core/install/agent-access.ts, agent-bootstrap.ts). The bootstrap
 * kubeconfig goes to a Secret on the member (written with the hub's stored credential for it)
 * or the agent chart's values (agent-bootstrap.ts); a working kubeconfig to a file or stdout.
 * `--revoke` removes the access (its tokens stop working at once).
 */
import path from "node:path";
import { clusterRegistry } from "../../core/cluster/registry.js";
import { LOCAL_CLUSTER, type ClusterRecord } from "../../core/cluster/types.js";
import { InvalidInputError } from "../../core/errors.js";
import { provisionAgentAccess, removeAgentAccess } from "../../core/install/agent-access.js";
import {
  AGENT_NAMESPACE,
  agentBootstrapName,
  agentName,
} from "../../core/cluster/agent-contract.js";
import { writeAgentKubeconfig } from "../../core/install/agent-kubeconfig.js";
import type { Output } from "../output.js";
import {
  agentPlan,
  wantsBootstrap,
  wantsWorkingToken,
  type AgentFlags,
  type AgentPlan,
} from "./agent-flags.js";
import { grantAgentBootstrap, statusOutput, type AgentTarget } from "./agent-bootstrap.js";
import type { Hub } from "./hub.js";

export { statusOutput };

/**
 * Provisions the agent's hub access for `target` and hands its credentials over per `plan`:
 * the bootstrap kubeconfig (`--agent-secret`, `--agent-values`) and/or a working kubeconfig
 * (`--agent-kubeconfig`, stdout). `target.context` names the member's kube context in hints.
 */
export async function grantAgentAccess(
  hub: Hub,
  target: AgentTarget,
  plan: AgentPlan,
  io: Output,
): Promise<void> {
  if (wantsBootstrap(plan)) await grantAgentBootstrap(hub, target, plan, io);
  if (wantsWorkingToken(plan)) await grantWorkingToken(hub, target.record, plan, io);
}

/** The working identity with a fresh token, to a file and/or stdout. */
async function grantWorkingToken(
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
  await grantAgentAccess(hub, { record }, plan, io);
}

/** `--revoke` hands nothing out: refuses the flags that would, then loads the hub. */
function hubForRevoke(flags: AgentFlags, loadHub: () => Promise<Hub>): Promise<Hub> {
  const handOut = [
    flags.agentKubeconfig,
    flags.agentSecret,
    flags.agentTokenTtl,
    flags.agentValues,
  ];
  if (handOut.some((flag) => flag !== undefined))
    throw new InvalidInputError(
      "--revoke takes no --agent-kubeconfig, --agent-secret, --agent-token-ttl or --agent-values",
    );
  return loadHub();
}

async function revokeAgentAccess(hub: Hub, name: string, io: Output): Promise<void> {
  await removeAgentAccess({ hub: hub.kc, cluster: name });
  io.out(
    `Agent access for cluster "${name}" revoked: ServiceAccounts ` +
      `${AGENT_NAMESPACE}/${agentName(name)} and ${agentBootstrapName(name)}, their Roles and ` +
      `tokens, the bootstrap token Secret, the Lease and the ClusterReport deleted.`,
  );
}
