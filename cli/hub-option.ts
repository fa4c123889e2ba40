/**
 * The hub's `--kubeconfig` option, shared by the command groups that talk to the hub (the
 * application commands, `cluster`, `gateway`, `workflow`), and the lazy loader of the hub it
 * chooses (cli/cluster/hub.ts says how). Cheap to import: it loads no package; the hub module
 * (and client-node with it) is imported only when a command runs, so `flotilla --help` stays
 * fast.
 */
import type { Hub } from "./cluster/hub.js";
import type { CliConfig } from "./config.js";

/** `--kubeconfig <file>` and its help, for `command.option(...HUB_KUBECONFIG_OPTION)`. */
export const HUB_KUBECONFIG_OPTION = [
  "--kubeconfig <file>",
  "the hub's kubeconfig (default: KUBECONFIG, the local fleet's hub, ~/.kube/config)",
] as const;

/** Loads the hub chosen by `flag` (the option's value), importing the hub module only now. */
export async function lazyHub(cli: CliConfig, flag: string | undefined): Promise<Hub> {
  return (await import("./cluster/hub.js")).loadHub(cli, flag);
}
