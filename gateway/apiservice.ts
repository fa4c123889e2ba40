/**
 * Registers the gateway with a hub's aggregation layer and waits until the hub reports it
 * Available. The hub reaches the gateway through a Service `flotilla-gateway` in `vela-system`
 * of type ExternalName (`localhost` by default: a gateway on the hub's own machine needs no
 * cluster networking) and verifies the gateway's serving certificate against `caBundle` for
 * the name `flotilla-gateway.vela-system.svc`, so that name must be among its DNS SANs.
 *
 * Registration is idempotent (server-side apply with field manager `flotilla-gateway`).
 */
import {
  ApiregistrationV1Api,
  CoreV1Api,
  KubernetesObjectApi,
  PatchStrategy,
  type KubeConfig,
  type KubernetesObject,
} from "@kubernetes/client-node";
import { GATEWAY_GROUP, GATEWAY_VERSION, REGISTRY_NAMESPACE } from "../core/cluster/types.js";
import { UpstreamUnavailableError } from "../core/errors.js";
import { sleep, waitingClock, type Clock } from "./deps.js";

export const APISERVICE_NAME = `${GATEWAY_VERSION}.${GATEWAY_GROUP}`;
export const GATEWAY_SERVICE = "flotilla-gateway";

export interface ApiServiceInput {
  /** The port the gateway listens on (the Service port must equal it). */
  readonly port: number;
  /** PEM of the CA that signed the gateway's serving certificate. */
  readonly caBundlePem: string;
  /** Where the hub connects: default `localhost`. */
  readonly externalName?: string;
  readonly serviceName?: string;
  readonly namespace?: string;
  readonly groupPriorityMinimum?: number;
  readonly versionPriority?: number;
}

/** The Namespace, Service and APIService that register the gateway (pure). */
export function apiServiceManifests(input: ApiServiceInput): KubernetesObject[] {
  const namespace = input.namespace ?? REGISTRY_NAMESPACE;
  const service = input.serviceName ?? GATEWAY_SERVICE;
  const labels = { "app.kubernetes.io/name": "flotilla-gateway" };
  return [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: service, namespace, labels },
      spec: {
        type: "ExternalName",
        externalName: input.externalName ?? "localhost",
        ports: [{ name: "https", port: input.port, protocol: "TCP" }],
      },
    } as KubernetesObject,
    {
      apiVersion: "apiregistration.k8s.io/v1",
      kind: "APIService",
      metadata: { name: APISERVICE_NAME, labels },
      spec: {
        group: GATEWAY_GROUP,
        version: GATEWAY_VERSION,
        service: { name: service, namespace, port: input.port },
        caBundle: Buffer.from(input.caBundlePem, "utf8").toString("base64"),
        groupPriorityMinimum: input.groupPriorityMinimum ?? 5000,
        versionPriority: input.versionPriority ?? 10,
      },
    } as KubernetesObject,
  ];
}

/** Applies the registration to the hub (create or update). */
export async function registerApiService(
  kubeConfig: KubeConfig,
  input: ApiServiceInput,
): Promise<void> {
  const objects = kubeConfig.makeApiClient(KubernetesObjectApi);
  for (const manifest of apiServiceManifests(input)) {
    await objects.patch(
      manifest,
      undefined,
      undefined,
      "flotilla-gateway",
      true,
      PatchStrategy.ServerSideApply,
    );
  }
}

/** Removes the APIService and the Service (the namespace stays). Missing objects are fine. */
export async function unregisterApiService(
  kubeConfig: KubeConfig,
  input: Pick<ApiServiceInput, "serviceName" | "namespace"> = {},
): Promise<void> {
  const ignoreMissing = (error: unknown): void => {
    if ((error as { code?: number }).code !== 404) throw error;
  };
  await kubeConfig
    .makeApiClient(ApiregistrationV1Api)
    .deleteAPIService({ name: APISERVICE_NAME })
    .catch(ignoreMissing);
  await kubeConfig
    .makeApiClient(CoreV1Api)
    .deleteNamespacedService({
      name: input.serviceName ?? GATEWAY_SERVICE,
      namespace: input.namespace ?? REGISTRY_NAMESPACE,
    })
    .catch(ignoreMissing);
}

export interface WaitOptions {
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
  readonly clock?: Clock;
}

/**
 * Resolves once the hub reports the APIService `Available=True`; `UpstreamUnavailableError`
 * with the hub's last reason and message when it does not within `timeoutMs` (default 60 s).
 */
export async function waitApiServiceAvailable(
  kubeConfig: KubeConfig,
  options: WaitOptions = {},
): Promise<void> {
  const api = kubeConfig.makeApiClient(ApiregistrationV1Api);
  // Ref'd timers by default: a caller awaiting this wait (a CLI with nothing else pending)
  // must not exit mid-wait, as it would with the system clock's unref'd ones.
  const clock = options.clock ?? waitingClock;
  const deadline = clock.now() + (options.timeoutMs ?? 60_000);
  const interval = options.intervalMs ?? 500;
  for (;;) {
    const { available, detail } = await availability(api);
    if (available) return;
    if (clock.now() > deadline) {
      throw new UpstreamUnavailableError(
        `APIService ${APISERVICE_NAME} is not Available (${detail})`,
      );
    }
    await sleep(clock, interval);
  }
}

async function availability(
  api: ApiregistrationV1Api,
): Promise<{ available: boolean; detail: string }> {
  const service = await api.readAPIService({ name: APISERVICE_NAME });
  const condition = service.status?.conditions?.find((c) => c.type === "Available");
  if (condition === undefined) return { available: false, detail: "no status yet" };
  return {
    available: condition.status === "True",
    detail: `${condition.reason}: ${condition.message}`,
  };
}
