/**
 * The gateway process: parse the configuration, load the hub credential (a kubeconfig file or
 * the in-cluster ServiceAccount, without client-node) and serving certificate, start, serve
 * the plain-HTTP metrics and probe addresses when asked, and stop cleanly on SIGINT/SIGTERM:
 * stop listening, let requests in flight finish (watches and upgraded streams are closed) up
 * to `--graceful-shutdown-timeout`, exit 0 (1 when the bound passed). Nothing else lives here.
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
  "Without --kubeconfig (or $KUBECONFIG) it reads the hub from its in-cluster ServiceAccount.",
  "/healthz, /livez, /readyz and /metrics are always served on the HTTPS port as well.",
].join("\n");
import { jsonLogger, systemClock } from "./deps.js";
import { shutDownProcessOnSignal } from "../core/controller/shutdown.js";
import { loadConnection } from "../core/kube/connect.js";
import { startGateway } from "./start.js";
import { serveGatewayStatus } from "./status-endpoints.js";

/** Runs the gateway until a termination signal; resolves with the exit code. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  if (helpRequested(argv)) {
    process.stdout.write(flagsUsage(gatewayUsage, gatewayFlags));
    return 0;
  }
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
  const log = jsonLogger((line) => process.stderr.write(line + "\n"), systemClock, config.logLevel);
  const [certPem, keyPem] = await Promise.all([
    readFile(config.tlsCertFile, "utf8"),
    readFile(config.tlsKeyFile, "utf8"),
  ]);
  const gateway = await startGateway({ ...config, kubeConfig, certPem, keyPem, log });
  const status = await serveGatewayStatus({
    metricsBindAddress: config.metricsBindAddress,
    healthProbeBindAddress: config.healthProbeBindAddress,
    metrics: gateway.metrics,
    ready: () => gateway.ready(),
    log,
  }).catch(async (error: unknown) => {
    await gateway.close();
    throw error;
  });
  return shutDownProcessOnSignal({
    log,
    timeoutMs: config.gracefulShutdownTimeoutMs,
    // Leave a second of the bound for closing the watch, proxies and clients.
    stop: async () => {
      await gateway.close({ drainMs: Math.max(0, config.gracefulShutdownTimeoutMs - 1000) });
      await status.close();
    },
  });
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === import.meta.filename) {
  // Exit now, whatever is still open: the shutdown above is bounded.
  process.exit(await main(process.argv.slice(2), process.env));
}
