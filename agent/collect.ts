/**
 * What the agent reads from its member cluster (the I/O edge before the pure summaries):
 *
 * - nodes and pods through summarising list-watches (`summary-cache.ts`): only non-terminal
 *   pods bound to a node are watched (field selector), and each is kept as its requests;
 * - NodePools (`apps.openyurt.io/v1beta1`) by a plain list when asked: a handful of objects,
 *   and a 404 means the API is not served (no OpenYurt): no pools;
 * - `/version` and `/readyz`.
 *
 * Reads never throw: a failed read is `undefined` ("unknown, keep what you had"), logged.
 */
import type { Clock } from "../core/controller/clock.js";
import { errorText, type Logger } from "../core/controller/logger.js";
import { statusOf, type KubeClient } from "./kube-client.js";
import {
  summariseNode,
  summariseNodePool,
  summarisePod,
  type NodePoolSummary,
  type NodeSummary,
  type PodSummary,
} from "./report.js";
import { createSummaryCache, type ListResult, type SummaryCache } from "./summary-cache.js";

/** Pods that count for `requested`: bound to a node and not finished. */
export const ACTIVE_BOUND_PODS = "spec.nodeName!=,status.phase!=Succeeded,status.phase!=Failed";

const NODE_POOLS_PATH = "/apis/apps.openyurt.io/v1beta1/nodepools";

export interface MemberOptions {
  readonly client: KubeClient;
  /** Called when a node's summary changed (readiness, pool, allocatable), added or removed. */
  readonly onNodesChanged?: () => void;
  readonly clock: Clock;
  readonly log: Logger;
  /** Per-request timeout of the plain reads; default 5 s. */
  readonly timeoutMs?: number;
}

export interface Member {
  start(): void;
  stop(): void;
  /** Nodes and pods have each been listed once. */
  synced(): boolean;
  nodes(): ReadonlyMap<string, NodeSummary>;
  pods(): Iterable<PodSummary>;
  /** True when `/readyz` answers 200 in time. */
  probeReady(): Promise<boolean>;
  /** `gitVersion` of `/version`, or undefined when the read failed. */
  version(): Promise<string | undefined>;
  /** The NodePools; [] when the API is not served; undefined when the read failed. */
  nodePools(): Promise<NodePoolSummary[] | undefined>;
}

interface ObjectList {
  readonly items?: unknown[];
  readonly metadata?: { readonly resourceVersion?: string };
}

/** Lists `path` from the API server's watch cache (`resourceVersion=0`). */
async function listFromCache(client: KubeClient, path: string, query = {}): Promise<ListResult> {
  const params = new URLSearchParams({ ...query, resourceVersion: "0" });
  const list = await client.call<ObjectList>("GET", `${path}?${params.toString()}`, {
    timeoutMs: 60_000,
  });
  return { items: list.items ?? [], resourceVersion: list.metadata?.resourceVersion ?? "" };
}

export function connectMember(options: MemberOptions): Member {
  const { client, clock, log } = options;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const pods = { fieldSelector: ACTIVE_BOUND_PODS };
  const nodeCache: SummaryCache<NodeSummary> = createSummaryCache({
    client,
    path: "/api/v1/nodes",
    list: () => listFromCache(client, "/api/v1/nodes"),
    summarise: summariseNode,
    ...(options.onNodesChanged === undefined ? {} : { onChange: options.onNodesChanged }),
    clock,
    log,
  });
  const podCache: SummaryCache<PodSummary> = createSummaryCache({
    client,
    path: "/api/v1/pods",
    query: pods,
    list: () => listFromCache(client, "/api/v1/pods", pods),
    summarise: summarisePod,
    clock,
    log,
  });
  const failed = (what: string) => (error: unknown) => {
    log.warn(`reading ${what} from the member failed`, { error: errorText(error) });
    return undefined;
  };
  return {
    start() {
      nodeCache.start();
      podCache.start();
    },
    stop() {
      nodeCache.stop();
      podCache.stop();
    },
    synced: () => nodeCache.synced() && podCache.synced(),
    nodes: () => nodeCache.summaries(),
    pods: () => podCache.summaries().values(),
    probeReady: () =>
      client.raw("/readyz", timeoutMs).then(
        (res) => res.status === 200,
        () => false,
      ),
    version: () =>
      client
        .call<{ gitVersion?: unknown }>("GET", "/version", { timeoutMs })
        .then((v) => (typeof v.gitVersion === "string" ? v.gitVersion : undefined))
        .catch(failed("/version")),
    nodePools: () =>
      client
        .call<ObjectList>("GET", NODE_POOLS_PATH, { timeoutMs })
        .then((list) => (list.items ?? []).map(summariseNodePool))
        .catch((error: unknown) => (statusOf(error) === 404 ? [] : failed("NodePools")(error))),
  };
}
