/**
 * The edge where a hub credential is read from disk: a kubeconfig file, the in-cluster
 * ServiceAccount, or a kubeconfig object a caller already holds (a client-node `KubeConfig`,
 * passed by tests and the local fleet: anything with `exportConfig()`, matched by shape so the
 * gateway never imports client-node).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { InvalidInputError } from "../errors.js";
import { connectionFromKubeconfig, inClusterConnection, type HubConnection } from "./kubeconfig.js";

/** A kubeconfig object that can print itself as a kubeconfig document (JSON or YAML). */
export interface ExportableKubeConfig {
  exportConfig(): string;
}

/** What callers may pass as the gateway's hub credential. */
export type HubConfig = HubConnection | ExportableKubeConfig;

export const readUtf8 = (file: string): string => readFileSync(file, "utf8");

/** The connection of `file`'s current context; `InvalidInputError` when it cannot be used. */
export function loadKubeconfigFile(file: string, readFile = readUtf8): HubConnection {
  const absolute = path.resolve(file);
  return connectionFromKubeconfig(readNamedFile(absolute, readFile), absolute, {
    baseDir: path.dirname(absolute),
    readFile,
  });
}

function readNamedFile(file: string, readFile: (file: string) => string): string {
  try {
    return readFile(file);
  } catch (error) {
    // A missing kubeconfig is a configuration problem, reported like the others.
    throw new InvalidInputError(`cannot read kubeconfig ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** `--kubeconfig` when given, else the in-cluster ServiceAccount. */
export function loadHubConnection(
  kubeconfig: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): HubConnection {
  return kubeconfig === undefined
    ? inClusterConnection(env, readUtf8)
    : loadKubeconfigFile(kubeconfig);
}

/** The plain connection behind `config` (a kubeconfig object is exported and parsed). */
export function resolveHubConfig(config: HubConfig, readFile = readUtf8): HubConnection {
  if (!("exportConfig" in config)) return config;
  // Exported paths are absolute (client-node resolves them when it loads a file).
  return connectionFromKubeconfig(config.exportConfig(), "the hub kubeconfig", {
    baseDir: process.cwd(),
    readFile,
  });
}
