/**
 * Where the agent's clients connect, read once at the edge: a kubeconfig file (its current
 * context; bearer token or client certificate, files relative to the kubeconfig) or the
 * in-cluster ServiceAccount (`KUBERNETES_SERVICE_HOST`/`_PORT`, the mounted token and CA). The
 * in-cluster token is re-read at most once a minute, since the kubelet rotates it.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  memberCredential,
  memberEndpoint,
  parseKubeconfig,
  selectContext,
} from "../core/cluster/kubeconfig.js";
import { InvalidInputError } from "../core/errors.js";
import type { Connection } from "./kube-client.js";

export type ReadFile = (file: string) => string;

const readText: ReadFile = (file) => readFileSync(file, "utf8");

/** The connection of `file`'s current context. Throws `InvalidInputError` naming the problem. */
export function connectionFromKubeconfig(file: string, readFile: ReadFile = readText): Connection {
  let text: string;
  try {
    text = readFile(file);
  } catch (error) {
    throw new InvalidInputError(`cannot read kubeconfig ${file}: ${(error as Error).message}`);
  }
  const selected = selectContext(parseKubeconfig(text, file));
  const files = { baseDir: path.dirname(path.resolve(file)), readFile };
  const { endpoint, caPem } = memberEndpoint(selected, files);
  const credential = memberCredential(selected, files);
  const insecure = selected.cluster["insecure-skip-tls-verify"] === true;
  const base = {
    server: endpoint,
    ...(caPem === undefined ? {} : { caPem }),
    ...(insecure ? { insecure } : {}),
  };
  if (credential.type === "X509Certificate")
    return { ...base, certPem: credential.certPem, keyPem: credential.keyPem };
  const token = credential.token;
  return { ...base, token: () => token };
}

const SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/** The in-cluster connection (as client-go's `InClusterConfig`). */
export function inClusterConnection(
  env: NodeJS.ProcessEnv,
  readFile: ReadFile = readText,
  now: () => number = Date.now,
): Connection {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port)
    throw new InvalidInputError(
      "not running in a cluster (KUBERNETES_SERVICE_HOST/PORT unset): pass --kubeconfig",
    );
  const server = `https://${host.includes(":") ? `[${host}]` : host}:${port}`;
  const cached = { token: "", readAt: -Infinity };
  const token = (): string => {
    if (now() - cached.readAt >= 60_000) {
      cached.token = readFile(`${SA_DIR}/token`).trim();
      cached.readAt = now();
    }
    return cached.token;
  };
  token();
  return { server, caPem: readFile(`${SA_DIR}/ca.crt`), token };
}
