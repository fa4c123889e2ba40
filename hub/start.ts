/**
 * `startHub(options)`: builds the hub controller against a hub cluster and runs it. Start-up
 * installs the CRDs when missing, initialises CUE and the built-in definitions, then starts
 * the informers (Applications in every namespace, the four definition kinds, the cluster
 * Secrets) and the reconcile workers. `main.ts` calls it after winning leader election;
 * integration tests call it in-process with their own clock and intervals. Options left out
 * take the hub's `defaults` (config.ts), the same values its flags default to.
 *
 * What triggers a reconcile: an Application added, deleted, or changed in what a render reads
 * (generation, labels, annotations, deletion — not its status or finalizers, which the hub writes
 * itself); a definition changing in the app's namespace or `vela-system`; any cluster joining,
 * changing or leaving (placement is re-evaluated, kubevela#6765); and the reconcile's own
 * requeue (failed clusters' backoff, health polling, the state-keep period).
 */
import { isObject } from "../core/json.js";
import type { KubeConfig, KubernetesObject, KubernetesListObject } from "@kubernetes/client-node";
import { CustomObjectsApi } from "@kubernetes/client-node";
import { Registry } from "prom-client";
import { systemClock, type Clock } from "../core/controller/clock.js";
import { createController, type Controller } from "../core/controller/controller.js";
import { createEventRecorder } from "../core/controller/events.js";
import { createInformer, type Informer } from "../core/controller/informer.js";
import { silentLogger, type Logger } from "../core/controller/logger.js";
import { cueEngine, type CueEngine } from "../engine/cue/engine.js";
import { installCrds } from "../core/cluster/crds.js";
import { loadBuiltinDefinitions } from "../engine/oam/load.js";
import type { Definition } from "../engine/oam/types.js";
import { renderCache } from "../engine/render/cache.js";
import { createClusterView, type ClusterView } from "./clusters/view.js";
import { createClusterHealth, type ClusterHealthTracker } from "./cluster-health/tracker.js";
import type { HealthTiming } from "./cluster-health/state.js";
import {
  createDefinitionStore,
  SYSTEM_NAMESPACE,
  type DefinitionStore,
} from "./definitions/store.js";
import { appApi } from "./reconcile/app-api.js";
import type { AppEvents, HubContext, RawApp } from "./reconcile/context.js";
import { reconcileApplication } from "./reconcile/reconcile.js";
import { defaults } from "./config.js";
import { hubMetrics, type HubMetrics } from "./metrics/hub-metrics.js";
import { clusterFacts } from "./metrics/cluster-series.js";
import { registerProcessMetrics } from "../core/controller/process-metrics.js";

/** Size of the render cache every reconcile shares (a constant, not a setting). */
const RENDER_CACHE_ENTRIES = 10_000;

/** The hub's dependencies and settings; a setting left out takes its value from `defaults`. */
export interface StartHubOptions {
  readonly hub: KubeConfig;
  readonly stateKeepIntervalMs?: number;
  readonly healthPollIntervalMs?: number;
  readonly workers?: number;
  /** Agent heartbeat timing (grace, startup grace); heartbeat interval in cluster-health/state.ts. */
  readonly clusterHealth?: Partial<HealthTiming>;
  /** Place new deliveries only on Ready clusters. */
  readonly skipUnhealthyClusters?: boolean;
  readonly events?: AppEvents;
  readonly clock?: Clock;
  readonly log?: Logger;
  readonly metrics?: Registry;
}

export interface RunningHub {
  readonly metrics: Registry;
  /** True once every informer has listed. */
  synced(): boolean;
  /** Asks for every application to be reconciled now. */
  resyncAll(): void;
  stop(): Promise<void>;
}

/**
 * What, when it changes, needs a reconcile: the spec (generation), labels, annotations,
 * deletion, and the workflow operations users make on the status (`flotilla workflow
 * suspend|resume|terminate|restart`). The hub's own status writes change these only when a
 * workflow starts or suspends itself (one extra reconcile then).
 */
function appFingerprint(app: RawApp | undefined): string {
  if (app?.metadata === undefined) return "";
  const m = app.metadata;
  const status = isObject(app.status) ? app.status : {};
  const workflow = isObject(status.workflow) ? status.workflow : undefined;
  const operations =
    workflow === undefined ? "none" : [workflow.suspend === true, workflow.terminated === true];
  return JSON.stringify([m.generation, m.labels, m.annotations, m.deletionTimestamp, operations]);
}

function appInformer(
  hub: KubeConfig,
  onChange: (key: string) => void,
  common: { clock: Clock; log: Logger },
): Informer<RawApp> {
  const api = hub.makeApiClient(CustomObjectsApi);
  const seen = new Map<string, string>();
  const informer: Informer<RawApp> = createInformer<RawApp>({
    kubeconfig: hub,
    path: "/apis/core.oam.dev/v1beta1/applications",
    list: () =>
      api.listClusterCustomObject({
        group: "core.oam.dev",
        version: "v1beta1",
        plural: "applications",
      }) as Promise<KubernetesListObject<KubernetesObject>>,
    enqueue: (key) => {
      const fingerprint = appFingerprint(informer.get(key));
      if (seen.get(key) === fingerprint && fingerprint !== "") return;
      if (fingerprint === "") seen.delete(key);
      else seen.set(key, fingerprint);
      onChange(key);
    },
    ...common,
  });
  return informer;
}

/** Events on the Application, as core/v1 Events on the hub (best effort, de-duplicated). */
function hubEvents(hub: KubeConfig, common: { clock: Clock; log: Logger }): AppEvents {
  const recorder = createEventRecorder({ kubeconfig: hub, component: "flotilla-hub", ...common });
  const write = (type: "Normal" | "Warning") => (app: RawApp, reason: string, message: string) =>
    void recorder.recordEvent({
      involvedObject: {
        apiVersion: "core.oam.dev/v1beta1",
        kind: "Application",
        name: app.metadata?.name ?? "",
        namespace: app.metadata?.namespace ?? "default",
        ...(app.metadata?.uid === undefined ? {} : { uid: app.metadata.uid }),
      },
      type,
      reason,
      message,
    });
  return { normal: write("Normal"), warning: write("Warning") };
}

/** What `startHub` uses of its options, with the hub's `defaults` for those left out — pure. */
export interface HubSettings {
  readonly stateKeepMs: number;
  readonly healthPollMs: number;
  readonly workers: number;
  readonly skipUnhealthyClusters: boolean;
  readonly clusterHealth: Partial<HealthTiming>;
}

export function hubSettings(options: StartHubOptions): HubSettings {
  return {
    stateKeepMs: options.stateKeepIntervalMs ?? defaults.stateKeepIntervalMs,
    healthPollMs: options.healthPollIntervalMs ?? defaults.healthPollIntervalMs,
    workers: options.workers ?? defaults.workers,
    skipUnhealthyClusters: options.skipUnhealthyClusters ?? defaults.skipUnhealthyClusters,
    clusterHealth: {
      gracePeriodMs: defaults.clusterGracePeriodMs,
      startupGraceMs: defaults.clusterStartupGracePeriodMs,
      ...options.clusterHealth,
    },
  };
}

/** Installs the CRDs, loads CUE and the built-in definitions, then starts the hub's parts. */
export async function startHub(options: StartHubOptions): Promise<RunningHub> {
  const common = { clock: options.clock ?? systemClock, log: options.log ?? silentLogger };
  await installCrds({ kubeconfig: options.hub, ...common });
  const engine = await cueEngine();
  const builtins = await loadBuiltinDefinitions(engine);
  const hub = new Hub({ options, settings: hubSettings(options), engine, builtins, ...common });
  await hub.start();
  return hub;
}

interface HubParts {
  readonly options: StartHubOptions;
  readonly settings: HubSettings;
  readonly engine: CueEngine;
  readonly builtins: Definition[];
  readonly clock: Clock;
  readonly log: Logger;
}

/**
 * The running hub. Its state is its parts: the cluster view, cluster health, definitions and
 * the Application informer feed keys to the controller; nothing is requested until `start()`.
 */
class Hub implements RunningHub {
  readonly metrics: Registry;
  readonly #log: Logger;
  readonly #clusters: ClusterView;
  readonly #health: ClusterHealthTracker;
  readonly #definitions: DefinitionStore;
  readonly #apps: Informer<RawApp>;
  readonly #controller: Controller;

  constructor(parts: HubParts) {
    const { options, settings } = parts;
    const common = { clock: parts.clock, log: parts.log };
    this.metrics = options.metrics ?? new Registry();
    this.#log = parts.log;
    this.#clusters = createClusterView({
      hub: options.hub,
      onChange: () => {
        this.#health.registryChanged();
        this.#enqueueAll();
      },
      ...common,
    });
    // Shares the view's Secret informer instead of watching the Secrets a second time.
    this.#health = createClusterHealth({
      hub: options.hub,
      registry: () => this.#clusters.records().map((r) => r.name),
      onChange: () => this.#enqueueAll(),
      options: settings.clusterHealth,
      ...common,
    });
    this.#definitions = createDefinitionStore({
      hub: options.hub,
      builtins: parts.builtins,
      onChange: (ns) => this.#enqueueAll(ns === SYSTEM_NAMESPACE ? undefined : ns),
      ...common,
    });
    this.#apps = appInformer(options.hub, (key) => this.#controller.enqueue(key), common);
    registerProcessMetrics(this.metrics);
    this.#controller = this.#applicationController(parts, this.#hubMetrics());
  }

  /** The hub's gauges read the Application cache and the cluster health at each scrape. */
  #hubMetrics(): HubMetrics {
    return hubMetrics(this.metrics, {
      apps: () => this.#apps.list(),
      clusters: () => clusterFacts(this.#health),
    });
  }

  /** Starts the parts in order, then the controller, and enqueues every application. */
  async start(): Promise<void> {
    // Registry and definitions first, so the first reconciles see them.
    await Promise.all([this.#clusters.start(), this.#definitions.start()]);
    await this.#health.start(); // after the registry view it reads has listed
    await this.#apps.start();
    this.#controller.start();
    this.#enqueueAll();
    this.#log.info("hub started", { applications: this.#apps.list().length });
  }

  synced(): boolean {
    const [clusters, definitions, health] = [this.#clusters, this.#definitions, this.#health];
    return clusters.synced() && definitions.synced() && health.synced() && this.#apps.hasSynced();
  }

  resyncAll(): void {
    this.#enqueueAll();
  }

  async stop(): Promise<void> {
    await this.#controller.stop();
    const [clusters, definitions, health] = [this.#clusters, this.#definitions, this.#health];
    await Promise.all([this.#apps.stop(), clusters.stop(), definitions.stop(), health.stop()]);
  }

  /** Enqueues the applications in `namespace`, or everywhere. */
  #enqueueAll(namespace?: string): void {
    for (const app of this.#apps.list()) {
      const ns = app.metadata?.namespace ?? "default";
      if (namespace === undefined || namespace === ns)
        this.#controller.enqueue(`${ns}/${app.metadata?.name}`);
    }
  }

  #applicationController(parts: HubParts, metrics: HubMetrics): Controller {
    const { options, settings, clock, log } = parts;
    const ctx: HubContext = {
      apps: { get: (key) => this.#apps.get(key) },
      clusters: () => this.#clusters.records(),
      health: (cluster) => this.#health.health(cluster),
      nodePools: (cluster) => this.#health.pools(cluster),
      skipUnhealthyClusters: settings.skipUnhealthyClusters,
      definitions: (ns) => this.#definitions.setFor(ns),
      clientFor: this.#clusters.clientFor,
      appApi: appApi(options.hub),
      tracker: options.hub.makeApiClient(CustomObjectsApi),
      events: options.events ?? hubEvents(options.hub, { clock, log }),
      metrics,
      engine: parts.engine,
      renderCache: renderCache({ maxEntries: RENDER_CACHE_ENTRIES }),
      memory: new Map(),
      clock,
      log,
      stateKeepMs: settings.stateKeepMs,
      healthPollMs: settings.healthPollMs,
    };
    return createController({
      name: "application",
      reconcile: (key) => reconcileApplication(ctx, key),
      workers: settings.workers,
      metrics: this.metrics,
      clock,
      log,
    });
  }
}
