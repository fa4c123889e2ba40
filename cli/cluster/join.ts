/**
 * `flotilla cluster join <kubeconfig>`: registers a member cluster on the hub. The name
 * defaults to the context's cluster name (as `vela cluster join` does); the member must be
 * reachable and the credential to be stored must work before anything is written. With
 * `--create-service-account` the kubeconfig's credential is only used to create a dedicated
 * ServiceAccount token in the member, and that token is stored instead. With `--agent` the
 * member's agent then gets its hub access (agent-access.ts).
 */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import {
  memberCredential,
  memberEndpoint,
  parseKubeconfig,
  selectContext,
  type KubeconfigFiles,
  type SelectedContext,
} from "../../core/cluster/kubeconfig.js";
import { assertClusterName, parseLabels } from "../../core/cluster/labels.js";
import { probeCluster, probeFailure } from "../../core/cluster/probe.js";
import { clusterRegistry, type ClusterRegistry } from "../../core/cluster/registry.js";
import type { ClusterCredential, ClusterRecord } from "../../core/cluster/types.js";
import { ConflictError, InvalidInputError, NotFoundError } from "../../core/errors.js";
import { CliError, type Output } from "../output.js";
import { joinAgentPlan, type AgentFlags } from "./agent-flags.js";
import { grantAgentAccess, statusOutput } from "./agent-access.js";
import type { Hub } from "./hub.js";
import {
  ensureServiceAccountToken,
  SERVICE_ACCOUNT_NAME,
  SERVICE_ACCOUNT_NAMESPACE,
} from "./service-account.js";

export interface JoinOptions extends AgentFlags {
  readonly context?: string;
  readonly name?: string;
  readonly labels?: string;
  readonly createServiceAccount?: boolean;
}

interface Member {
  readonly file: string;
  readonly selected: SelectedContext;
  readonly files: KubeconfigFiles;
}

async function readMember(file: string, context: string | undefined): Promise<Member> {
  const absolute = path.resolve(file);
  const text = await readFile(absolute, "utf8").catch((error: Error) => {
    throw new CliError(`cannot read kubeconfig ${absolute}: ${error.message}`);
  });
  const selected = selectContext(parseKubeconfig(text, absolute), context);
  const files = {
    baseDir: path.dirname(absolute),
    readFile: (f: string) => readFileSync(f, "utf8"),
  };
  return { file: absolute, selected, files };
}

function clusterName(options: JoinOptions, member: Member): string {
  const name = options.name ?? member.selected.clusterName;
  try {
    assertClusterName(name);
  } catch (error) {
    if (options.name !== undefined || !(error instanceof InvalidInputError)) throw error;
    throw new InvalidInputError(
      `${error.message} (taken from the kubeconfig's cluster name; choose one with --name)`,
    );
  }
  return name;
}

async function refuseExisting(
  registry: ClusterRegistry,
  name: string,
  options: JoinOptions,
): Promise<void> {
  const existing = await registry.get(name).catch((error) => {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  });
  if (existing === undefined) return;
  const agent =
    options.agent === true
      ? `; to give its agent hub access, run "flotilla cluster agent-access ${name}"`
      : "";
  throw new ConflictError(
    `a cluster named "${name}" is already registered (endpoint ${existing.endpoint}); ` +
      `choose another --name or detach it first${agent}`,
  );
}

async function credentialFor(
  member: Member,
  options: JoinOptions,
  io: Output,
): Promise<ClusterCredential> {
  if (options.createServiceAccount !== true) return memberCredential(member.selected, member.files);
  const kc = new KubeConfig();
  kc.loadFromFile(member.file);
  kc.setCurrentContext(member.selected.contextName);
  io.err(
    `Creating ServiceAccount ${SERVICE_ACCOUNT_NAMESPACE}/${SERVICE_ACCOUNT_NAME} (cluster-admin) and its token in the member…`,
  );
  const token = await ensureServiceAccountToken({ member: kc });
  return { type: "ServiceAccountToken", token };
}

/**
 * Registers the member; throws typed errors (nothing is stored when any check fails).
 * Returns the stored record and the member's kube context.
 */
async function registerMember(
  hub: Hub,
  file: string,
  options: JoinOptions,
  io: Output,
): Promise<{ record: ClusterRecord; context: string }> {
  const member = await readMember(file, options.context);
  const name = clusterName(options, member);
  const labels = options.labels === undefined ? {} : parseLabels(options.labels);
  const registry = clusterRegistry({ hub: hub.kc });
  await refuseExisting(registry, name, options);
  const { endpoint, caPem } = memberEndpoint(member.selected, member.files);
  const credential = await credentialFor(member, options, io);
  const record: ClusterRecord = {
    name,
    endpoint,
    ...(caPem === undefined ? {} : { caPem }),
    credential,
    labels,
  };
  const probe = await probeCluster(record);
  if (!probe.ok) throw probeFailure(probe, `cannot join cluster "${name}"`);
  await registry.create(record);
  const as = probe.user === undefined ? "" : `, authenticated as ${probe.user}`;
  io.out(
    `Cluster "${name}" joined: ${endpoint} (${credential.type}${as}; Kubernetes ${probe.version}).`,
  );
  return { record, context: member.selected.contextName };
}

/**
 * Runs `cluster join`: the agent flags are checked first, then the member is registered and,
 * with `--agent`, its agent given hub access. When that last step fails the cluster stays
 * joined and the error says how to retry.
 */
export async function clusterJoin(
  loadHub: () => Promise<Hub>,
  file: string,
  options: JoinOptions,
  io: Output,
): Promise<void> {
  const plan = joinAgentPlan(options);
  const hub = await loadHub();
  const { record, context } = await registerMember(hub, file, options, statusOutput(io, plan));
  if (plan === undefined) return;
  try {
    await grantAgentAccess(hub, { record, context }, plan, io);
  } catch (error) {
    io.err(
      `Cluster "${record.name}" is joined, but its agent has no hub access yet; retry with ` +
        `"flotilla cluster agent-access ${record.name}".`,
    );
    throw error;
  }
}
