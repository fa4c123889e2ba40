/**
 * The bootstrap half of `cluster join --agent` and `cluster agent-access`
 * (docs/adr/0017-agent-credential.md): provisions the agent's bootstrap identity on the hub and
 * hands its kubeconfig over as the member Secret `flotilla-agent-hub-bootstrap`
 * (`--agent-secret`) and/or as the Helm values of the agent chart (`--agent-values <file|->`),
 * then says on stderr how to install the chart.
 */
import path from "node:path";
import { AGENT_BOOTSTRAP_SECRET, AGENT_NAMESPACE } from "../../core/cluster/agent-contract.js";
import { kubeConfigFor } from "../../core/cluster/kube.js";
import type { ClusterRecord } from "../../core/cluster/types.js";
import {
  applyAgentBootstrapSecret,
  provisionAgentBootstrap,
} from "../../core/install/agent-bootstrap.js";
import { agentChartValues, writeAgentKubeconfig } from "../../core/install/agent-kubeconfig.js";
import type { Output } from "../output.js";
import { stdoutTaken, type AgentPlan } from "./agent-flags.js";
import type { Hub } from "./hub.js";

/** Where status lines go: stderr when stdout carries a credential (pure). */
export const statusOutput = (io: Output, plan: AgentPlan | undefined): Output =>
  plan !== undefined && stdoutTaken(plan) ? { out: io.err, err: io.err } : io;

/** Where the agent chart lives in Flotilla's repository and release. */
export const AGENT_CHART = "charts/flotilla-agent";

/** The `helm install` that deploys the agent with `valuesFile` (or the Secret) — pure. */
export function helmInstallHint(
  cluster: string,
  source: { readonly valuesFile: string } | { readonly existingSecret: string },
  memberContext?: string,
): string {
  const values =
    "valuesFile" in source
      ? `-f ${source.valuesFile}`
      : `--set clusterName=${cluster} --set hub.existingSecret=${source.existingSecret}`;
  const context = memberContext ?? `<kube-context of ${cluster}>`;
  return (
    `helm install flotilla-agent ${AGENT_CHART} -n ${AGENT_NAMESPACE} --create-namespace ` +
    `${values} --kube-context ${context}`
  );
}

/** The member cluster an agent credential is for, and its kube context when known. */
export interface AgentTarget {
  readonly record: ClusterRecord;
  readonly context?: string;
}

/** Provisions the bootstrap identity of `target`'s agent and hands it over per `plan`. */
export async function grantAgentBootstrap(
  hub: Hub,
  target: AgentTarget,
  plan: AgentPlan,
  io: Output,
): Promise<void> {
  const cluster = target.record.name;
  const { hubServer } = plan;
  const say = statusOutput(io, plan).out;
  const access = await provisionAgentBootstrap({
    hub: hub.kc,
    cluster,
    ...(hubServer === undefined ? {} : { hubServer }),
  });
  say(
    `Agent bootstrap credential for cluster "${cluster}": ${access.bootstrapServiceAccount}, ` +
      `allowed only to mint tokens for ${access.serviceAccount}; it does not expire ` +
      `(revoke it by deleting the hub Secret ${access.tokenSecret}).`,
  );
  const { name, kubeconfigKey } = AGENT_BOOTSTRAP_SECRET;
  if (plan.secret) {
    await applyAgentBootstrapSecret({
      member: kubeConfigFor(target.record),
      cluster,
      bootstrapKubeconfig: access.bootstrapKubeconfig,
    });
    say(
      `Agent bootstrap kubeconfig stored on cluster "${cluster}" as Secret ` +
        `${AGENT_NAMESPACE}/${name} (key ${kubeconfigKey}).`,
    );
  }
  if (plan.values !== undefined)
    await handOverValues(target, plan.values, access.bootstrapKubeconfig, io);
  else io.err(`Next: ${helmInstallHint(cluster, { existingSecret: name }, target.context)}`);
}

/** Writes (or prints, for `-`) the chart's values, then the `helm install` to run. */
async function handOverValues(
  target: AgentTarget,
  where: string,
  bootstrapKubeconfig: string,
  io: Output,
): Promise<void> {
  const cluster = target.record.name;
  const values = agentChartValues(cluster, bootstrapKubeconfig);
  if (where === "-") {
    io.out(values.trimEnd());
    const hint = helmInstallHint(cluster, { valuesFile: "-" }, target.context);
    io.err(`Next: pipe these values to ${hint}`);
    return;
  }
  const file = path.resolve(where);
  await writeAgentKubeconfig(file, values);
  io.out(`Agent chart values written to ${file}.`);
  io.err(`Next: ${helmInstallHint(cluster, { valuesFile: file }, target.context)}`);
}
