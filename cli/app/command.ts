/**
 * The application commands, KubeVela-style: `up`, `ls`, `status`, `delete`. Each takes
 * `-n/--namespace` (default `default`, as `vela`) and `--kubeconfig` (the hub, chosen as for
 * `flotilla cluster`, see cli/cluster/hub.ts). Flags are checked before the hub is loaded.
 * Each action imports the modules doing its work when it runs, so building the command tree
 * stays cheap (cli/main.ts).
 */
import type { Command } from "commander";
import { waitingClock, type Clock } from "../../core/controller/clock.js";
import type { CliConfig } from "../config.js";
import type { Output } from "../output.js";
import type { StatusFlags } from "./status.js";
import { parseDuration } from "./time.js";
import type { AppRef } from "./live-app.js";

export interface AppCommandDeps {
  /** Time for waiting and for ages; default the system clock (with ref'd timers). */
  readonly clock?: Clock;
}

interface HubFlags {
  readonly kubeconfig?: string;
  readonly namespace?: string;
}

const DEFAULT_NAMESPACE = "default";
const kubeconfigHelp =
  "the hub's kubeconfig (default: KUBECONFIG, the local fleet's hub, ~/.kube/config)";

/** Adds `up`, `ls`, `status` and `delete` to `program`. */
export function addAppCommands(
  program: Command,
  cli: CliConfig,
  io: Output,
  deps: AppCommandDeps = {},
): void {
  // Waiting commands have nothing else holding the process open: their timers must.
  const clock = deps.clock ?? waitingClock;
  const connect = async (flags: HubFlags) => {
    const { loadHub } = await import("../cluster/hub.js");
    const { applicationsClient } = await import("./applications.js");
    const hub = await loadHub(cli, flags.kubeconfig);
    return { hub, apps: applicationsClient(hub.kc) };
  };
  const refOf = (name: string, flags: HubFlags) => ({
    name,
    namespace: flags.namespace ?? DEFAULT_NAMESPACE,
  });

  program
    .command("up")
    .description("Create or update the Applications of a file on the hub (server-side apply).")
    .requiredOption("-f, --file <file>", "the Application manifest (YAML; several documents ok)")
    .option("-n, --namespace <ns>", "the namespace (default: the application's own, or default)")
    .option("--wait", "wait until each application is running")
    .option("--timeout <duration>", "with --wait: how long to wait, e.g. 60s, 5m", "5m")
    .option("--kubeconfig <file>", kubeconfigHelp)
    .action(async (flags: HubFlags & { file: string; wait?: boolean; timeout: string }) => {
      const timeoutMs = parseDuration(flags.timeout);
      const { appUp, readApplicationFile } = await import("./up.js");
      const applications = await readApplicationFile(flags.file, flags.namespace);
      const { apps, hub } = await connect(flags);
      const { workflowClient } = await import("../workflow/client.js");
      const revisions = workflowClient(hub.kc);
      const publishVersionOf = async (ref: AppRef, name: string) =>
        (await revisions.listRevisions(ref)).find((r) => r.name === name)?.publishVersion;
      const wait = flags.wait === true ? { clock, timeoutMs, publishVersionOf } : undefined;
      await appUp({ apps, applications, io, ...(wait === undefined ? {} : { wait }) });
    });

  program
    .command("ls")
    .alias("list")
    .description("List applications: one row per component, with phase and health.")
    .option("-n, --namespace <ns>", "the namespace", DEFAULT_NAMESPACE)
    .option("-A, --all-namespaces", "list the applications of every namespace")
    .option("--kubeconfig <file>", kubeconfigHelp)
    .action(async (flags: HubFlags & { allNamespaces?: boolean }) => {
      const { appList } = await import("./list.js");
      const { apps } = await connect(flags);
      const namespace = flags.allNamespaces === true ? undefined : flags.namespace;
      await appList({ apps, namespace, io });
    });

  program
    .command("status <app>")
    .description("Show an application's status: a summary, its resource tree, or the raw status.")
    .option("-n, --namespace <ns>", "the namespace", DEFAULT_NAMESPACE)
    .option("-t, --tree", "show the applied resources as a tree, read live from their clusters")
    .option("--detail", "with --tree: show each resource's details (ready counts, age, …)")
    .option("-o, --output <format>", "print the status object as yaml or json")
    .option("--kubeconfig <file>", kubeconfigHelp)
    .action(async (name: string, flags: HubFlags & StatusFlags) => {
      const { appStatus, statusMode } = await import("./status.js");
      const mode = statusMode(flags);
      const { hub, apps } = await connect(flags);
      const ref = refOf(name, flags);
      await appStatus({ apps, hub: hub.kc, ref, mode, detail: flags.detail === true, clock, io });
    });

  program
    .command("delete <app>")
    .description("Delete an application; by default wait until the hub has removed it.")
    .option("-n, --namespace <ns>", "the namespace", DEFAULT_NAMESPACE)
    .option("--wait", "wait until the application is gone (default)")
    .option("--no-wait", "return once the deletion is accepted")
    .option("--timeout <duration>", "how long to wait, e.g. 60s, 5m", "60s")
    .option("--kubeconfig <file>", kubeconfigHelp)
    .action(async (name: string, flags: HubFlags & { wait?: boolean; timeout: string }) => {
      const timeoutMs = parseDuration(flags.timeout);
      const { appDelete } = await import("./delete.js");
      const { apps } = await connect(flags);
      const ref = refOf(name, flags);
      await appDelete({ apps, ref, wait: flags.wait !== false, timeoutMs, clock, io });
    });
}
