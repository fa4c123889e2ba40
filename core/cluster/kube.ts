/**
 * Small helpers around `@kubernetes/client-node` for the registry: a `KubeConfig` for a
 * registered cluster, per-request timeouts, and one translation of client errors into
 * Flotilla's typed errors (decided by HTTP status or error class, never by message text).
 */
import {
  ApiException,
  CoreV1Api,
  KubeConfig,
  Observable,
  type ConfigurationOptions,
  type ObservableMiddleware,
} from "@kubernetes/client-node";
import { FlotillaError, NotFoundError, UpstreamUnavailableError } from "../errors.js";
import { errorClassOf, statusMessageOf } from "../kube/status.js";
import { KeepAliveKubeConfig } from "./keep-alive.js";
import { gatewayProxyPath, type ClusterRecord } from "./types.js";

/** Per-request options that abort a request after `timeoutMs`. */
export function withTimeout(timeoutMs: number): ConfigurationOptions {
  const timeout: ObservableMiddleware = {
    pre: (context) => {
      context.setSignal(AbortSignal.timeout(timeoutMs));
      return new Observable(Promise.resolve(context));
    },
    post: (context) => new Observable(Promise.resolve(context)),
  };
  return { middleware: [timeout], middlewareMergeStrategy: "append" };
}

const b64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");

/** A `KubeConfig` that reaches `record`'s API server with its stored credential. */
export function kubeConfigFor(record: ClusterRecord): KubeConfig {
  const kc = new KubeConfig();
  const credential = record.credential;
  const user =
    credential.type === "X509Certificate"
      ? { name: record.name, certData: b64(credential.certPem), keyData: b64(credential.keyPem) }
      : { name: record.name, token: credential.token };
  kc.loadFromOptions({
    clusters: [
      {
        name: record.name,
        server: record.endpoint,
        ...(record.caPem === undefined ? { skipTLSVerify: true } : { caData: b64(record.caPem) }),
      },
    ],
    users: [user],
    contexts: [{ name: record.name, cluster: record.name, user: record.name }],
    currentContext: record.name,
  });
  return kc;
}

/** The HTTP status of a failed API call, or undefined when no response came. */
export function apiStatusOf(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}

/**
 * `error` from a client call as a Flotilla error whose message starts with `what`: HTTP
 * statuses map to their error class by `core/kube/status.ts`'s table (5xx and network failures to
 * `UpstreamUnavailableError`);
 * Flotilla errors pass through unchanged.
 */
export function kubeError(error: unknown, what: string): FlotillaError {
  if (error instanceof FlotillaError) return error;
  if (error instanceof ApiException) {
    const status = error.code;
    const Kind = errorClassOf(status);
    const reason =
      status === 401
        ? "credential rejected (HTTP 401)"
        : (statusMessageOf(error.body) ?? `HTTP ${status}`);
    return new Kind(`${what}: ${reason}`, { cause: error });
  }
  // node-fetch reports the per-request timeout (withTimeout) as an AbortError.
  const aborted = error instanceof Error && error.name === "AbortError";
  const message = error instanceof Error ? error.message : String(error);
  return new UpstreamUnavailableError(`${what}: ${aborted ? "no answer in time" : message}`, {
    cause: error,
  });
}

/** Creates namespace `name` on the cluster of `kc` unless it exists (another creator racing us is fine). */
export async function ensureNamespace(
  kc: KubeConfig,
  name: string,
  timeoutMs = 30_000,
): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  const timeout = withTimeout(timeoutMs);
  const exists = await core.readNamespace({ name }, timeout).then(
    () => true,
    (error: unknown) => {
      if (apiStatusOf(error) === 404) return false;
      throw kubeError(error, `reading namespace ${name}`);
    },
  );
  if (exists) return;
  await core.createNamespace({ body: { metadata: { name } } }, timeout).catch((error: unknown) => {
    if (apiStatusOf(error) !== 409) throw kubeError(error, `creating namespace ${name}`);
  });
}

/**
 * The hub kubeconfig with its current cluster's server moved to the gateway path of `cluster`
 * (`…/clustergateways/<cluster>/proxy`): the member as reached through the hub's aggregated
 * API, with the hub credential, over kept-alive connections (`KeepAliveKubeConfig`).
 */
export function gatewayKubeConfig(hub: KubeConfig, cluster: string): KubeConfig {
  const current = hub.getCurrentCluster();
  if (current === null) throw new NotFoundError("the hub kubeconfig has no current cluster");
  const kc = new KeepAliveKubeConfig();
  kc.loadFromOptions({
    clusters: hub.clusters.map((c) =>
      c.name === current.name ? { ...c, server: `${c.server}${gatewayProxyPath(cluster)}` } : c,
    ),
    users: hub.users,
    contexts: hub.contexts,
    currentContext: hub.currentContext,
  });
  return kc;
}
