/**
 * A real node's credentials, signed by its cluster's CA: the kubelet's client certificate
 * (`system:node:<name>` in `system:nodes`, which the Node authorizer expects) and
 * kube-proxy's (`system:kube-proxy`, bound to `system:node-proxier` by default), each in a
 * kubeconfig that reaches the API server through the node's relay.
 */
import { writeFile } from "node:fs/promises";
import { buildKubeconfig, writeKubeconfig } from "../kubeconfig.js";
import { issueCertificate, type KeyPair } from "../pki.js";
import type { NodePaths } from "./configs.js";
import { apiRelayAddress, relayPort, type RealNodePlan } from "./plan.js";

export interface CredentialsInput {
  readonly plan: RealNodePlan;
  readonly paths: NodePaths;
  readonly ca: KeyPair;
}

/** The API server as seen from inside a real node. */
export const relayedServer = `https://${apiRelayAddress}:${relayPort}`;

export async function writeNodeCredentials(input: CredentialsInput): Promise<void> {
  const { plan, paths, ca } = input;
  await writeFile(paths.clusterCa, ca.cert);
  const kubelet = await issueCertificate(
    paths.pki,
    "kubelet-client",
    { commonName: `system:node:${plan.name}`, organizations: ["system:nodes"], kind: "client" },
    ca,
  );
  const proxy = await issueCertificate(
    paths.pki,
    "kube-proxy-client",
    { commonName: "system:kube-proxy", kind: "client" },
    ca,
  );
  const kubeconfig = (name: string, client: KeyPair) =>
    buildKubeconfig({
      name,
      server: relayedServer,
      caPem: ca.cert,
      clientCertPem: client.cert,
      clientKeyPem: client.key,
    });
  await writeKubeconfig(paths.kubeletKubeconfig, kubeconfig(plan.cluster, kubelet));
  await writeKubeconfig(paths.proxyKubeconfig, kubeconfig(plan.cluster, proxy));
}
