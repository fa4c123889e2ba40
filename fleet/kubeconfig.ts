/**
 * Kubeconfig documents for fleet clusters: a pure builder and a writer. Credentials are
 * embedded (`*-data` fields), so a kubeconfig file stands alone and can be copied anywhere.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parse, stringify } from "yaml";
import type { ApiEndpoint } from "./api.js";

export interface KubeconfigInput {
  /** Used as the cluster, user and context name. */
  readonly name: string;
  readonly server: string;
  readonly caPem: string;
  readonly clientCertPem: string;
  readonly clientKeyPem: string;
}

export interface Kubeconfig {
  readonly apiVersion: "v1";
  readonly kind: "Config";
  readonly clusters: Array<{ name: string; cluster: Record<string, string> }>;
  readonly users: Array<{ name: string; user: Record<string, string> }>;
  readonly contexts: Array<{ name: string; context: { cluster: string; user: string } }>;
  readonly "current-context": string;
  readonly preferences: Record<string, never>;
}

const base64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");

/** Builds a one-context kubeconfig (pure). */
export function buildKubeconfig(input: KubeconfigInput): Kubeconfig {
  const user = `${input.name}-admin`;
  return {
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: input.name,
        cluster: { server: input.server, "certificate-authority-data": base64(input.caPem) },
      },
    ],
    users: [
      {
        name: user,
        user: {
          "client-certificate-data": base64(input.clientCertPem),
          "client-key-data": base64(input.clientKeyPem),
        },
      },
    ],
    contexts: [{ name: input.name, context: { cluster: input.name, user } }],
    "current-context": input.name,
    preferences: {},
  };
}

/** Serialises a kubeconfig to YAML. */
export function kubeconfigYaml(config: Kubeconfig): string {
  return stringify(config);
}

/** Writes the kubeconfig to `file` with owner-only permissions (it holds a private key). */
export async function writeKubeconfig(file: string, config: Kubeconfig): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, kubeconfigYaml(config), { mode: 0o600 });
}

/** The API endpoint and credentials of a kubeconfig's current context (embedded data only). */
export function endpointFromKubeconfig(config: Kubeconfig): ApiEndpoint {
  const context = config.contexts.find((c) => c.name === config["current-context"])?.context;
  const cluster = config.clusters.find((c) => c.name === context?.cluster)?.cluster;
  const user = config.users.find((u) => u.name === context?.user)?.user;
  const decode = (value: string | undefined, what: string): string => {
    if (value === undefined) throw new Error(`kubeconfig has no ${what} for its current context`);
    return Buffer.from(value, "base64").toString("utf8");
  };
  return {
    server: cluster?.server ?? "",
    caPem: decode(cluster?.["certificate-authority-data"], "certificate-authority-data"),
    certPem: decode(user?.["client-certificate-data"], "client-certificate-data"),
    keyPem: decode(user?.["client-key-data"], "client-key-data"),
  };
}

/** Reads a kubeconfig file written by `writeKubeconfig`. */
export async function readKubeconfig(file: string): Promise<Kubeconfig> {
  return parse(await readFile(file, "utf8")) as Kubeconfig;
}
