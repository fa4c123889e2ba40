/**
 * The `flotilla` command. `main(argv)` builds the command tree with commander, runs it and
 * returns the exit code; user mistakes (`CliError`, invalid configuration) print one clear
 * message, anything else its stack. Subcommands live in one folder per noun.
 *
 * Starting must stay cheap (`flotilla --help` in well under 0.3 s, bench/cli-startup.ts):
 * building the tree imports only commander and small modules, and each action loads the
 * modules that do its work (client-node, cue-wasm, the engine, yaml, the fleet) with a dynamic
 * `import()` when it runs. Run as a program (`node dist/cli/main.js`, or through
 * bin/flotilla.js), it exits with `main`'s code.
 */
import path from "node:path";
import { Command, CommanderError } from "commander";
import { FlotillaError } from "../core/errors.js";
import { addAppCommands } from "./app/command.js";
import { addClusterCommands } from "./cluster/command.js";
import { loadCliConfig, type CliConfig } from "./config.js";
import { addGatewayCommands } from "./gateway/command.js";
import { CliError, type Output } from "./output.js";
import { addWorkflowCommands } from "./workflow/command.js";

const consoleOutput: Output = {
  out: (line) => process.stdout.write(line + "\n"),
  err: (line) => process.stderr.write(line + "\n"),
};

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `fleet up | down | status`: the local fleet. */
function addFleetCommands(
  program: Command,
  cli: CliConfig,
  io: Output,
  setExit: (code: number) => void,
): void {
  const fleet = program
    .command("fleet")
    .description(
      "A local fleet of real Kubernetes clusters (hub, members, edge) for development and tests.",
    );
  fleet
    .command("up")
    .description("Start the local fleet in the background and write a kubeconfig per cluster.")
    .option(
      "-c, --config <file>",
      "fleet configuration (YAML); default: local, member-1, member-2, edge-1",
    )
    .option(
      "--in-cluster",
      "install Flotilla into the fleet by its Helm charts (pods on the real nodes) instead of starting it as processes",
    )
    .action(async (options: { config?: string; inCluster?: boolean }) => {
      const { fleetUp } = await import("./fleet/up.js");
      await fleetUp(cli, options, io);
    });
  fleet
    .command("down")
    .description("Stop the local fleet and delete its data, logs and kubeconfigs.")
    .action(async () => (await import("./fleet/down.js")).fleetDown(cli, io));
  fleet
    .command("status")
    .description("Show each cluster of the local fleet: readiness, version, Ready nodes, pools.")
    .action(async () => {
      const { fleetStatus } = await import("./fleet/status.js");
      if (!(await fleetStatus(cli, io))) setExit(1);
    });
}

/** `dry-run -f app.yaml`: render offline. */
function addDryRunCommand(program: Command, io: Output): void {
  program
    .command("dry-run")
    .description("Render an application offline and print every object, grouped per target.")
    .requiredOption("-f, --file <file>", "the Application manifest (YAML)")
    .option(
      "-d, --definitions <path>",
      "extra definition file or folder (.cue or .yaml); repeatable",
      collect,
      [],
    )
    .option("-o, --output <format>", "yaml or json", "yaml")
    .action(async (options: { file: string; definitions: string[]; output: string }) => {
      const { dryRun } = await import("./dry-run/command.js");
      await dryRun(options, io);
    });
}

/** `def render | list`: X-Definitions. */
function addDefCommands(program: Command, io: Output): void {
  const def = program
    .command("def")
    .description("X-Definitions: render .cue files, list what is available.");
  def
    .command("render <file>")
    .description(
      "Print the custom resource (ComponentDefinition, TraitDefinition, …) of a .cue definition file.",
    )
    .action(async (file: string) => (await import("./def/command.js")).defRender(file, io));
  def
    .command("list")
    .description("List built-in and loaded definitions with their parameters.")
    .option("-d, --definitions <path>", "extra definition file or folder; repeatable", collect, [])
    .action(async (options: { definitions: string[] }) => {
      const { defList } = await import("./def/command.js");
      await defList(options.definitions, io);
    });
}

/** Builds the command tree; `setExit` receives a non-zero code a command wants to exit with. */
export function buildProgram(cli: CliConfig, io: Output, setExit: (code: number) => void): Command {
  const program = new Command("flotilla")
    .description(
      "Deliver Open Application Model applications to many Kubernetes clusters and edge node pools.",
    )
    .version("0.1.0")
    .option("--debug", "print stack traces of errors")
    .exitOverride();
  addFleetCommands(program, cli, io, setExit);
  addDryRunCommand(program, io);
  addDefCommands(program, io);
  addClusterCommands(program, cli, io, setExit);
  addGatewayCommands(program, cli, io);
  addAppCommands(program, cli, io);
  addWorkflowCommands(program, cli, io);
  return program;
}

/** User mistakes and typed errors (bad input, not found, conflict, unreachable): one line. */
const isExpected = (error: unknown): error is Error =>
  error instanceof CliError || (error instanceof FlotillaError && error.code !== "Internal");

/** Runs the CLI with `argv` as `process.argv` gives it; resolves with the exit code. */
export async function main(argv: string[], io: Output = consoleOutput): Promise<number> {
  let code = 0;
  const program = buildProgram(loadCliConfig(), io, (c) => (code = c));
  try {
    await program.parseAsync(argv);
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (isExpected(error) && !argv.includes("--debug")) {
      io.err(`error: ${error.message}`);
      return 1;
    }
    io.err(
      error instanceof Error ? `error: ${error.stack ?? error.message}` : `error: ${String(error)}`,
    );
    return 1;
  }
}

/**
 * Runs the CLI as the `flotilla` process: `main` on `process.argv`, its code as the process's
 * exit code. A reader that stops early (`flotilla status app | head`) closes the pipe: the
 * process then ends quietly with 0, as other command-line tools do, instead of dying on EPIPE.
 */
export async function runFlotilla(): Promise<void> {
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
  process.exitCode = await main(process.argv);
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === import.meta.filename) {
  await runFlotilla();
}
