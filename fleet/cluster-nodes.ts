/**
 * A fleet cluster's nodes once its API server runs: registering the kwok nodes (and, on an
 * edge cluster, OpenYurt's NodePool CRD and one NodePool per pool), waiting until the nodes
 * are Ready and the `default` ServiceAccount exists, and writing each pool's status.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";
import { fleetCrdsDir } from "../core/assets.js";
import { call, request, type ApiEndpoint } from "./api.js";
import type { StartClusterInput } from "./cluster.js";
import { nodePoolLabel, nodePoolManifest, type NodeManifest } from "./nodes.js";
import { countReady, type NodeList } from "./probe.js";
import type { StartedProcess } from "./processes.js";
import { waitFor } from "./wait.js";

const nodePoolCrdFile = (): string => path.join(fleetCrdsDir(), "nodepool.yaml");

/** Registers the cluster's nodes, and its NodePool CRD and pools when it has any. */
export async function registerNodes(
  endpoint: ApiEndpoint,
  input: StartClusterInput,
  nodes: readonly NodeManifest[],
): Promise<void> {
  const { spec } = input;
  if (spec.pools.length > 0) {
    const crd: unknown = parse(await readFile(nodePoolCrdFile(), "utf8"));
    await call(endpoint, "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);
  }
  for (const node of nodes) {
    await call(endpoint, "POST", "/api/v1/nodes", node);
  }
  if (spec.pools.length === 0) return;
  const pools = "/apis/apps.openyurt.io/v1beta1/nodepools";
  await waitFor(
    `${spec.name} NodePool CRD`,
    async () => ((await request(endpoint, "GET", pools)).status === 200 ? true : undefined),
    { timeoutMs: input.timeoutMs },
  );
  for (const pool of spec.pools) await call(endpoint, "POST", pools, nodePoolManifest(pool));
}

/** Waits until `expected` nodes are Ready and the `default` ServiceAccount exists. */
export async function waitUntilUsable(
  endpoint: ApiEndpoint,
  input: StartClusterInput,
  processes: StartedProcess[],
  expected: number,
): Promise<void> {
  const options = { timeoutMs: input.timeoutMs, processes };
  await waitFor(
    `${input.spec.name}: ${expected} Ready node(s)`,
    async () => {
      const list = await call<NodeList>(endpoint, "GET", "/api/v1/nodes");
      return countReady(list) >= expected ? true : undefined;
    },
    options,
  );
  await waitFor(
    `${input.spec.name}: the default ServiceAccount`,
    async () => {
      const res = await request(
        endpoint,
        "GET",
        "/api/v1/namespaces/default/serviceaccounts/default",
      );
      return res.status === 200 ? true : undefined;
    },
    options,
  );
}

/**
 * Writes each NodePool's status (ready / not-ready node counts and members) as OpenYurt's pool
 * controller would once the nodes have registered; nothing keeps it current afterwards.
 */
export async function reportPoolStatus(
  endpoint: ApiEndpoint,
  input: StartClusterInput,
  nodes: readonly NodeManifest[],
): Promise<void> {
  for (const pool of input.spec.pools) {
    const url = `/apis/apps.openyurt.io/v1beta1/nodepools/${pool.name}`;
    const current = await call(endpoint, "GET", url);
    const members = nodes.filter((n) => n.metadata.labels[nodePoolLabel] === pool.name);
    const status = {
      readyNodeNum: members.length,
      unreadyNodeNum: 0,
      nodes: members.map((n) => n.metadata.name),
    };
    await call(endpoint, "PUT", `${url}/status`, { ...current, status });
  }
}
