/**
 * The reserved `local` cluster: the hub itself, reached with the gateway's own hub credential
 * (its kubeconfig or the in-cluster ServiceAccount). A client certificate or a token is
 * presented as it is; a token file is read once, here. Without a credential `local` is left
 * out.
 */
import {
  LOCAL_CLUSTER,
  type ClusterCredential,
  type ClusterRecord,
} from "../../core/cluster/types.js";
import { readUtf8 } from "../../core/kube/connect.js";
import type { KubeConnection } from "../../core/kube/connection.js";

function credentialOf(
  connection: KubeConnection,
  readFile: (file: string) => string,
): ClusterCredential | undefined {
  const credential = connection.credential;
  if (credential?.type !== "ServiceAccountTokenFile") return credential;
  const token = readFile(credential.file).trim();
  return token === "" ? undefined : { type: "ServiceAccountToken", token };
}

/**
 * The `local` record for the hub `connection` points at; undefined when it has no credential.
 * Without verification (`insecure-skip-tls-verify`) the record has no CA, KubeVela's way of
 * saying "do not verify".
 */
export function localClusterRecord(
  connection: KubeConnection,
  readFile: (file: string) => string = readUtf8,
): ClusterRecord | undefined {
  const credential = credentialOf(connection, readFile);
  if (credential === undefined) return undefined;
  const caPem = connection.insecure ? undefined : connection.caPem;
  return {
    name: LOCAL_CLUSTER,
    endpoint: connection.server,
    ...(caPem === undefined ? {} : { caPem }),
    credential,
    labels: {},
  };
}
