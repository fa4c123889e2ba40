/**
 * The reserved `local` cluster: the hub itself, reached with the gateway's own hub credential
 * from its kubeconfig (or in-cluster config). Client certificates and static or file tokens are
 * supported; other credential kinds (exec plugins, auth providers) leave `local` out.
 */
import { readFileSync } from "node:fs";
import type { KubeConfig } from "@kubernetes/client-node";
import {
  LOCAL_CLUSTER,
  type ClusterCredential,
  type ClusterRecord,
} from "../../core/cluster/types.js";

const fromData = (data: string | undefined): string | undefined =>
  data === undefined || data === "" ? undefined : Buffer.from(data, "base64").toString("utf8");

const fromFile = (file: string | undefined): string | undefined =>
  file === undefined || file === "" ? undefined : readFileSync(file, "utf8");

type User = NonNullable<ReturnType<KubeConfig["getCurrentUser"]>>;

function tokenOf(user: User): string | undefined {
  if (user.token !== undefined && user.token !== "") return user.token;
  // In-cluster configuration: client-node names the mounted token file in an auth provider.
  const provider = user.authProvider as { config?: { tokenFile?: string } } | undefined;
  const token = fromFile(provider?.config?.tokenFile)?.trim();
  return token === "" ? undefined : token;
}

function credentialOf(user: User): ClusterCredential | undefined {
  const certPem = fromData(user.certData) ?? fromFile(user.certFile);
  const keyPem = fromData(user.keyData) ?? fromFile(user.keyFile);
  if (certPem !== undefined && keyPem !== undefined) {
    return { type: "X509Certificate", certPem, keyPem };
  }
  const token = tokenOf(user);
  return token === undefined ? undefined : { type: "ServiceAccountToken", token };
}

/**
 * The `local` record for the hub `kubeConfig` points at; undefined when its credential is of a
 * kind the gateway cannot present itself. Reads certificate, key and token files once.
 */
export function localClusterRecord(kubeConfig: KubeConfig): ClusterRecord | undefined {
  const cluster = kubeConfig.getCurrentCluster();
  const user = kubeConfig.getCurrentUser();
  if (cluster === null || user === null) return undefined;
  const credential = credentialOf(user);
  if (credential === undefined) return undefined;
  const caPem = cluster.skipTLSVerify
    ? undefined
    : (fromData(cluster.caData) ?? fromFile(cluster.caFile));
  return {
    name: LOCAL_CLUSTER,
    endpoint: cluster.server.replace(/\/+$/, ""),
    ...(caPem === undefined ? {} : { caPem }),
    credential,
    labels: {},
  };
}
