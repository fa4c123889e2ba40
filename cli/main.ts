/**
 * The `flotilla` command. `main(argv)` builds the command tree with commander, runs it and
 * returns the exit code; user mistakes (`CliError`, invalid configuration) print one clear
 * message, anything else its stack. Subcommands live in one folder per noun.
 */
import { Command, CommanderError } from "commander";
import { FleetConfigError } from "../fleet/config.js";
import { loadCliConfig, type CliConfig } from "./config.js";
import { FlotillaError } from "../core/errors.js";
import { addAppCommands } from "./app/command.js";
import { addClusterCommands } from "./cluster/command.js";
import { defList, defRender } from "./def/command.js";
import { dryRun } from "./dry-run/command.js";
import { fleetDown } from "./fleet/down.js";
import { fleetStatus } from "./fleet/status.js";
import { fleetUp } from "./fleet/up.js";
import { addGatewayCommands } from "./gateway/command.js";
import { addWorkflowCommands } from "./workflow/command.js";
import { CliError, type Output } from "./output.js";

const consoleOutput: Output = {
  out: (line) => process.stdout.write(line + "\n"),
  err: (line) => process.stderr.write(line + "\n"),
};

/** Builds the command tree; `setExit` receives a non-zero code a command wants to exit with. */
export function buildProgram(cli: CliConfig, io: Output, setExit: (code: number) => void): Command {
  const program = new Command("flotilla")
    .description(
      "Deliver Open Application Model applications to many Kubernetes clusters and edge node pools.",
    )
    .version("0.1.0")
    .option("--debug", "print stack traces of errors")
    .exitOverride();
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
    .action((options: { config?: string }) => fleetUp(cli, options, io));
  fleet
    .command("down")
    .description("Stop the local fleet and delete its data, logs and kubeconfigs.")
    .action(() => fleetDown(cli, io));
  fleet
    .command("status")
    .description("Show each cluster of the local fleet: readiness, version, Ready nodes, pools.")
    .action(async () => {
      if (!(await fleetStatus(cli, io))) setExit(1);
    });
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
    .action((options: { file: string; definitions: string[]; output: string }) =>
      dryRun(options, io),
    );
  const def = program
    .command("def")
    .description("X-Definitions: render .cue files, list what is available.");
  def
    .command("render <file>")
    .description(
      "Print the custom resource (ComponentDefinition, TraitDefinition, …) of a .cue definition file.",
    )
    .action((file: string) => defRender(file, io));
  def
    .command("list")
    .description("List built-in and loaded definitions with their parameters.")
    .option("-d, --definitions <path>", "extra definition file or folder; repeatable", collect, [])
    .action((options: { definitions: string[] }) => defList(options.definitions, io));
  addClusterCommands(program, cli, io, setExit);
  addGatewayCommands(program, cli, io);
  addAppCommands(program, cli, io);
  addWorkflowCommands(program, cli, io);
  return program;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** User mistakes and typed errors (bad input, not found, conflict, unreachable): one line. */
const isExpected = (error: unknown): error is Error =>
  error instanceof CliError ||
  error instanceof FleetConfigError ||
  (error instanceof FlotillaError && error.code !== "Internal");

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
