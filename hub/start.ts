/**
 * `startHub(options)`: builds the hub controller against a hub cluster and runs it. Start-up
 * installs the CRDs when missing, initialises CUE and the built-in definitions, then starts
 * the informers (Applications in every namespace, the four definition kinds, the cluster
 * Secrets) and the reconcile workers. `main.ts` calls it after winning leader election;
 * integration tests call it in-process with their own clock and intervals.
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
import { cueEngine } from "../engine/cue/engine.js";
import { installCrds } from "../core/cluster/crds.js";
import { loadBuiltinDefinitions } from "../engine/oam/load.js";
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

export interface StartHubOptions {
  readonly hub: KubeConfig;
  readonly stateKeepIntervalMs?: number;
  readonly healthPollIntervalMs?: number;
  readonly workers?: number;
  /** Agent heartbeat timing (grace, startup grace); defaults in hub/health/state.ts. */
  readonly clusterHealth?: Partial<HealthTiming>;
  /** Place new deliveries only on Ready clusters; default false. */
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

/** What a render reads besides the spec, plus deletion: a change here needs a reconcile. */
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

export async function startHub(options: StartHubOptions): Promise<RunningHub> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? silentLogger;
  const metrics = options.metrics ?? new Registry();
  const common = { clock, log };
  await installCrds({ kubeconfig: options.hub, log, clock });
  const engine = await cueEngine();
  const builtins = await loadBuiltinDefinitions(engine);

  // Informers call back before the controller exists; keys arriving then are picked up by the
  // first list, which enqueues every application once the controller runs.
  const late: { controller?: Controller; apps?: Informer<RawApp> } = {};
  const enqueue = (key: string): void => late.controller?.enqueue(key);
  const enqueueAll = (namespace?: string): void => {
    for (const app of late.apps?.list() ?? []) {
      const ns = app.metadata?.namespace ?? "default";
      if (namespace === undefined || namespace === ns) enqueue(`${ns}/${app.metadata?.name}`);
    }
  };
  const clusters: ClusterView = createClusterView({
    hub: options.hub,
    onChange: () => {
      health.registryChanged();
      enqueueAll();
    },
    ...common,
  });
  // Shares the view's Secret informer instead of watching the Secrets a second time.
  const health: ClusterHealthTracker = createClusterHealth({
    hub: options.hub,
    registry: () => clusters.records().map((r) => r.name),
    onChange: () => enqueueAll(),
    ...(options.clusterHealth === undefined ? {} : { options: options.clusterHealth }),
    ...common,
  });
  const definitions: DefinitionStore = createDefinitionStore({
    hub: options.hub,
    builtins,
    onChange: (ns) => enqueueAll(ns === SYSTEM_NAMESPACE ? undefined : ns),
    ...common,
  });
  const informer = appInformer(options.hub, enqueue, common);
  late.apps = informer;
  const ctx: HubContext = {
    apps: { get: (key) => informer.get(key) },
    clusters: () => clusters.records(),
    health: (cluster) => health.health(cluster),
    nodePools: (cluster) => health.pools(cluster),
    skipUnhealthyClusters: options.skipUnhealthyClusters ?? false,
    definitions: (ns) => definitions.setFor(ns),
    clientFor: clusters.clientFor,
    appApi: appApi(options.hub),
    tracker: options.hub.makeApiClient(CustomObjectsApi),
    events: options.events ?? hubEvents(options.hub, common),
    engine,
    renderCache: renderCache({ maxEntries: 10_000 }),
    memory: new Map(),
    clock,
    log,
    stateKeepMs: options.stateKeepIntervalMs ?? 300_000,
    healthPollMs: options.healthPollIntervalMs ?? 5_000,
  };
  const controller = createController({
    name: "application",
    reconcile: (key) => reconcileApplication(ctx, key),
    workers: options.workers ?? 4,
    metrics,
    ...common,
  });
  late.controller = controller;
  // Registry and definitions first, so the first reconciles see them.
  await Promise.all([clusters.start(), definitions.start()]);
  await health.start(); // after the registry view it reads has listed
  await informer.start();
  controller.start();
  enqueueAll();
  log.info("hub started", { applications: informer.list().length });
  const running = controller;
  return {
    metrics,
    synced: () =>
      clusters.synced() && definitions.synced() && health.synced() && informer.hasSynced(),
    resyncAll: () => enqueueAll(),
    async stop() {
      await running.stop();
      await Promise.all([informer.stop(), clusters.stop(), definitions.stop(), health.stop()]);
    },
  };
}
