/**
 * The edge where a connection is read from disk: a kubeconfig file, the in-cluster
 * ServiceAccount, or a kubeconfig object a caller already holds (a client-node `KubeConfig`,
 * passed by tests and the local fleet: anything with `exportConfig()`, matched by shape so the
 * gateway and the agent never import client-node). The documents themselves are read by the
 * pure `connection.ts`.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { readNamed } from "../cluster/kubeconfig.js";
import {
  connectionFromKubeconfig,
  inClusterConnection,
  type KubeConnection,
} from "./connection.js";

/** A kubeconfig object that can print itself as a kubeconfig document (JSON or YAML). */
export interface ExportableKubeConfig {
  exportConfig(): string;
}

/** What callers may pass as a connection: a plain one, or a kubeconfig object. */
export type ConnectionSource = KubeConnection | ExportableKubeConfig;

/** Reads a UTF-8 file (the default reader of kubeconfig and token files). */
export const readUtf8 = (file: string): string => readFileSync(file, "utf8");

/** The connection of `file`'s current context; `InvalidInputError` when it cannot be used. */
export function loadKubeconfigFile(file: string, readFile = readUtf8): KubeConnection {
  const absolute = path.resolve(file);
  const files = { baseDir: path.dirname(absolute), readFile };
  // A missing kubeconfig is a configuration problem, reported like the files it names.
  return connectionFromKubeconfig(readNamed(files, absolute, "kubeconfig"), absolute, files);
}

/** `kubeconfig` (a file) when given, else the in-cluster ServiceAccount. */
export function loadConnection(
  kubeconfig: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  readFile = readUtf8,
): KubeConnection {
  return kubeconfig === undefined
    ? inClusterConnection(env, readFile)
    : loadKubeconfigFile(kubeconfig, readFile);
}

/** The plain connection behind `source` (a kubeconfig object is exported and parsed). */
export function resolveConnection(source: ConnectionSource, readFile = readUtf8): KubeConnection {
  if (!("exportConfig" in source)) return source;
  // Exported paths are absolute (client-node resolves them when it loads a file).
  return connectionFromKubeconfig(source.exportConfig(), "the kubeconfig object", {
    baseDir: process.cwd(),
    readFile,
  });
}
