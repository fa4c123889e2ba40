/**
 * The gateway process: parse the configuration, load the hub credential (a kubeconfig file or
 * the in-cluster ServiceAccount, without client-node) and serving certificate, start, and stop cleanly on SIGINT/SIGTERM. Nothing else lives here.
 *
 *   node dist/gateway/main.js --kubeconfig hub.kubeconfig \
 *     --tls-cert-file serving.crt --tls-key-file serving.key [--port 9443] [--impersonate]
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { InvalidInputError, NotFoundError } from "../core/errors.js";
import { gatewayFlags, loadConfig } from "./config.js";
import { flagsUsage, helpRequested } from "../core/config/flags.js";

const gatewayUsage = [
  "Usage: node dist/gateway/main.js --tls-cert-file <file> --tls-key-file <file> [flags]",
  "",
  "Flotilla's cluster gateway: serves /apis/cluster.core.oam.dev/v1alpha1/clustergateways/",
  "<name>/proxy/... for every registered cluster, as the hub's aggregated APIService.",
  "Without --kubeconfig it reads the hub from its in-cluster ServiceAccount.",
].join("\n");
import { jsonLogger, systemClock } from "./deps.js";
import { loadConnection } from "../core/kube/connect.js";
import { startGateway } from "./start.js";

/** Runs the gateway until a termination signal; resolves with the exit code. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  if (helpRequested(argv)) {
    process.stdout.write(flagsUsage(gatewayUsage, gatewayFlags));
    return 0;
  }
  const log = jsonLogger((line) => process.stderr.write(line + "\n"), systemClock);
  let config, kubeConfig;
  try {
    config = loadConfig(env, argv);
    kubeConfig = loadConnection(config.kubeconfig, env);
  } catch (error) {
    // A bad flag, kubeconfig or context: say what is wrong, exit 2.
    if (!(error instanceof InvalidInputError || error instanceof NotFoundError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  const [certPem, keyPem] = await Promise.all([
    readFile(config.tlsCertFile, "utf8"),
    readFile(config.tlsKeyFile, "utf8"),
  ]);
  const gateway = await startGateway({ ...config, kubeConfig, certPem, keyPem, log });
  await new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  log.info("shutting down");
  await gateway.close();
  return 0;
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === import.meta.filename) {
  process.exitCode = await main(process.argv.slice(2), process.env);
}
