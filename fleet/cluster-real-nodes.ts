/**
 * A fleet cluster's real nodes: started one after the other once the control plane runs, then
 * the `kubernetes` Service gets its endpoint (the API relay inside every node namespace; the
 * fleet's API servers run with `--endpoint-reconciler-type=none`), so in-cluster clients work.
 */
import path from "node:path";
import { call, request, type ApiEndpoint } from "./api.js";
import type { StartClusterInput } from "./cluster.js";
import type { KeyPair } from "./pki.js";
import { apiRelayAddress, relayPort } from "./real-node/plan.js";
import { startRealNode, type RealNode } from "./real-node/node.js";

/** The images every real node loads: docker-archives and the pause image's tag. */
export interface NodeImages {
  readonly sandbox: string;
  readonly archives: readonly string[];
}

export interface RealNodesInput {
  readonly input: StartClusterInput;
  readonly ca: KeyPair;
  readonly endpoint: ApiEndpoint;
}

/** Starts the cluster's real nodes; on failure stops those already started and rethrows. */
export async function startRealNodes({ input, ca, endpoint }: RealNodesInput): Promise<RealNode[]> {
  const { spec } = input;
  if (spec.realNodes === 0) return [];
  if (input.nodeImages === undefined)
    throw new Error(`${spec.name}: real nodes need images (StartClusterInput.nodeImages)`);
  const images = await input.nodeImages();
  const nodes: RealNode[] = [];
  try {
    for (let index = 0; index < spec.realNodes; index += 1) {
      nodes.push(
        await startRealNode({
          cluster: spec.name,
          index,
          clusterDir: path.join(input.workDir, spec.name),
          binaries: input.binaries,
          ca,
          apiPort: input.ports.apiserver,
          hubApiPort: spec.hub ? undefined : input.hubApiPort,
          fleetApiPorts: input.fleetApiPorts,
          endpoint,
          images,
          logDir: input.logDir,
          detached: input.detached,
          timeoutMs: input.timeoutMs,
        }),
      );
    }
    await publishKubernetesEndpoint(endpoint);
    return nodes;
  } catch (error) {
    await Promise.all(nodes.map((n) => n.stop()));
    throw error;
  }
}

/** The `kubernetes` Service's EndpointSlice: the API relay, the same address on every node. */
export function kubernetesEndpointSlice(): Record<string, unknown> {
  return {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: {
      name: "kubernetes",
      namespace: "default",
      labels: {
        "kubernetes.io/service-name": "kubernetes",
        "endpointslice.kubernetes.io/managed-by": "fleet.flotilla.dev",
      },
    },
    addressType: "IPv4",
    endpoints: [{ addresses: [apiRelayAddress], conditions: { ready: true } }],
    ports: [{ name: "https", port: relayPort, protocol: "TCP" }],
  };
}

async function publishKubernetesEndpoint(endpoint: ApiEndpoint): Promise<void> {
  const slices = "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices";
  const existing = await request(endpoint, "GET", `${slices}/kubernetes`);
  if (existing.status === 200) return;
  await call(endpoint, "POST", slices, kubernetesEndpointSlice());
}
