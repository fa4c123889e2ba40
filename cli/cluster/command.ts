/**
 * The `flotilla cluster` command group: join, list, labels add|del, alias, rename, probe,
 * detach, export-config. The hub is chosen once per run (see hub.ts) from the group's
 * `--kubeconfig` option, and loaded only when a subcommand runs.
 */
import type { Command } from "commander";
import type { CliConfig } from "../config.js";
import type { Output } from "../output.js";
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

function addJoin(cluster: Command, ctx: ClusterContext): void {
  cluster
    .command("join <kubeconfig>")
    .description("Register the cluster of a kubeconfig's context (checks it first).")
    .option("--context <name>", "the kubeconfig context to use (default: its current context)")
    .option("--name <name>", "the cluster's name on the hub (default: the context's cluster name)")
    .option("--labels <k=v,...>", "labels for the cluster")
    .option(
      "--create-service-account",
      "create a cluster-admin ServiceAccount token in the member and store it instead",
    )
    .action(async (file: string, options: JoinOptions) =>
      clusterJoin(await ctx.hub(), file, options, ctx.io),
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
  for (const add of [addJoin, addList, addLabels, addNaming, addProbe, addDetach, addExportConfig])
    add(cluster, ctx);
}
