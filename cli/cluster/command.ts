/**
 * The `flotilla cluster` command group: join, agent-access, list, labels add|del, alias,
 * rename, probe, detach, export-config. The hub is chosen once per run (see hub.ts) from the group's
 * `--kubeconfig` option, and loaded only when a subcommand runs.
 */
import type { Command } from "commander";
import type { CliConfig } from "../config.js";
import type { Output } from "../output.js";
import { AGENT_SECRET } from "../../core/install/agent-kubeconfig.js";
import { clusterAgentAccess } from "./agent-access.js";
import { DEFAULT_AGENT_TOKEN_TTL, type AgentFlags } from "./agent-flags.js";
import { clusterDetach } from "./detach.js";
import { clusterAlias, clusterLabelsAdd, clusterLabelsDel, clusterRename } from "./edit.js";
import { clusterExportConfig } from "./export-config.js";
import { loadHub, type Hub } from "./hub.js";
import { clusterJoin, type JoinOptions } from "./join.js";
import { clusterList } from "./list.js";
import { clusterProbe } from "./probe.js";

/** What every `cluster` subcommand shares. */
interface ClusterContext {
  /** Loads the hub chosen by the group's `--kubeconfig` (once a subcommand runs). */
  readonly hub: () => Promise<Hub>;
  readonly io: Output;
  readonly setExit: (code: number) => void;
}

/** The options saying where the agent's hub kubeconfig goes, shared by join and agent-access. */
function agentOutputOptions(command: Command): Command {
  return command
    .option(
      "--agent-kubeconfig <file>",
      "write the agent's hub kubeconfig to this file (mode 0600) instead of stdout",
    )
    .option(
      "--agent-secret",
      `store it on the member as Secret ${AGENT_SECRET.namespace}/${AGENT_SECRET.name} ` +
        `(key ${AGENT_SECRET.kubeconfigKey}) instead of stdout`,
    )
    .option(
      "--agent-token-ttl <duration>",
      `lifetime of the agent's token; it renews it at 80 % (default: ${DEFAULT_AGENT_TOKEN_TTL})`,
    );
}

function addJoin(cluster: Command, ctx: ClusterContext): void {
  const join = cluster
    .command("join <kubeconfig>")
    .description(
      "Register the cluster of a kubeconfig's context (checks it first); with --agent, also " +
        "give its agent hub access.",
    )
    .option("--context <name>", "the kubeconfig context to use (default: its current context)")
    .option("--name <name>", "the cluster's name on the hub (default: the context's cluster name)")
    .option("--labels <k=v,...>", "labels for the cluster")
    .option(
      "--create-service-account",
      "create a cluster-admin ServiceAccount token in the member and store it instead",
    )
    .option("--agent", "also provision the agent's hub access and print its hub kubeconfig");
  agentOutputOptions(join).action((file: string, options: JoinOptions) =>
    clusterJoin(ctx.hub, file, options, ctx.io),
  );
}

function addAgentAccess(cluster: Command, ctx: ClusterContext): void {
  const access = cluster
    .command("agent-access <name>")
    .description(
      "Give a registered cluster's agent its hub access (again: a fresh token) and print its " +
        "hub kubeconfig; --revoke removes the access.",
    );
  agentOutputOptions(access)
    .option("--revoke", "delete the agent's ServiceAccount, Role, Lease and ClusterReport")
    .action((name: string, options: AgentFlags & { revoke?: boolean }) =>
      clusterAgentAccess(ctx.hub, name, options, ctx.io),
    );
}

function addList(cluster: Command, ctx: ClusterContext): void {
  cluster
    .command("list")
    .alias("ls")
    .description("List the hub (local) and every registered cluster, with its health.")
    .option("-o, --output <format>", "table, json or yaml", "table")
    .action(async (options: { output: string }) =>
      clusterList(await ctx.hub(), options.output, ctx.io),
    );
}

function addLabels(cluster: Command, ctx: ClusterContext): void {
  const labels = cluster.command("labels").description("Add or delete a cluster's labels.");
  labels
    .command("add <name> <labels>")
    .description("Add or overwrite labels: k=v,k2=v2.")
    .action(async (name: string, text: string) =>
      clusterLabelsAdd(await ctx.hub(), name, text, ctx.io),
    );
  labels
    .command("del <name> <keys>")
    .alias("delete")
    .description("Delete labels by key: k,k2.")
    .action(async (name: string, text: string) =>
      clusterLabelsDel(await ctx.hub(), name, text, ctx.io),
    );
}

function addNaming(cluster: Command, ctx: ClusterContext): void {
  cluster
    .command("alias <name> <alias>")
    .description('Set a cluster\'s alias ("" removes it).')
    .action(async (name: string, alias: string) =>
      clusterAlias(await ctx.hub(), name, alias, ctx.io),
    );
  cluster
    .command("rename <old> <new>")
    .description("Rename a registered cluster.")
    .action(async (from: string, to: string) => clusterRename(await ctx.hub(), from, to, ctx.io));
}

function addProbe(cluster: Command, ctx: ClusterContext): void {
  cluster
    .command("probe <name>")
    .description("Check that a cluster is reachable and its stored credential works.")
    .action(async (name: string) => {
      if (!(await clusterProbe(await ctx.hub(), name, ctx.io))) ctx.setExit(1);
    });
}

function addDetach(cluster: Command, ctx: ClusterContext): void {
  cluster
    .command("detach <name>")
    .description("Remove a cluster from the registry (refused while applications target it).")
    .option("--force", "detach even when applications target the cluster")
    .action(async (name: string, options: { force?: boolean }) =>
      clusterDetach(await ctx.hub(), name, options, ctx.io),
    );
}

function addExportConfig(cluster: Command, ctx: ClusterContext): void {
  cluster
    .command("export-config <name>")
    .description("Print a kubeconfig reaching the cluster through the hub's gateway.")
    .action(async (name: string) => clusterExportConfig(await ctx.hub(), name, ctx.io));
}

/** Adds `cluster` and its subcommands to `program`. */
export function addClusterCommands(
  program: Command,
  cli: CliConfig,
  io: Output,
  setExit: (code: number) => void,
): void {
  const cluster = program
    .command("cluster")
    .description("Register and manage member clusters on the hub (KubeVela-compatible).")
    .option(
      "--kubeconfig <file>",
      "the hub's kubeconfig (default: KUBECONFIG, the local fleet's hub, ~/.kube/config)",
    );
  const hub = (): Promise<Hub> => loadHub(cli, cluster.opts<{ kubeconfig?: string }>().kubeconfig);
  const ctx: ClusterContext = { hub, io, setExit };
  const subcommands = [addJoin, addAgentAccess, addList, addLabels, addNaming, addProbe];
  for (const add of [...subcommands, addDetach, addExportConfig]) add(cluster, ctx);
}
