/**
 * Where an API server is and how to prove who we are, as a plain value (`KubeConnection`),
 * read from a kubeconfig document or the in-cluster ServiceAccount without
 * `@kubernetes/client-node` (which costs the gateway and the agent about 65-74 MiB of memory).
 * The gateway's hub credential and the agent's hub and member connections all come from here
 * (pure; `connect.ts` is the edge that reads the disk). Supported: `server`, `certificate-authority[-data]`,
 * `insecure-skip-tls-verify`, `tls-server-name`, `client-certificate[-data]` +
 * `client-key[-data]`, `token`, `tokenFile`, and the current context. Other credential kinds
 * (exec plugins, auth providers, basic auth) and `proxy-url` are refused with an
 * `InvalidInputError` naming the context, so a program never starts with a credential it would
 * silently not present. Files are read through an injected reader (paths relative to the
 * kubeconfig's folder, as kubectl resolves them); nothing here touches the disk itself.
 */
import path from "node:path";
import {
  clientCertificate,
  memberEndpoint,
  parseKubeconfig,
  readNamed,
  selectContext,
  tokenFileOf,
  unsupportedKind,
  userOf,
  type KubeconfigFiles,
  type SelectedContext,
} from "../cluster/kubeconfig.js";
import type { ClusterCredential } from "../cluster/types.js";
import { InvalidInputError } from "../errors.js";
import { isObject, nonEmpty, type JsonObject } from "../json.js";

/** A static credential, or a token file read again as it rotates (in-cluster tokens do). */
export type KubeCredential =
  ClusterCredential | { readonly type: "ServiceAccountTokenFile"; readonly file: string };

/** Where an API server is and how a client proves who it is. */
export interface KubeConnection {
  /** The API server's URL, without a trailing slash. */
  readonly server: string;
  /** PEM CA bundle; absent: Node's default trust store (unless `insecure`). */
  readonly caPem?: string;
  /** `insecure-skip-tls-verify`: the server's certificate is not verified. */
  readonly insecure: boolean;
  /** `tls-server-name`: the name the server's certificate is checked for. */
  readonly tlsServerName?: string;
  /** Absent: anonymous requests. */
  readonly credential?: KubeCredential;
}

/** Where the in-cluster ServiceAccount's CA and token are mounted. */
const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/** The token file of client-node's in-cluster `tokenFile` auth provider, if `user` has it. */
function providerTokenFileOf(user: JsonObject): string | undefined {
  const provider = user["auth-provider"];
  return isObject(provider) && provider.name === "tokenFile" && isObject(provider.config)
    ? nonEmpty(provider.config.tokenFile)
    : undefined;
}

/**
 * The credential of the selected user: a client certificate first (kube-apiserver checks it
 * before a bearer token when a client sends both), then `token`, then a token file; none
 * means anonymous. Other kinds throw `InvalidInputError`.
 */
function kubeCredential(
  selected: SelectedContext,
  files: KubeconfigFiles,
): KubeCredential | undefined {
  const certificate = clientCertificate(selected, files);
  if (certificate !== undefined) return certificate;
  const token = nonEmpty(selected.user.token);
  if (token !== undefined) return { type: "ServiceAccountToken", token };
  const file = tokenFileOf(selected.user) ?? providerTokenFileOf(selected.user);
  if (file !== undefined)
    return { type: "ServiceAccountTokenFile", file: path.resolve(files.baseDir, file) };
  const kind = unsupportedKind(selected.user);
  if (kind === undefined) return undefined;
  throw new InvalidInputError(
    `${userOf(selected)} authenticates with ${kind}, which Flotilla's Kubernetes client does ` +
      "not support: give it a client certificate (client-certificate[-data] + " +
      "client-key[-data]) or a token (token, tokenFile)",
  );
}

/**
 * The connection a kubeconfig's context (default: its current context) describes. `source`
 * names the kubeconfig in errors. Throws `InvalidInputError` (broken document, unreadable
 * file, unsupported credential or `proxy-url`) or `NotFoundError` (no such context).
 */
export function connectionFromKubeconfig(
  text: string,
  source: string,
  files: KubeconfigFiles,
  context?: string,
): KubeConnection {
  const selected = selectContext(parseKubeconfig(text, source), context);
  const cluster = selected.cluster;
  if (nonEmpty(cluster["proxy-url"]) !== undefined) {
    throw new InvalidInputError(
      `cluster "${selected.clusterName}" in ${source} has a proxy-url, which Flotilla's Kubernetes ` +
        "client does not support",
    );
  }
  const { endpoint, caPem } = memberEndpoint(selected, files);
  const tlsServerName = nonEmpty(cluster["tls-server-name"]);
  const credential = kubeCredential(selected, files);
  return {
    server: endpoint,
    ...(caPem === undefined ? {} : { caPem }),
    insecure: cluster["insecure-skip-tls-verify"] === true,
    ...(tlsServerName === undefined ? {} : { tlsServerName }),
    ...(credential === undefined ? {} : { credential }),
  };
}

/**
 * The in-cluster connection (a Pod's ServiceAccount): `KUBERNETES_SERVICE_HOST` and `_PORT`
 * from `env`, the mounted CA, and the mounted token, read again as it rotates.
 * `InvalidInputError` outside a cluster.
 */
export function inClusterConnection(
  env: Readonly<Record<string, string | undefined>>,
  readFile: (file: string) => string,
  dir = SERVICE_ACCOUNT_DIR,
): KubeConnection {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) {
    throw new InvalidInputError(
      "no kubeconfig (--kubeconfig or KUBECONFIG) and not in a cluster " +
        "(KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are unset)",
    );
  }
  const files = { baseDir: dir, readFile };
  return {
    server: `https://${host.includes(":") ? `[${host}]` : host}:${port}`,
    caPem: readNamed(files, "ca.crt", "in-cluster CA"),
    insecure: false,
    credential: { type: "ServiceAccountTokenFile", file: path.join(dir, "token") },
  };
}
