/**
 * The CLI's configuration, read once from the environment at the edge (house style §10).
 * `FLOTILLA_HOME` (default `~/.flotilla`) holds the fleet's kubeconfigs and state;
 * `KUBECONFIG` and `~/.kube/config` are where `flotilla cluster` may find the hub.
 */
import os from "node:os";
import path from "node:path";

export interface CliConfig {
  /** Root of Flotilla's per-user files. */
  readonly home: string;
  /** `<home>/fleet`: `<cluster>.kubeconfig` files and `state.json` of the running fleet. */
  readonly fleetDir: string;
  /** The `KUBECONFIG` files (the environment variable split on the path delimiter), if set. */
  readonly kubeconfigEnv: readonly string[];
  /** `~/.kube/config`, kubectl's default. */
  readonly userKubeconfig: string;
}

export function loadCliConfig(env: NodeJS.ProcessEnv = process.env): CliConfig {
  const home = env.FLOTILLA_HOME ?? path.join(os.homedir(), ".flotilla");
  return {
    home,
    fleetDir: path.join(home, "fleet"),
    kubeconfigEnv: (env.KUBECONFIG ?? "").split(path.delimiter).filter((f) => f !== ""),
    userKubeconfig: path.join(os.homedir(), ".kube", "config"),
  };
}
