/**
 * What the reconcile needs from the running hub, as one object (house style: one options
 * object for dependencies): the informer caches, the registry view, the clients, the hub
 * writers, the render cache, per-application memory, the clock and the settings.
 */
import type { KubernetesObject } from "@kubernetes/client-node";
import type { ClusterRecord } from "../../core/cluster/types.js";
import type { Clock } from "../../core/controller/clock.js";
import type { Logger } from "../../core/controller/logger.js";
import type { CueEngine } from "../../engine/cue/engine.js";
import type { RenderCache } from "../../engine/render/cache.js";
import type { NodePoolInventory } from "../../engine/render/node-pools.js";
import type { ClusterHealth } from "../cluster-health/state.js";
import type { DefinitionSet } from "../../engine/render/definition-set.js";
import type { ClientFor } from "../dispatch/types.js";
import type { TrackerClient } from "../tracker/store.js";
import type { AppApi, AppObjectMeta } from "./app-api.js";
import type { AppMemory } from "../dispatch/deliver.js";
import type { HubMetrics } from "../metrics/hub-metrics.js";

/** An Application as the informer caches it. */
export type RawApp = KubernetesObject & { status?: unknown; spec?: unknown };

/** Where the app is, with the version read and its finalizers: what the hub's writes need. */
export const appMetaOf = (raw: RawApp): AppObjectMeta => ({
  namespace: raw.metadata?.namespace ?? "default",
  name: raw.metadata?.name ?? "",
  ...(raw.metadata?.resourceVersion === undefined
    ? {}
    : { resourceVersion: raw.metadata.resourceVersion }),
  ...(raw.metadata?.finalizers === undefined ? {} : { finalizers: raw.metadata.finalizers }),
});

/** Best-effort events on an application (never throws). */
export interface AppEvents {
  normal(app: RawApp, reason: string, message: string): void;
  warning(app: RawApp, reason: string, message: string): void;
}

export interface HubContext {
  readonly apps: { get(key: string): RawApp | undefined };
  readonly clusters: () => readonly ClusterRecord[];
  /** A cluster's health from its agent's heartbeat (undefined: not judged yet). */
  readonly health: (cluster: string) => ClusterHealth | undefined;
  /** A cluster's OpenYurt NodePools from its agent's report (undefined: not reported). */
  readonly nodePools: NodePoolInventory;
  /** Place new deliveries only on Ready clusters (`--skip-unhealthy-clusters`). */
  readonly skipUnhealthyClusters: boolean;
  readonly definitions: (namespace: string) => DefinitionSet;
  readonly clientFor: ClientFor;
  readonly appApi: AppApi;
  readonly tracker: TrackerClient;
  readonly events: AppEvents;
  /** The hub's dispatch and workflow histograms (hub/metrics). */
  readonly metrics: HubMetrics;
  readonly engine: CueEngine;
  readonly renderCache: RenderCache;
  /** Per application key, what the last reconciles delivered. */
  readonly memory: Map<string, AppMemory>;
  readonly clock: Clock;
  readonly log: Logger;
  /** Period of the state-keep re-apply (drift correction). */
  readonly stateKeepMs: number;
  /** How soon an unhealthy application is looked at again. */
  readonly healthPollMs: number;
}
