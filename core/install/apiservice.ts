/**
 * Registers the gateway with a hub's aggregation layer and waits until the hub reports it
 * Available. The hub reaches the gateway through a Service `flotilla-gateway` in `vela-system`:
 * either of type ExternalName (`localhost` by default: a gateway on the hub's own machine needs
 * no cluster networking) or, given a `selector`, a ClusterIP Service selecting the gateway's
 * pods in the hub cluster. The hub verifies the gateway's serving certificate against
 * `caBundle` for the name `<service>.<namespace>.svc` (`apiServiceHost`), so that name must be
 * among its DNS SANs.
 *
 * Registration is idempotent (server-side apply with field manager `flotilla-gateway`). `hub`
 * is a `KubeConnection` or a kubeconfig object (a client-node `KubeConfig` works); each call
 * opens its own connections and closes them before it returns. Used by
 * `flotilla gateway register|unregister` and the local fleet.
 */
import {
  APISERVICE_NAME,
  GATEWAY_GROUP,
  GATEWAY_SERVICE,
  GATEWAY_VERSION,
  REGISTRY_NAMESPACE,
} from "../cluster/types.js";
import { NotFoundError, UpstreamUnavailableError } from "../errors.js";
import type { JsonObject } from "../json.js";
import { assertServiceTarget } from "./apiservice-target.js";
import { sleep, waitingClock, type Clock } from "../controller/clock.js";
import { APPLY_PATCH, createKubeClient, type KubeClient } from "../kube/client.js";
import { resolveConnection, type ConnectionSource } from "../kube/connect.js";

export interface ApiServiceInput {
  /** The port the gateway listens on (the Service port must equal it). */
  readonly port: number;
  /** PEM of the CA that signed the gateway's serving certificate. */
  readonly caBundlePem: string;
  /** Where the hub connects (an ExternalName Service): default `localhost`. */
  readonly externalName?: string;
  /** Labels of the gateway's pods in the hub cluster: a ClusterIP Service selecting them. */
  readonly selector?: Readonly<Record<string, string>>;
  /** With `selector`: the pods' port, when it differs from `port` (the Service port). */
  readonly targetPort?: number;
  readonly serviceName?: string;
  readonly namespace?: string;
  readonly groupPriorityMinimum?: number;
  readonly versionPriority?: number;
}

/** One object to apply. */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  readonly spec?: JsonObject;
}

/** The Service the hub reaches the gateway through, defaults applied (pure). */
export function serviceRef(input: Pick<ApiServiceInput, "serviceName" | "namespace">): {
  name: string;
  namespace: string;
} {
  return {
    name: input.serviceName ?? GATEWAY_SERVICE,
    namespace: input.namespace ?? REGISTRY_NAMESPACE,
  };
}

/** The DNS name the hub verifies the gateway's serving certificate for (pure). */
export function apiServiceHost(input: Pick<ApiServiceInput, "serviceName" | "namespace">): string {
  const { name, namespace } = serviceRef(input);
  return `${name}.${namespace}.svc`;
}

/** The Service's spec: ExternalName, or ClusterIP selecting the gateway's pods (pure). */
function serviceSpec(input: ApiServiceInput): JsonObject {
  assertServiceTarget(input);
  const port = { name: "https", port: input.port, protocol: "TCP" };
  if (input.selector === undefined)
    return { type: "ExternalName", externalName: input.externalName ?? "localhost", ports: [port] };
  return {
    type: "ClusterIP",
    selector: { ...input.selector },
    ports: [{ ...port, targetPort: input.targetPort ?? input.port }],
  };
}

/**
 * The Namespace, Service and APIService that register the gateway (pure).
 * `InvalidInputError` for an external name together with a selector, or a target port
 * without one.
 */
export function apiServiceManifests(input: ApiServiceInput): Manifest[] {
  const { name: service, namespace } = serviceRef(input);
  const labels = { "app.kubernetes.io/name": "flotilla-gateway" };
  return [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: service, namespace, labels },
      spec: serviceSpec(input),
    },
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
    },
  ];
}

/**
 * The API path of `manifest` (pure): `/api/v1` for the core group, `/apis/<group>/<version>`
 * otherwise; the resource is the kind in lower case plus "s", right for the kinds used here.
 */
export function manifestPath(manifest: Manifest): string {
  const base = manifest.apiVersion === "v1" ? "/api/v1" : `/apis/${manifest.apiVersion}`;
  const namespace = manifest.metadata.namespace;
  const scope = namespace === undefined ? "" : `/namespaces/${namespace}`;
  return `${base}${scope}/${manifest.kind.toLowerCase()}s/${manifest.metadata.name}`;
}

async function withHub<T>(
  hub: ConnectionSource,
  work: (client: KubeClient) => Promise<T>,
): Promise<T> {
  const client = createKubeClient(resolveConnection(hub), { name: "hub" });
  try {
    return await work(client);
  } finally {
    client.close();
  }
}

/** Applies the registration to the hub (create or update). */
export function registerApiService(hub: ConnectionSource, input: ApiServiceInput): Promise<void> {
  return withHub(hub, async (client) => {
    for (const manifest of apiServiceManifests(input)) {
      await client.json({
        method: "PATCH",
        path: manifestPath(manifest),
        query: { fieldManager: "flotilla-gateway", force: true },
        contentType: APPLY_PATCH,
        body: manifest,
      });
    }
  });
}

const ignoreMissing = (error: unknown): void => {
  if (!(error instanceof NotFoundError)) throw error;
};

/** Removes the APIService and the Service (the namespace stays). Missing objects are fine. */
export function unregisterApiService(
  hub: ConnectionSource,
  input: Pick<ApiServiceInput, "serviceName" | "namespace"> = {},
): Promise<void> {
  const [, service, apiService] = apiServiceManifests({ ...input, port: 0, caBundlePem: "" });
  return withHub(hub, async (client) => {
    for (const manifest of [apiService, service]) {
      if (manifest === undefined) continue;
      await client.json({ method: "DELETE", path: manifestPath(manifest) }).catch(ignoreMissing);
    }
  });
}

export interface WaitOptions extends Pick<ApiServiceInput, "serviceName" | "namespace"> {
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
  readonly clock?: Clock;
}

/**
 * Resolves once the hub reports the APIService `Available=True`, polling every `intervalMs`
 * (default 500 ms). A poll the hub fails with `UpstreamUnavailableError` (a network failure,
 * a timeout, a 5xx) is retried like an answer that is not Available yet; any other error (the
 * hub refusing the credential) ends the wait at once. When the APIService is not Available
 * within `timeoutMs` (default 60 s): `UpstreamUnavailableError` with the hub's last reason and
 * message (or the last failed poll) and the name the gateway's serving certificate must carry
 * (`apiServiceHost` of `serviceName` and `namespace`, as registered).
 */
export function waitApiServiceAvailable(
  hub: ConnectionSource,
  options: WaitOptions = {},
): Promise<void> {
  return withHub(hub, (client) => waitAvailable(client, options));
}

async function waitAvailable(client: KubeClient, options: WaitOptions): Promise<void> {
  // Ref'd timers by default: a caller awaiting this wait (a CLI with nothing else pending)
  // must not exit mid-wait, as it would with the system clock's unref'd ones.
  const clock = options.clock ?? waitingClock;
  const deadline = clock.now() + (options.timeoutMs ?? 60_000);
  const interval = options.intervalMs ?? 500;
  for (;;) {
    const poll = await availability(client).catch(failedPoll);
    if (poll.available) return;
    if (clock.now() > deadline) {
      throw new UpstreamUnavailableError(notAvailableMessage(poll.detail, options), {
        cause: poll.cause,
      });
    }
    await sleep(clock, interval);
  }
}

/** What the hub needs before it reports the APIService Available, after `detail` (pure). */
function notAvailableMessage(
  detail: string,
  service: Pick<ApiServiceInput, "serviceName" | "namespace">,
): string {
  return (
    `APIService ${APISERVICE_NAME} is not Available (${detail}); the gateway must be running ` +
    `and serve a certificate signed by the registered CA for the name ${apiServiceHost(service)}`
  );
}

interface ApiServiceStatus {
  status?: {
    conditions?: Array<{ type?: string; status?: string; reason?: string; message?: string }>;
  };
}

interface Availability {
  readonly available: boolean;
  readonly detail: string;
  /** The error of a failed poll. */
  readonly cause?: UpstreamUnavailableError;
}

/** A poll the hub failed: worth another try when the hub may answer later, else rethrown. */
function failedPoll(error: unknown): Availability {
  if (!(error instanceof UpstreamUnavailableError)) throw error;
  return { available: false, detail: `the hub did not answer: ${error.message}`, cause: error };
}

async function availability(client: KubeClient): Promise<Availability> {
  const service = await client.json<ApiServiceStatus>({
    path: `/apis/apiregistration.k8s.io/v1/apiservices/${APISERVICE_NAME}`,
  });
  const condition = service.status?.conditions?.find((c) => c.type === "Available");
  if (condition === undefined) return { available: false, detail: "no status yet" };
  return {
    available: condition.status === "True",
    detail: `${condition.reason}: ${condition.message}`,
  };
}
