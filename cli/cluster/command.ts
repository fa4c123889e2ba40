/**
 * The `flotilla cluster` command group: join, list, labels add|del, alias, rename, probe,
 * detach, export-config. The hub is chosen once per run (see hub.ts) from the group's
 * `--kubeconfig` option, and loaded only when a subcommand runs.
 */
import type { Command } from "commander";
import type { CliConfig } from "../config.js";
import type { Output } from "../output.js";
import type { Hub } from "./hub.js";
import type { JoinOptions } from "./join.js";

// Each action imports its module when it runs: building the command tree stays cheap.
const edit = () => import("./edit.js");

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
  const hub = async (): Promise<Hub> =>
    (await import("./hub.js")).loadHub(cli, cluster.opts<{ kubeconfig?: string }>().kubeconfig);

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
      (await import("./join.js")).clusterJoin(await hub(), file, options, io),
    );
  cluster
    .command("list")
    .alias("ls")
    .description("List the hub (local) and every registered cluster, with its health.")
    .option("-o, --output <format>", "table, json or yaml", "table")
    .action(async (options: { output: string }) =>
      (await import("./list.js")).clusterList(await hub(), options.output, io),
    );

  const labels = cluster.command("labels").description("Add or delete a cluster's labels.");
  labels
    .command("add <name> <labels>")
    .description("Add or overwrite labels: k=v,k2=v2.")
    .action(async (name: string, text: string) =>
      (await edit()).clusterLabelsAdd(await hub(), name, text, io),
    );
  labels
    .command("del <name> <keys>")
    .alias("delete")
    .description("Delete labels by key: k,k2.")
    .action(async (name: string, text: string) =>
      (await edit()).clusterLabelsDel(await hub(), name, text, io),
    );

  cluster
    .command("alias <name> <alias>")
    .description('Set a cluster\'s alias ("" removes it).')
    .action(async (name: string, alias: string) =>
      (await edit()).clusterAlias(await hub(), name, alias, io),
    );
  cluster
    .command("rename <old> <new>")
    .description("Rename a registered cluster.")
    .action(async (from: string, to: string) =>
      (await edit()).clusterRename(await hub(), from, to, io),
    );
  cluster
    .command("probe <name>")
    .description("Check that a cluster is reachable and its stored credential works.")
    .action(async (name: string) => {
      const { clusterProbe } = await import("./probe.js");
      if (!(await clusterProbe(await hub(), name, io))) setExit(1);
    });
  cluster
    .command("detach <name>")
    .description("Remove a cluster from the registry (refused while applications target it).")
    .option("--force", "detach even when applications target the cluster")
    .action(async (name: string, options: { force?: boolean }) =>
      (await import("./detach.js")).clusterDetach(await hub(), name, options, io),
    );
  cluster
    .command("export-config <name>")
    .description("Print a kubeconfig reaching the cluster through the hub's gateway.")
    .action(async (name: string) =>
      (await import("./export-config.js")).clusterExportConfig(await hub(), name, io),
    );
}
