/**
 * The hub controller's test world: a fleet (hub `local`, `member-1`, `member-2`, one node
 * each), the gateway process registered on the hub as an aggregated APIService (the hub
 * reaches members only through it), and the hub controller running in-process with short
 * intervals. Helpers apply Applications, read them back and read objects in members directly.
 */
import { CustomObjectsApi, type KubeConfig } from "@kubernetes/client-node";
import { clusterRegistry } from "../../core/cluster/registry.js";
import type { ApplicationStatusBody } from "../../engine/oam/status.js";
import type { JsonObject } from "../../core/json.js";
import { objectClient } from "../../hub/dispatch/object-client.js";
import type { ObjectClient, ObjectRef } from "../../hub/dispatch/types.js";
import { startHub, type RunningHub } from "../../hub/start.js";
import { ensureBinaries } from "../../fleet/build/binaries.js";
import { startFleet, type Fleet } from "../../fleet/fleet.js";
import {
  hubOf,
  kubeConfigOf,
  memberRecord,
  startFleetGateway,
  type FleetGateway,
} from "../../fleet/gateway.js";
import { waitFor } from "../../fleet/wait.js";

export interface HubWorld {
  readonly fleet: Fleet;
  readonly gateway: FleetGateway;
  readonly hubKc: KubeConfig;
  hub: RunningHub;
  /** A direct client of a fleet cluster (not through the gateway), for assertions. */
  direct(cluster: string): ObjectClient;
  stop(): Promise<void>;
}

export const labels = {
  "member-1": { region: "beijing", env: "staging" },
  "member-2": { region: "shanghai", env: "prod" },
} as const;

export const STATE_KEEP_MS = 4_000;

export function startTestHub(hubKc: KubeConfig): Promise<RunningHub> {
  return startHub({
    hub: hubKc,
    stateKeepIntervalMs: STATE_KEEP_MS,
    healthPollIntervalMs: 1_000,
    workers: 2,
  });
}

export interface HubWorldOptions {
  /** Members started besides the hub; default both. */
  readonly members?: ReadonlyArray<keyof typeof labels>;
  /** kwok nodes of the hub cluster; default 1. */
  readonly hubNodes?: number;
}

/** Direct clients of fleet clusters (not through the gateway), one per cluster, for assertions. */
export function directClients(fleet: Fleet): (cluster: string) => ObjectClient {
  const clients = new Map<string, ObjectClient>();
  return (cluster) => {
    let client = clients.get(cluster);
    if (client === undefined) {
      client = objectClient(kubeConfigOf(fleet.cluster(cluster)), { timeoutMs: 10_000 });
      clients.set(cluster, client);
    }
    return client;
  };
}

export async function setUpHubWorld(options: HubWorldOptions = {}): Promise<HubWorld> {
  const binaries = await ensureBinaries();
  const members = options.members ?? ["member-1", "member-2"];
  const fleet = await startFleet({
    binaries,
    clusters: [
      { name: "local", hub: true, nodes: options.hubNodes ?? 1, pools: [] },
      ...members.map((name) => ({ name, hub: false, nodes: 1, pools: [], labels: labels[name] })),
    ],
  });
  try {
    const gateway = await startFleetGateway({ fleet, register: true });
    const hubKc = kubeConfigOf(hubOf(fleet));
    const hub = await startTestHub(hubKc);
    const world: HubWorld = {
      fleet,
      gateway,
      hubKc,
      hub,
      direct: directClients(fleet),
      async stop() {
        await world.hub.stop();
        await gateway.stop();
        await fleet.stop();
      },
    };
    return world;
  } catch (error) {
    await fleet.stop();
    throw error;
  }
}

/** Registers a fleet member on the hub with `labelsOverride` or its fleet labels. */
export async function join(world: HubWorld, name: string): Promise<void> {
  const registry = clusterRegistry({ hub: world.hubKc });
  await registry.create(memberRecord(world.fleet.cluster(name)));
}

export async function setClusterLabels(
  world: HubWorld,
  name: string,
  next: Record<string, string>,
): Promise<void> {
  const registry = clusterRegistry({ hub: world.hubKc });
  await registry.update(name, (r) => ({ ...r, labels: next }));
}

const apps = { group: "core.oam.dev", version: "v1beta1", plural: "applications" };

export async function applyApp(world: HubWorld, app: JsonObject): Promise<void> {
  const api = world.hubKc.makeApiClient(CustomObjectsApi);
  const meta = app.metadata as { name: string; namespace: string };
  const current = (await api
    .getNamespacedCustomObject({ ...apps, namespace: meta.namespace, name: meta.name })
    .catch(() => undefined)) as JsonObject | undefined;
  if (current === undefined) {
    await api.createNamespacedCustomObject({ ...apps, namespace: meta.namespace, body: app });
    return;
  }
  const resourceVersion = (current as { metadata: { resourceVersion: string } }).metadata
    .resourceVersion;
  await api.replaceNamespacedCustomObject({
    ...apps,
    namespace: meta.namespace,
    name: meta.name,
    body: { ...app, metadata: { ...meta, resourceVersion } },
  });
}

export async function deleteApp(world: HubWorld, namespace: string, name: string): Promise<void> {
  const api = world.hubKc.makeApiClient(CustomObjectsApi);
  await api.deleteNamespacedCustomObject({ ...apps, namespace, name });
}

export interface AppView {
  readonly metadata: { generation: number; finalizers?: string[] };
  readonly status?: ApplicationStatusBody;
}

export async function readApp(
  world: HubWorld,
  namespace: string,
  name: string,
): Promise<AppView | undefined> {
  const api = world.hubKc.makeApiClient(CustomObjectsApi);
  return (await api
    .getNamespacedCustomObject({ ...apps, namespace, name })
    .catch(() => undefined)) as AppView | undefined;
}

/** Waits up to 90 s (the fleet shares 2 cores) for `check` to return a value. */
export const eventually = <T>(what: string, check: () => Promise<T | undefined>): Promise<T> =>
  waitFor(what, check, { timeoutMs: 90_000, intervalMs: 500 });

/** Waits for the app to report `phase` for its current generation. */
export function phase(
  world: HubWorld,
  namespace: string,
  name: string,
  wanted: string,
): Promise<AppView> {
  return eventually(`application ${namespace}/${name} ${wanted}`, async () => {
    const app = await readApp(world, namespace, name);
    const status = app?.status;
    if (status === undefined || status.observedGeneration !== app?.metadata.generation) return;
    if (status.status !== wanted)
      throw new Error(`phase ${status.status}: ${JSON.stringify(status.conditions)}`);
    return app;
  });
}

export const deployment = (namespace: string, name: string): ObjectRef => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  namespace,
  name,
});

/** The image of the first container of a live Deployment. */
export function imageOf(live: JsonObject | undefined): string | undefined {
  const spec = live?.spec as
    { template?: { spec?: { containers?: Array<{ image?: string }> } } } | undefined;
  return spec?.template?.spec?.containers?.[0]?.image;
}

/** Sets the image of a member's Deployment as another field manager would (drift). */
export async function driftImage(
  member: ObjectClient,
  live: JsonObject,
  image: string,
): Promise<void> {
  const spec = structuredClone(live.spec) as {
    template: { spec: { containers: Array<{ image: string }> } };
  };
  spec.template.spec.containers[0]!.image = image;
  const { name, namespace } = live.metadata as { name: string; namespace: string };
  await member.apply(
    { apiVersion: "apps/v1", kind: "Deployment", metadata: { name, namespace }, spec },
    { fieldManager: "someone-else", force: true },
  );
}

/** Whether the running hub has finished as many reconciles as there are Applications. */
export async function reconciledAll(world: HubWorld): Promise<boolean> {
  const api = world.hubKc.makeApiClient(CustomObjectsApi);
  const list = (await api.listClusterCustomObject(apps)) as { items: unknown[] };
  const metric = await world.hub.metrics.getSingleMetric("flotilla_reconcile_total")?.get();
  const done = (metric?.values ?? [])
    .filter((v) => v.labels.controller === "application")
    .reduce((sum, v) => sum + v.value, 0);
  return done >= list.items.length;
}
