/**
 * The `flotilla gateway` command group: `register` and `unregister` the cluster gateway as the
 * hub's aggregated APIService `v1alpha1.cluster.core.oam.dev` (KubeVela's cluster-gateway
 * API). The hub is chosen as for `flotilla cluster` (cli/cluster/hub.ts), from the group's
 * `--kubeconfig` option, and loaded only once the flags are checked.
 */
import type { Command } from "commander";
import { APISERVICE_NAME, GATEWAY_SERVICE, REGISTRY_NAMESPACE } from "../../core/cluster/types.js";
import type { Hub } from "../cluster/hub.js";
import type { CliConfig } from "../config.js";
import { HUB_KUBECONFIG_OPTION, lazyHub } from "../hub-option.js";
import type { Output } from "../output.js";
import { DEFAULT_WAIT, type RegisterFlags, type ServiceFlags } from "./flags.js";

/** The Service name and namespace options, shared by register and unregister. */
function serviceOptions(command: Command): Command {
  return command
    .option(
      "--service-name <name>",
      `the Service the hub connects to (default: ${GATEWAY_SERVICE})`,
    )
    .option("--namespace <ns>", `the Service's namespace (default: ${REGISTRY_NAMESPACE})`);
}

function addRegister(gateway: Command, hub: () => Promise<Hub>, io: Output): void {
  const register = gateway
    .command("register")
    .description(
      `Register the gateway on the hub as the APIService ${APISERVICE_NAME} and wait until it ` +
        "is Available.",
    )
    .requiredOption("--port <port>", "the gateway's HTTPS port (the Service port)")
    .requiredOption(
      "--ca-file <file>",
      "PEM of the CA that signed the gateway's serving certificate",
    )
    .option(
      "--external-name <host>",
      "reach a gateway outside the hub cluster at this DNS name (ExternalName; default: localhost)",
    )
    .option(
      "--selector <k=v,...>",
      "reach the gateway's pods in the hub cluster (ClusterIP Service)",
    )
    .option("--target-port <port>", "with --selector: the pods' port (default: --port)");
  serviceOptions(register)
    .option("--no-wait", "return once applied, without waiting for Available")
    .option("--timeout <duration>", `how long to wait for Available (default: ${DEFAULT_WAIT})`)
    .action(async (flags: RegisterFlags) =>
      (await import("./register.js")).gatewayRegister(hub, flags, io),
    );
}

function addUnregister(gateway: Command, hub: () => Promise<Hub>, io: Output): void {
  const unregister = gateway
    .command("unregister")
    .description(`Remove the APIService ${APISERVICE_NAME} and its Service from the hub.`);
  serviceOptions(unregister).action(async (flags: ServiceFlags) =>
    (await import("./register.js")).gatewayUnregister(hub, flags, io),
  );
}

/** Adds `gateway` and its subcommands to `program`. */
export function addGatewayCommands(program: Command, cli: CliConfig, io: Output): void {
  const gateway = program
    .command("gateway")
    .description("Register the cluster gateway with the hub's aggregation layer.")
    .option(...HUB_KUBECONFIG_OPTION);
  const hub = (): Promise<Hub> => lazyHub(cli, gateway.opts<{ kubeconfig?: string }>().kubeconfig);
  addRegister(gateway, hub, io);
  addUnregister(gateway, hub, io);
}
