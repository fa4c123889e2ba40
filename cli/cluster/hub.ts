/**
 * Which hub `flotilla cluster` talks to: `--kubeconfig <file>`, else the first existing file
 * of `KUBECONFIG`, else the hub of the local fleet when one is running, else `~/.kube/config`.
 * The chosen file is loaded with client-node (any credential kind works for the hub) and its
 * current context parsed for `export-config`.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import {
  parseKubeconfig,
  selectContext,
  type SelectedContext,
} from "../../core/cluster/kubeconfig.js";
import { isAlive } from "../../fleet/processes.js";
import type { CliConfig } from "../config.js";
import { readFleetState, statePids } from "../fleet/state.js";
import { CliError } from "../output.js";

export interface Hub {
  /** The kubeconfig file and why it was chosen. */
  readonly file: string;
  readonly origin: string;
  readonly kc: KubeConfig;
  /** The hub's current context (cluster and user entries), for `export-config`. */
  readonly context: SelectedContext;
  /** The hub API server's URL. */
  readonly server: string;
}

async function fleetHubFile(cli: CliConfig): Promise<string | undefined> {
  const state = await readFleetState(cli.fleetDir).catch(() => undefined);
  if (state === undefined || !statePids(state).some(isAlive)) return undefined;
  return state.clusters.find((c) => c.hub)?.kubeconfigFile;
}

/** The hub kubeconfig file and where the choice came from; `CliError` when there is none. */
export async function hubKubeconfigFile(
  cli: CliConfig,
  flag: string | undefined,
): Promise<{ file: string; origin: string }> {
  if (flag !== undefined) return { file: path.resolve(flag), origin: "--kubeconfig" };
  if (cli.kubeconfigEnv.length > 0) {
    const file = cli.kubeconfigEnv.find((f) => existsSync(f));
    if (file === undefined) {
      throw new CliError(`none of the KUBECONFIG files exists: ${cli.kubeconfigEnv.join(", ")}`);
    }
    return { file, origin: "KUBECONFIG" };
  }
  const fleet = await fleetHubFile(cli);
  if (fleet !== undefined) return { file: fleet, origin: "the local fleet" };
  if (existsSync(cli.userKubeconfig)) return { file: cli.userKubeconfig, origin: "~/.kube/config" };
  throw new CliError(
    "no hub kubeconfig: pass --kubeconfig <file>, set KUBECONFIG, or start a local fleet with " +
      '"flotilla fleet up"',
  );
}

/** Loads the hub: its client configuration and current context. */
export async function loadHub(cli: CliConfig, flag: string | undefined): Promise<Hub> {
  const { file, origin } = await hubKubeconfigFile(cli, flag);
  const text = await readFile(file, "utf8").catch((error: Error) => {
    throw new CliError(`cannot read the hub kubeconfig ${file} (from ${origin}): ${error.message}`);
  });
  const context = selectContext(parseKubeconfig(text, file));
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(file);
  } catch (error) {
    throw new CliError(`cannot load the hub kubeconfig ${file}: ${(error as Error).message}`);
  }
  const server = kc.getCurrentCluster()?.server ?? String(context.cluster.server);
  return { file, origin, kc, context, server };
}
