/**
 * The application commands, KubeVela-style: `up`, `ls`, `status`, `delete`. Each takes
 * `-n/--namespace` (default `default`, as `vela`) and `--kubeconfig` (the hub, chosen as for
 * `flotilla cluster`, see cli/cluster/hub.ts). Flags are checked before the hub is loaded.
 */
import type { Command } from "commander";
import { waitingClock, type Clock } from "../../core/controller/clock.js";
import type { Hub } from "../cluster/hub.js";
import type { CliConfig } from "../config.js";
import { HUB_KUBECONFIG_OPTION, lazyHub } from "../hub-option.js";
import type { Output } from "../output.js";
import type { ApplicationsClient } from "./applications.js";
import type { StatusFlags } from "./status.js";
import { parseDuration } from "./time.js";
import type { AppRef } from "./live-app.js";

// Each action imports its work when it runs (client-node, yaml, …): building the command
// tree stays cheap.

export interface AppCommandDeps {
  /** Time for waiting and for ages; default the system clock (with ref'd timers). */
  readonly clock?: Clock;
}

interface HubFlags {
  readonly kubeconfig?: string;
  readonly namespace?: string;
}

const DEFAULT_NAMESPACE = "default";

/** What every application subcommand shares: how to reach the hub, the clock and the output. */
interface AppContext {
  readonly connect: (flags: HubFlags) => Promise<{ hub: Hub; apps: ApplicationsClient }>;
  readonly clock: Clock;
  readonly io: Output;
}

const refOf = (name: string, flags: HubFlags): AppRef => ({
  name,
  namespace: flags.namespace ?? DEFAULT_NAMESPACE,
});

type UpFlags = HubFlags & { file: string; wait?: boolean; timeout: string };

async function runUp(ctx: AppContext, flags: UpFlags): Promise<void> {
  const timeoutMs = parseDuration(flags.timeout);
  const { appUp, readApplicationFile } = await import("./up.js");
  const applications = await readApplicationFile(flags.file, flags.namespace);
  const { apps, hub } = await ctx.connect(flags);
  const { workflowClient } = await import("../workflow/client.js");
  const revisions = workflowClient(hub.kc);
  const publishVersionOf = async (ref: AppRef, name: string) =>
    (await revisions.listRevisions(ref)).find((r) => r.name === name)?.publishVersion;
  const wait = flags.wait === true ? { clock: ctx.clock, timeoutMs, publishVersionOf } : undefined;
  await appUp({ apps, applications, io: ctx.io, ...(wait === undefined ? {} : { wait }) });
}

function addUp(program: Command, ctx: AppContext): void {
  program
    .command("up")
    .description("Create or update the Applications of a file on the hub (server-side apply).")
    .requiredOption("-f, --file <file>", "the Application manifest (YAML; several documents ok)")
    .option("-n, --namespace <ns>", "the namespace (default: the application's own, or default)")
    .option("--wait", "wait until each application is running")
    .option("--timeout <duration>", "with --wait: how long to wait, e.g. 60s, 5m", "5m")
    .option(...HUB_KUBECONFIG_OPTION)
    .action((flags: UpFlags) => runUp(ctx, flags));
}

function addList(program: Command, ctx: AppContext): void {
  program
    .command("ls")
    .alias("list")
    .description("List applications: one row per component, with phase and health.")
    .option("-n, --namespace <ns>", "the namespace", DEFAULT_NAMESPACE)
    .option("-A, --all-namespaces", "list the applications of every namespace")
    .option(...HUB_KUBECONFIG_OPTION)
    .action(async (flags: HubFlags & { allNamespaces?: boolean }) => {
      const { apps } = await ctx.connect(flags);
      const namespace = flags.allNamespaces === true ? undefined : flags.namespace;
      const { appList } = await import("./list.js");
      await appList({ apps, namespace, io: ctx.io });
    });
}

function addStatus(program: Command, ctx: AppContext): void {
  program
    .command("status <app>")
    .description("Show an application's status: a summary, its resource tree, or the raw status.")
    .option("-n, --namespace <ns>", "the namespace", DEFAULT_NAMESPACE)
    .option("-t, --tree", "show the applied resources as a tree, read live from their clusters")
    .option("--detail", "with --tree: show each resource's details (ready counts, age, …)")
    .option("-o, --output <format>", "print the status object as yaml or json")
    .option(...HUB_KUBECONFIG_OPTION)
    .action(async (name: string, flags: HubFlags & StatusFlags) => {
      const { appStatus, statusMode } = await import("./status.js");
      const mode = statusMode(flags);
      const { hub, apps } = await ctx.connect(flags);
      const ref = refOf(name, flags);
      const detail = flags.detail === true;
      await appStatus({ apps, hub: hub.kc, ref, mode, detail, clock: ctx.clock, io: ctx.io });
    });
}

function addDelete(program: Command, ctx: AppContext): void {
  program
    .command("delete <app>")
    .description("Delete an application; by default wait until the hub has removed it.")
    .option("-n, --namespace <ns>", "the namespace", DEFAULT_NAMESPACE)
    .option("--wait", "wait until the application is gone (default)")
    .option("--no-wait", "return once the deletion is accepted")
    .option("--timeout <duration>", "how long to wait, e.g. 60s, 5m", "60s")
    .option(...HUB_KUBECONFIG_OPTION)
    .action(async (name: string, flags: HubFlags & { wait?: boolean; timeout: string }) => {
      const timeoutMs = parseDuration(flags.timeout);
      const { apps } = await ctx.connect(flags);
      const ref = refOf(name, flags);
      const wait = flags.wait !== false;
      const { appDelete } = await import("./delete.js");
      await appDelete({ apps, ref, wait, timeoutMs, clock: ctx.clock, io: ctx.io });
    });
}

/** Adds `up`, `ls`, `status` and `delete` to `program`. */
export function addAppCommands(
  program: Command,
  cli: CliConfig,
  io: Output,
  deps: AppCommandDeps = {},
): void {
  const ctx: AppContext = {
    connect: async (flags) => {
      const { applicationsClient } = await import("./applications.js");
      const hub = await lazyHub(cli, flags.kubeconfig);
      return { hub, apps: applicationsClient(hub.kc) };
    },
    // Waiting commands have nothing else holding the process open: their timers must.
    clock: deps.clock ?? waitingClock,
    io,
  };
  addUp(program, ctx);
  addList(program, ctx);
  addStatus(program, ctx);
  addDelete(program, ctx);
}
