/**
 * The gateway's hub credential as a plain value (`HubConnection`), read from a kubeconfig
 * document or the in-cluster ServiceAccount without `@kubernetes/client-node` (which costs the
 * gateway about 65 MiB of memory). Supported: `server`, `certificate-authority[-data]`,
 * `insecure-skip-tls-verify`, `tls-server-name`, `client-certificate[-data]` +
 * `client-key[-data]`, `token`, `tokenFile`, and the current context. Other credential kinds
 * (exec plugins, auth providers, basic auth) and `proxy-url` are refused with an
 * `InvalidInputError` naming the context, so a gateway never starts with a credential it would
 * silently not present. Files are read through an injected reader (paths relative to the
 * kubeconfig's folder, as kubectl resolves them); nothing here touches the disk itself.
 */
import path from "node:path";
import {
  dataOrFile,
  memberEndpoint,
  readNamed,
  parseKubeconfig,
  selectContext,
  type KubeconfigFiles,
  type SelectedContext,
} from "../cluster/kubeconfig.js";
import type { ClusterCredential } from "../cluster/types.js";
import { InvalidInputError } from "../errors.js";
import { isObject, type JsonObject } from "../json.js";

/** A static credential, or a token file read again as it rotates (in-cluster tokens do). */
export type HubCredential =
  ClusterCredential | { readonly type: "ServiceAccountTokenFile"; readonly file: string };

/** Where the hub is and how the gateway proves who it is. */
export interface HubConnection {
  /** The API server's URL, without a trailing slash. */
  readonly server: string;
  /** PEM CA bundle; absent: Node's default trust store (unless `insecure`). */
  readonly caPem?: string;
  /** `insecure-skip-tls-verify`: the server's certificate is not verified. */
  readonly insecure: boolean;
  /** `tls-server-name`: the name the server's certificate is checked for. */
  readonly tlsServerName?: string;
  /** Absent: anonymous requests. */
  readonly credential?: HubCredential;
}

/** Where the in-cluster ServiceAccount's CA and token are mounted. */
export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** A token file named by `tokenFile`, or by client-node's in-cluster `tokenFile` auth provider. */
function tokenFileOf(user: JsonObject): string | undefined {
  const provider = user["auth-provider"];
  const fromProvider =
    isObject(provider) && provider.name === "tokenFile" && isObject(provider.config)
      ? str(provider.config.tokenFile)
      : undefined;
  return str(user.tokenFile) ?? str(user["token-file"]) ?? fromProvider;
}

function unsupportedKind(user: JsonObject): string | undefined {
  if (isObject(user.exec)) return `an exec plugin (${String(user.exec.command)})`;
  const provider = user["auth-provider"];
  if (isObject(provider)) return `an auth-provider (${String(provider.name)})`;
  if (str(user.username) !== undefined) return "a username and password";
  return undefined;
}

function certificateOf(selected: SelectedContext, files: KubeconfigFiles, who: string) {
  const certPem = dataOrFile(selected.user, "client-certificate", "client-certificate", files);
  const keyPem = dataOrFile(selected.user, "client-key", "client-key", files);
  if (certPem !== undefined && keyPem !== undefined)
    return { type: "X509Certificate", certPem, keyPem } as const;
  if (certPem !== undefined || keyPem !== undefined) {
    throw new InvalidInputError(
      `${who} has a client certificate without its key, or a key without its certificate`,
    );
  }
  return undefined;
}

/**
 * The credential of the selected user: a client certificate first (kube-apiserver checks it
 * before a bearer token when a client sends both), then `token`, then a token file; none
 * means anonymous. Other kinds throw `InvalidInputError`.
 */
export function hubCredential(
  selected: SelectedContext,
  files: KubeconfigFiles,
): HubCredential | undefined {
  const who = `user "${selected.userName}" of context "${selected.contextName}"`;
  const certificate = certificateOf(selected, files, who);
  if (certificate !== undefined) return certificate;
  const token = str(selected.user.token);
  if (token !== undefined) return { type: "ServiceAccountToken", token };
  const file = tokenFileOf(selected.user);
  if (file !== undefined)
    return { type: "ServiceAccountTokenFile", file: path.resolve(files.baseDir, file) };
  const kind = unsupportedKind(selected.user);
  if (kind === undefined) return undefined;
  throw new InvalidInputError(
    `${who} authenticates with ${kind}, which the gateway does not support: give it a client ` +
      "certificate (client-certificate[-data] + client-key[-data]) or a token (token, tokenFile)",
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
): HubConnection {
  const selected = selectContext(parseKubeconfig(text, source), context);
  const cluster = selected.cluster;
  if (str(cluster["proxy-url"]) !== undefined) {
    throw new InvalidInputError(
      `cluster "${selected.clusterName}" in ${source} has a proxy-url, which the gateway does not support`,
    );
  }
  const { endpoint, caPem } = memberEndpoint(selected, files);
  const tlsServerName = str(cluster["tls-server-name"]);
  const credential = hubCredential(selected, files);
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
): HubConnection {
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
