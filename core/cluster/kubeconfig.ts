/**
 * Kubeconfig documents, read without side effects: pick a context, work out a member's
 * endpoint, CA and credential (what `cluster join` stores), and build the kubeconfig that
 * `cluster export-config` prints. Files a kubeconfig names (certificate-authority,
 * client-certificate, client-key, tokenFile) are read through an injected reader; relative
 * paths are relative to the kubeconfig's own folder, as kubectl resolves them.
 */
import path from "node:path";
import { parse } from "yaml";
import { InvalidInputError, NotFoundError } from "../errors.js";
import { isObject, nonEmpty, type JsonObject } from "../json.js";
import { gatewayProxyPath, type ClusterCredential } from "./types.js";

/** The named entries of a kubeconfig (each `{name, cluster|user|context}`). */
export interface KubeconfigDocument {
  readonly clusters: readonly JsonObject[];
  readonly users: readonly JsonObject[];
  readonly contexts: readonly JsonObject[];
  readonly currentContext?: string;
}

/** One context resolved to its cluster and user entries. */
export interface SelectedContext {
  readonly contextName: string;
  readonly clusterName: string;
  readonly cluster: JsonObject;
  readonly userName: string;
  readonly user: JsonObject;
}

/** How files named in a kubeconfig are read: `baseDir` is the kubeconfig's folder. */
export interface KubeconfigFiles {
  readonly baseDir: string;
  readonly readFile: (absolutePath: string) => string;
}

const list = (v: unknown): JsonObject[] => (Array.isArray(v) ? v.filter(isObject) : []);
const unb64 = (v: string): string => Buffer.from(v, "base64").toString("utf8");

/** Parses kubeconfig YAML; `source` names it in errors. Throws `InvalidInputError`. */
export function parseKubeconfig(text: string, source: string): KubeconfigDocument {
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    throw new InvalidInputError(`${source} is not valid YAML: ${(error as Error).message}`);
  }
  if (!isObject(value) || !Array.isArray(value.clusters) || !Array.isArray(value.contexts)) {
    throw new InvalidInputError(`${source} is not a kubeconfig (no clusters or contexts)`);
  }
  const current = nonEmpty(value["current-context"]);
  return {
    clusters: list(value.clusters),
    users: list(value.users),
    contexts: list(value.contexts),
    ...(current ? { currentContext: current } : {}),
  };
}

function entry(
  entries: readonly JsonObject[],
  name: string,
  field: string,
): JsonObject | undefined {
  const found = entries.find((e) => e.name === name)?.[field];
  return isObject(found) ? found : undefined;
}

/**
 * The context `name` (default: the current context) with its cluster and user. Throws
 * `NotFoundError` naming the available contexts, or `InvalidInputError` for a broken entry.
 */
export function selectContext(doc: KubeconfigDocument, name?: string): SelectedContext {
  const contextName = name ?? doc.currentContext;
  const names = doc.contexts.map((c) => String(c.name)).join(", ") || "none";
  if (contextName === undefined) {
    throw new InvalidInputError(
      `the kubeconfig has no current-context; pick one with --context (have: ${names})`,
    );
  }
  const context = entry(doc.contexts, contextName, "context");
  if (context === undefined) {
    throw new NotFoundError(`no context "${contextName}" in the kubeconfig (have: ${names})`);
  }
  const clusterName = nonEmpty(context.cluster) ?? "";
  const userName = nonEmpty(context.user) ?? "";
  const cluster = entry(doc.clusters, clusterName, "cluster");
  if (cluster === undefined) {
    throw new InvalidInputError(
      `context "${contextName}" names cluster "${clusterName}", which the kubeconfig does not define`,
    );
  }
  const user = entry(doc.users, userName, "user") ?? {};
  return { contextName, clusterName, cluster, userName, user };
}

/** `server` as a URL without trailing slash; a bare `host:port` gets `https://`. */
export function normalizeEndpoint(server: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(server) ? server : `https://${server}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new InvalidInputError(`invalid API server URL "${server}"`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new InvalidInputError(`invalid API server URL "${server}": must be http(s)`);
  }
  return url.toString().replace(/\/+$/, "");
}

/** Reads `file` (relative to the kubeconfig) for `what`; `InvalidInputError` when it fails. */
export function readNamed(files: KubeconfigFiles, file: string, what: string): string {
  const absolute = path.resolve(files.baseDir, file);
  try {
    return files.readFile(absolute);
  } catch (error) {
    throw new InvalidInputError(
      `cannot read ${what} file ${absolute}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/** Inline `<field>-data` (base64) or the file `<field>` of `object`, or undefined. */
export function dataOrFile(
  object: JsonObject,
  field: string,
  what: string,
  files: KubeconfigFiles,
): string | undefined {
  const data = nonEmpty(object[`${field}-data`]);
  if (data !== undefined) return unb64(data);
  const file = nonEmpty(object[field]);
  return file === undefined ? undefined : readNamed(files, file, what);
}

/**
 * The member's endpoint and CA from the selected context. With `insecure-skip-tls-verify` the
 * CA is left out, which is how KubeVela's Secret says "do not verify".
 */
export function memberEndpoint(
  selected: SelectedContext,
  files: KubeconfigFiles,
): { endpoint: string; caPem?: string } {
  const server = nonEmpty(selected.cluster.server);
  if (server === undefined) {
    throw new InvalidInputError(
      `cluster "${selected.clusterName}" in the kubeconfig has no server`,
    );
  }
  const endpoint = normalizeEndpoint(server);
  if (selected.cluster["insecure-skip-tls-verify"] === true) return { endpoint };
  const caPem = dataOrFile(
    selected.cluster,
    "certificate-authority",
    "certificate-authority",
    files,
  );
  return caPem === undefined ? { endpoint } : { endpoint, caPem };
}

const supported =
  "Flotilla can store a client certificate (client-certificate[-data] + client-key[-data]) or a " +
  "bearer token (token, tokenFile); or use --create-service-account to have it create a " +
  "ServiceAccount token in the member with this kubeconfig";

/** How errors name the selected context's user. */
export const userOf = (selected: SelectedContext): string =>
  `user "${selected.userName}" of context "${selected.contextName}"`;

/**
 * The kind of credential `user` has that a client of ours cannot present (an exec plugin, an
 * auth provider, a username and password), for error messages; undefined for none of these.
 */
export function unsupportedKind(user: JsonObject): string | undefined {
  if (isObject(user.exec)) return `an exec plugin (${String(user.exec.command)})`;
  if (isObject(user["auth-provider"]))
    return `an auth-provider (${String(user["auth-provider"].name)})`;
  if (nonEmpty(user.username) !== undefined) return "a username and password";
  return undefined;
}

/** The token file `user` names (`tokenFile`, or `token-file`), as written (maybe relative). */
export const tokenFileOf = (user: JsonObject): string | undefined =>
  nonEmpty(user.tokenFile) ?? nonEmpty(user["token-file"]);

function tokenOf(user: JsonObject, files: KubeconfigFiles): string | undefined {
  const token = nonEmpty(user.token);
  if (token !== undefined) return token;
  const file = tokenFileOf(user);
  return file === undefined ? undefined : readNamed(files, file, "tokenFile").trim() || undefined;
}

/**
 * The selected user's client certificate and key (inline data or files), if it has them;
 * `InvalidInputError` when it has only one of the two.
 */
export function clientCertificate(
  selected: SelectedContext,
  files: KubeconfigFiles,
): Extract<ClusterCredential, { type: "X509Certificate" }> | undefined {
  const certPem = dataOrFile(selected.user, "client-certificate", "client-certificate", files);
  const keyPem = dataOrFile(selected.user, "client-key", "client-key", files);
  if (certPem !== undefined && keyPem !== undefined)
    return { type: "X509Certificate", certPem, keyPem };
  if (certPem !== undefined || keyPem !== undefined) {
    throw new InvalidInputError(
      `${userOf(selected)} has a client certificate without its key, or a key without its certificate`,
    );
  }
  return undefined;
}

/**
 * The credential of the selected context's user, as the hub will store it: a bearer token
 * first (KubeVela's order), else a client certificate and key. Other kinds (exec plugins,
 * auth providers, basic auth) throw `InvalidInputError` naming what is supported.
 */
export function memberCredential(
  selected: SelectedContext,
  files: KubeconfigFiles,
): ClusterCredential {
  const token = tokenOf(selected.user, files);
  if (token !== undefined) return { type: "ServiceAccountToken", token };
  const certificate = clientCertificate(selected, files);
  if (certificate !== undefined) return certificate;
  const kind = unsupportedKind(selected.user);
  const has = kind === undefined ? "has no credential" : `authenticates with ${kind}`;
  throw new InvalidInputError(`${userOf(selected)} ${has}. ${supported}.`);
}

/** `entry` with the file fields named made absolute (relative to `baseDir`). */
function absolutePaths(entry: JsonObject, fields: readonly string[], baseDir: string): JsonObject {
  const out: JsonObject = { ...entry };
  for (const field of fields) {
    const value = nonEmpty(entry[field]);
    if (value !== undefined) out[field] = path.resolve(baseDir, value);
  }
  return out;
}

function userForExport(user: JsonObject, baseDir: string): JsonObject {
  const out = absolutePaths(
    user,
    ["client-certificate", "client-key", "tokenFile", "token-file"],
    baseDir,
  );
  const exec = user.exec;
  const command = isObject(exec) ? nonEmpty(exec.command) : undefined;
  // kubectl resolves an exec command relative to the kubeconfig only when it has a slash.
  if (isObject(exec) && command?.includes("/") && !path.isAbsolute(command)) {
    out.exec = { ...exec, command: path.resolve(baseDir, command) };
  }
  return out;
}

/**
 * The kubeconfig `cluster export-config` prints for `cluster`: the hub's cluster entry with
 * the server moved to the hub's gateway proxy for that cluster, the hub's own user (its
 * credential), one context named after the cluster, made current. File paths are absolute
 * so the output works from any folder. Pure.
 */
export function exportKubeconfig(input: {
  cluster: string;
  hub: SelectedContext;
  baseDir: string;
}): JsonObject {
  const { cluster, hub, baseDir } = input;
  const server = normalizeEndpoint(nonEmpty(hub.cluster.server) ?? "");
  const userName = hub.userName || `${hub.contextName}-user`;
  return {
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: cluster,
        cluster: {
          ...absolutePaths(hub.cluster, ["certificate-authority"], baseDir),
          server: server + gatewayProxyPath(cluster),
        },
      },
    ],
    users: [{ name: userName, user: userForExport(hub.user, baseDir) }],
    contexts: [{ name: cluster, context: { cluster, user: userName } }],
    "current-context": cluster,
    preferences: {},
  };
}
