/**
 * The `flotilla cluster` command group: join, agent-access, list, labels add|del, alias,
 * rename, probe, detach, export-config. The hub is chosen once per run (see hub.ts) from the group's
 * `--kubeconfig` option, and loaded only when a subcommand runs.
 */
import type { Command } from "commander";
import type { CliConfig } from "../config.js";
import { HUB_KUBECONFIG_OPTION, lazyHub } from "../hub-option.js";
import type { Output } from "../output.js";
import { AGENT_BOOTSTRAP_SECRET } from "../../core/cluster/agent-contract.js";
import { DEFAULT_AGENT_TOKEN_TTL, type AgentFlags } from "./agent-flags.js";
import type { Hub } from "./hub.js";
import type { JoinOptions } from "./join.js";

// Each action imports its module when it runs: building the command tree stays cheap.
const edit = () => import("./edit.js");

/** What every `cluster` subcommand shares. */
interface ClusterContext {
  /** Loads the hub chosen by the group's `--kubeconfig` (once a subcommand runs). */
  readonly hub: () => Promise<Hub>;
  readonly io: Output;
  readonly setExit: (code: number) => void;
}

/** The options saying which agent credential goes where, shared by join and agent-access. */
function agentOutputOptions(command: Command): Command {
  const { namespace, name, kubeconfigKey } = AGENT_BOOTSTRAP_SECRET;
  return command
    .option(
      "--agent-values <file|->",
      "write the Helm values of the agent chart (clusterName, hub.bootstrapKubeconfig) to this " +
        "file (mode 0600; - for stdout) and print the helm install command",
    )
    .option(
      "--agent-secret",
      `store the agent's bootstrap kubeconfig on the member as Secret ${namespace}/${name} ` +
        `(key ${kubeconfigKey}; the chart's hub.existingSecret)`,
    )
    .option(
      "--agent-kubeconfig <file>",
      "write a hub kubeconfig with a working token (for --hub-kubeconfig) to this file " +
        "(mode 0600); printed on stdout when no other output is asked for",
    )
    .option(
      "--agent-hub-server <url>",
      "the hub API server's address as the agent reaches it (default: the hub kubeconfig's)",
    )
    .option(
      "--agent-token-ttl <duration>",
      `lifetime of the working token of --agent-kubeconfig; the agent renews it at 80 % ` +
        `(default: ${DEFAULT_AGENT_TOKEN_TTL})`,
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
    .option("--agent", "also provision the agent's hub identity and hand its credential over");
  agentOutputOptions(join).action(async (file: string, options: JoinOptions) =>
    (await import("./join.js")).clusterJoin(ctx.hub, file, options, ctx.io),
  );
}

function addAgentAccess(cluster: Command, ctx: ClusterContext): void {
  const access = cluster
    .command("agent-access <name>")
    .description(
      "Give a registered cluster's agent its hub identity and hand its credential over (the " +
        "agent chart's values, a member Secret, or a hub kubeconfig); --revoke removes it.",
    );
  agentOutputOptions(access)
    .option(
      "--revoke",
      "delete the agent's ServiceAccounts (working and bootstrap), Roles, bootstrap token, " +
        "Lease and ClusterReport",
    )
    .action(async (name: string, options: AgentFlags & { revoke?: boolean }) =>
      (await import("./agent-access.js")).clusterAgentAccess(ctx.hub, name, options, ctx.io),
    );
}

function addList(cluster: Command, ctx: ClusterContext): void {
  cluster
    .command("list")
    .alias("ls")
    .description("List the hub (local) and every registered cluster, with its health.")
    .option("-o, --output <format>", "table, json or yaml", "table")
    .action(async (options: { output: string }) =>
      (await import("./list.js")).clusterList(await ctx.hub(), options.output, ctx.io),
    );
}

function addLabels(cluster: Command, ctx: ClusterContext): void {
  const labels = cluster.command("labels").description("Add or delete a cluster's labels.");
  labels
    .command("add <name> <labels>")
    .description("Add or overwrite labels: k=v,k2=v2.")
    .action(async (name: string, text: string) =>
      (await edit()).clusterLabelsAdd(await ctx.hub(), name, text, ctx.io),
    );
  labels
    .command("del <name> <keys>")
    .alias("delete")
    .description("Delete labels by key: k,k2.")
    .action(async (name: string, text: string) =>
      (await edit()).clusterLabelsDel(await ctx.hub(), name, text, ctx.io),
    );
}

function addNaming(cluster: Command, ctx: ClusterContext): void {
  cluster
    .command("alias <name> <alias>")
    .description('Set a cluster\'s alias ("" removes it).')
    .action(async (name: string, alias: string) =>
      (await edit()).clusterAlias(await ctx.hub(), name, alias, ctx.io),
    );
  cluster
    .command("rename <old> <new>")
    .description("Rename a registered cluster.")
    .action(async (from: string, to: string) =>
      (await edit()).clusterRename(await ctx.hub(), from, to, ctx.io),
    );
}

function addProbe(cluster: Command, ctx: ClusterContext): void {
  cluster
    .command("probe <name>")
    .description("Check that a cluster is reachable and its stored credential works.")
    .action(async (name: string) => {
      const { clusterProbe } = await import("./probe.js");
      if (!(await clusterProbe(await ctx.hub(), name, ctx.io))) ctx.setExit(1);
    });
}

function addDetach(cluster: Command, ctx: ClusterContext): void {
  cluster
    .command("detach <name>")
    .description("Remove a cluster from the registry (refused while applications target it).")
    .option("--force", "detach even when applications target the cluster")
    .action(async (name: string, options: { force?: boolean }) =>
      (await import("./detach.js")).clusterDetach(await ctx.hub(), name, options, ctx.io),
    );
}

function addExportConfig(cluster: Command, ctx: ClusterContext): void {
  cluster
    .command("export-config <name>")
    .description("Print a kubeconfig reaching the cluster through the hub's gateway.")
    .action(async (name: string) =>
      (await import("./export-config.js")).clusterExportConfig(await ctx.hub(), name, ctx.io),
    );
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
    .option(...HUB_KUBECONFIG_OPTION);
  const hub = (): Promise<Hub> => lazyHub(cli, cluster.opts<{ kubeconfig?: string }>().kubeconfig);
  const ctx: ClusterContext = { hub, io, setExit };
  const subcommands = [addJoin, addAgentAccess, addList, addLabels, addNaming, addProbe];
  for (const add of [...subcommands, addDetach, addExportConfig]) add(cluster, ctx);
}
