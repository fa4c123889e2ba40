/**
 * Helpers for the gateway's integration tests against a real fleet: hub clients, cluster
 * registration through the credential Secret (as `cluster join` will write it),
 * ServiceAccounts with tokens and RBAC on the hub, an in-process gateway with a serving
 * certificate the hub's aggregator accepts, and a small HTTPS client.
 */
import https from "node:https";
import path from "node:path";
import type { KubeConfig } from "@kubernetes/client-node";
import { CoreV1Api, RbacAuthorizationV1Api, type V1Secret } from "@kubernetes/client-node";
import { secretFromRecord } from "../../core/cluster/secret.js";
import {
  REGISTRY_NAMESPACE,
  gatewayProxyPath,
  type ClusterRecord,
} from "../../core/cluster/types.js";
import { silentLogger } from "../../gateway/deps.js";
import {
  startGateway,
  type RunningGateway,
  type StartGatewayOptions,
} from "../../gateway/start.js";
import type { FleetCluster } from "../../fleet/fleet.js";
import {
  gatewayServingCertificate as fleetServingCertificate,
  kubeConfigOf,
  memberRecord,
} from "../../fleet/gateway.js";
import type { ServingCertificate } from "../../fleet/pki.js";
import { waitFor } from "../../fleet/wait.js";

export const AUDIENCE = "flotilla-gateway-test";

export { kubeConfigOf };

/** The record of a fleet cluster reached with its admin certificate, labelled for the tests. */
export function adminRecord(cluster: FleetCluster): ClusterRecord {
  return { ...memberRecord(cluster), labels: { region: "test" } };
}

/** Creates `namespace` unless it exists. */
export async function ensureNamespace(kc: KubeConfig, name: string): Promise<void> {
  await kc
    .makeApiClient(CoreV1Api)
    .createNamespace({ body: { metadata: { name } } })
    .catch((error: { code?: number }) => {
      if (error.code !== 409) throw error;
    });
}

/** Registers a cluster on the hub by writing its credential Secret (KubeVela's layout). */
export async function registerCluster(hub: KubeConfig, record: ClusterRecord): Promise<void> {
  await ensureNamespace(hub, REGISTRY_NAMESPACE);
  await hub.makeApiClient(CoreV1Api).createNamespacedSecret({
    namespace: REGISTRY_NAMESPACE,
    body: secretFromRecord(record) as V1Secret,
  });
}

/** Creates a ServiceAccount and returns a TokenRequest token for it. */
export async function serviceAccountToken(
  hub: KubeConfig,
  ns: string,
  name: string,
  audiences?: string[],
): Promise<string> {
  const core = hub.makeApiClient(CoreV1Api);
  await ensureNamespace(hub, ns);
  await core
    .createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name } } })
    .catch((error: { code?: number }) => {
      if (error.code !== 409) throw error;
    });
  const request = await core.createNamespacedServiceAccountToken({
    name,
    namespace: ns,
    // No audiences: the hub's own API audience.
    body: { spec: { audiences: audiences ?? [], expirationSeconds: 600 } },
  });
  return request.status?.token ?? "";
}

/** Lets `ns/name` use every clustergateways endpoint, on the hub. */
export async function allowClusterGateways(
  hub: KubeConfig,
  ns: string,
  name: string,
): Promise<void> {
  const rbac = hub.makeApiClient(RbacAuthorizationV1Api);
  const role = `clustergateway-user-${ns}-${name}`;
  await rbac.createClusterRole({
    body: {
      metadata: { name: role },
      rules: [
        {
          apiGroups: ["cluster.core.oam.dev"],
          resources: ["clustergateways", "clustergateways/proxy", "clustergateways/health"],
          verbs: ["get", "list", "watch", "create", "update", "patch", "delete"],
        },
      ],
    },
  });
  await rbac.createClusterRoleBinding({
    body: {
      metadata: { name: role },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role },
      subjects: [{ kind: "ServiceAccount", name, namespace: ns }],
    },
  });
}

/** Binds `ns/name` to the ClusterRole `clusterRole` (e.g. `cluster-admin`) on that cluster. */
export async function bindClusterRole(
  kc: KubeConfig,
  ns: string,
  name: string,
  clusterRole: string,
): Promise<void> {
  await kc.makeApiClient(RbacAuthorizationV1Api).createClusterRoleBinding({
    body: {
      metadata: { name: `${clusterRole}-${ns}-${name}` },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: clusterRole },
      subjects: [{ kind: "ServiceAccount", name, namespace: ns }],
    },
  });
}

/** The fleet's gateway serving certificate, issued under `<workDir>/gateway-pki`. */
export function gatewayServingCertificate(workDir: string): Promise<ServingCertificate> {
  return fleetServingCertificate(path.join(workDir, "gateway-pki"));
}

/** Starts an in-process gateway on 127.0.0.1 with a free port and the test audience. */
export function startTestGateway(
  hub: KubeConfig,
  tls: ServingCertificate,
  options: Partial<StartGatewayOptions> = {},
): Promise<RunningGateway> {
  return startGateway({
    kubeConfig: hub,
    certPem: tls.serving.cert,
    keyPem: tls.serving.key,
    host: "127.0.0.1",
    port: 0,
    audience: AUDIENCE,
    impersonate: false,
    probeIntervalMs: 1_000,
    log: silentLogger,
    ...options,
  });
}

export interface Reply {
  readonly status: number;
  readonly text: string;
  json<T = Record<string, unknown>>(): T;
}

export interface CallOptions {
  readonly method?: string;
  readonly token?: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** Default: Node's global agent. */
  readonly agent?: https.Agent;
}

/** One HTTPS request to `base + path`, trusting `caPem`; resolves with any HTTP answer. */
export function call(
  base: string,
  caPem: string,
  urlPath: string,
  options: CallOptions = {},
): Promise<Reply> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = { accept: "application/json", ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (payload !== undefined) headers["content-type"] = "application/json";
  return new Promise((resolve, reject) => {
    const req = https.request(
      new URL(urlPath, base),
      {
        method: options.method ?? "GET",
        ca: caPem,
        headers,
        ...(options.agent === undefined ? {} : { agent: options.agent }),
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, text, json: <T>() => JSON.parse(text) as T }),
        );
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error(`${urlPath} timed out`)));
    req.on("error", reject);
    req.end(payload);
  });
}

/** `gatewayProxyPath(cluster) + path`. */
export const proxied = (cluster: string, rest: string): string =>
  `${gatewayProxyPath(cluster)}${rest}`;

/** Polls `check` (a plain value or undefined) for up to 30 s. */
export const eventually = <T>(what: string, check: () => T | undefined): Promise<T> =>
  waitFor(what, () => Promise.resolve(check()), { timeoutMs: 30_000 });

/** Who member-1 thinks the caller is: a SelfSubjectReview through a gateway. */
export async function whoAmI(
  gatewayUrl: string,
  caPem: string,
  token: string,
  headers: Record<string, string> = {},
): Promise<{ username: string; groups: string[] }> {
  const reply = await call(
    gatewayUrl,
    caPem,
    proxied("member-1", "/apis/authentication.k8s.io/v1/selfsubjectreviews"),
    {
      method: "POST",
      token,
      headers,
      body: { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" },
    },
  );
  if (reply.status !== 201)
    throw new Error(`SelfSubjectReview: HTTP ${reply.status}: ${reply.text}`);
  return reply.json<{ status: { userInfo: { username: string; groups: string[] } } }>().status
    .userInfo;
}
