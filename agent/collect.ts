/**
 * What the agent reads from its member cluster (the I/O edge before the pure summaries):
 *
 * - nodes and pods through core's reflector (`core/kube/reflector.ts`), listed from the API
 *   server's watch cache and kept as summaries only (`report.ts`: `summariseNode`,
 *   `summarisePod`): only non-terminal pods bound to a node are watched (field selector), and
 *   each is kept as its requests; an update that leaves a summary equal is no change;
 * - NodePools (`apps.openyurt.io/v1beta1`) by a plain list when asked: a handful of objects,
 *   and a 404 means the API is not served (no OpenYurt): no pools;
 * - `/version` and `/readyz`.
 *
 * Reads never throw: a failed read is `undefined` ("unknown, keep what you had"), logged.
 */
import type { Clock } from "../core/controller/clock.js";
import { errorText, type Logger } from "../core/controller/logger.js";
import { NotFoundError } from "../core/errors.js";
import type { KubeClient } from "../core/kube/client.js";
import { Reflector } from "../core/kube/reflector.js";
import { jsonEqual } from "./diff.js";
import {
  summariseNode,
  summariseNodePool,
  summarisePod,
  type NodePoolSummary,
  type NodeSummary,
  type PodSummary,
} from "./report.js";

/** Pods that count for `requested`: bound to a node and not finished. */
export const ACTIVE_BOUND_PODS = "spec.nodeName!=,status.phase!=Succeeded,status.phase!=Failed";

const NODE_POOLS_PATH = "/apis/apps.openyurt.io/v1beta1/nodepools";

/** A list of 10,000 pods may take a while to arrive. */
const LIST_TIMEOUT_MS = 60_000;

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
}

class ClusterMember implements Member {
  readonly #options: MemberOptions;
  readonly #timeoutMs: number;
  readonly #nodes: Reflector<NodeSummary>;
  readonly #pods: Reflector<PodSummary>;

  constructor(options: MemberOptions) {
    const { client, clock, log, onNodesChanged } = options;
    this.#options = options;
    this.#timeoutMs = options.timeoutMs ?? 5_000;
    const common = { client, clock, log, equal: jsonEqual, listFromCache: true };
    this.#nodes = new Reflector({
      ...common,
      path: "/api/v1/nodes",
      transform: summariseNode,
      listTimeoutMs: LIST_TIMEOUT_MS,
      ...(onNodesChanged === undefined ? {} : { onChange: () => onNodesChanged() }),
    });
    this.#pods = new Reflector({
      ...common,
      path: "/api/v1/pods",
      selectors: { fieldSelector: ACTIVE_BOUND_PODS },
      transform: summarisePod,
      listTimeoutMs: LIST_TIMEOUT_MS,
    });
  }

  start(): void {
    void this.#nodes.start();
    void this.#pods.start();
  }

  stop(): void {
    this.#nodes.stop();
    this.#pods.stop();
  }

  synced(): boolean {
    return this.#nodes.synced() && this.#pods.synced();
  }

  nodes(): ReadonlyMap<string, NodeSummary> {
    return this.#nodes.items();
  }

  pods(): Iterable<PodSummary> {
    return this.#pods.items().values();
  }

  probeReady(): Promise<boolean> {
    return this.#options.client.send({ path: "/readyz", timeoutMs: this.#timeoutMs }).then(
      (res) => res.status === 200,
      () => false,
    );
  }

  version(): Promise<string | undefined> {
    return this.#options.client
      .json<{ gitVersion?: unknown }>({ path: "/version", timeoutMs: this.#timeoutMs })
      .then((v) => (typeof v.gitVersion === "string" ? v.gitVersion : undefined))
      .catch((error: unknown) => this.#failed("/version", error));
  }

  nodePools(): Promise<NodePoolSummary[] | undefined> {
    return this.#options.client
      .json<ObjectList>({ path: NODE_POOLS_PATH, timeoutMs: this.#timeoutMs })
      .then((list) => (list.items ?? []).map(summariseNodePool))
      .catch((error: unknown) =>
        error instanceof NotFoundError ? [] : this.#failed("NodePools", error),
      );
  }

  #failed(what: string, error: unknown): undefined {
    this.#options.log.warn(`reading ${what} from the member failed`, { error: errorText(error) });
    return undefined;
  }
}

/** The member's reads; nothing is requested until `start` or a read is called. */
export function connectMember(options: MemberOptions): Member {
  return new ClusterMember(options);
}
