/**
 * `cluster join --create-service-account`: with the user's own credential for the member,
 * create a dedicated identity for the hub there — ServiceAccount `kube-system/flotilla-
 * cluster-gateway`, bound to `cluster-admin` (cluster-gateway's managed service account gets
 * the equivalent `*` on `*` ClusterRole) — and a long-lived token Secret of type
 * `kubernetes.io/service-account-token`, which the member's token controller fills in.
 * Idempotent: existing objects are reused, so joining the same member twice shares one token.
 */
import {
  CoreV1Api,
  RbacAuthorizationV1Api,
  type KubeConfig,
  type V1ClusterRoleBinding,
  type V1Secret,
  type V1ServiceAccount,
} from "@kubernetes/client-node";
import { UpstreamUnavailableError } from "../../core/errors.js";
import { kubeError, withTimeout } from "../../core/cluster/kube.js";
import { ensure } from "../../core/install/ensure.js";

export const SERVICE_ACCOUNT_NAMESPACE = "kube-system";
export const SERVICE_ACCOUNT_NAME = "flotilla-cluster-gateway";
export const TOKEN_SECRET_NAME = `${SERVICE_ACCOUNT_NAME}-token`;

export interface ServiceAccountOptions {
  /** Reaches the member with the user's credential. */
  readonly member: KubeConfig;
  /** How long to wait for the token controller; default 30 s. */
  readonly waitMs?: number;
  readonly timeoutMs?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const labels = { "app.kubernetes.io/managed-by": "flotilla" };

/** The three objects, as plain manifests (pure). */
export function serviceAccountManifests(): {
  serviceAccount: V1ServiceAccount;
  binding: V1ClusterRoleBinding;
  secret: V1Secret;
} {
  const ref = { name: SERVICE_ACCOUNT_NAME, namespace: SERVICE_ACCOUNT_NAMESPACE };
  return {
    serviceAccount: { metadata: { ...ref, labels } },
    binding: {
      metadata: { name: SERVICE_ACCOUNT_NAME, labels },
      roleRef: {
        apiGroup: "rbac.authorization.k8s.io",
        kind: "ClusterRole",
        name: "cluster-admin",
      },
      subjects: [{ kind: "ServiceAccount", ...ref }],
    },
    secret: {
      metadata: {
        name: TOKEN_SECRET_NAME,
        namespace: SERVICE_ACCOUNT_NAMESPACE,
        labels,
        annotations: { "kubernetes.io/service-account.name": SERVICE_ACCOUNT_NAME },
      },
      type: "kubernetes.io/service-account-token",
    },
  };
}

/** Runs `create`; an AlreadyExists (409) counts as success (the installers' create-or-keep). */
const createOrKeep = (what: string, create: () => Promise<unknown>): Promise<void> =>
  ensure(`${what} in the member`, create);

/** Creates (or reuses) the ServiceAccount, binding and token Secret; resolves with the token. */
export async function ensureServiceAccountToken(options: ServiceAccountOptions): Promise<string> {
  const timeout = withTimeout(options.timeoutMs ?? 10_000);
  const core = options.member.makeApiClient(CoreV1Api);
  const rbac = options.member.makeApiClient(RbacAuthorizationV1Api);
  const { serviceAccount, binding, secret } = serviceAccountManifests();
  const namespace = SERVICE_ACCOUNT_NAMESPACE;
  await createOrKeep(`ServiceAccount ${namespace}/${SERVICE_ACCOUNT_NAME}`, () =>
    core.createNamespacedServiceAccount({ namespace, body: serviceAccount }, timeout),
  );
  await createOrKeep(`ClusterRoleBinding ${SERVICE_ACCOUNT_NAME}`, () =>
    rbac.createClusterRoleBinding({ body: binding }, timeout),
  );
  await createOrKeep(`Secret ${namespace}/${TOKEN_SECRET_NAME}`, () =>
    core.createNamespacedSecret({ namespace, body: secret }, timeout),
  );
  return waitForToken(core, options);
}

async function waitForToken(core: CoreV1Api, options: ServiceAccountOptions): Promise<string> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = now() + (options.waitMs ?? 30_000);
  const timeout = withTimeout(options.timeoutMs ?? 10_000);
  const name = TOKEN_SECRET_NAME;
  for (;;) {
    const read = await core
      .readNamespacedSecret({ name, namespace: SERVICE_ACCOUNT_NAMESPACE }, timeout)
      .catch((error) => {
        throw kubeError(error, `reading Secret ${SERVICE_ACCOUNT_NAMESPACE}/${name} in the member`);
      });
    const token = read.data?.token;
    if (token) return Buffer.from(token, "base64").toString("utf8");
    if (now() >= deadline) {
      throw new UpstreamUnavailableError(
        `the member's token controller did not fill Secret ${SERVICE_ACCOUNT_NAMESPACE}/${name} ` +
          "in time (is kube-controller-manager running with --service-account-private-key-file?)",
      );
    }
    await sleep(500);
  }
}
