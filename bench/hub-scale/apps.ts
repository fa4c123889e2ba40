/**
 * The benchmark's applications on the hub: each has two `k8s-objects` components of one small
 * ConfigMap each (no pods, so kwok and the schedulers are not what is measured) and a topology
 * policy naming both members. Created with a bounded number of requests in flight; "running"
 * is read with one LIST of the namespace's applications per poll, never per-app GETs.
 */
import {
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
} from "@kubernetes/client-node";
import { mapLimit } from "../../hub/dispatch/pool.js";
import { waitFor } from "../../fleet/wait.js";
import { MEMBERS } from "./world.js";
import { log, sleep } from "./probe.js";

const apps = { group: "core.oam.dev", version: "v1beta1", plural: "applications" };

export const appName = (i: number): string => `app-${String(i).padStart(4, "0")}`;

/** The ConfigMap of component `a` or `b` of app `name`, as it lands in each member. */
export const configMapName = (name: string, component: "a" | "b"): string => `${name}-${component}`;

function component(name: string, which: "a" | "b", value: string) {
  return {
    name: `config-${which}`,
    type: "k8s-objects",
    properties: {
      objects: [
        {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: configMapName(name, which) },
          data: { value },
        },
      ],
    },
  };
}

/** The spec of app `name`; `value` is the data of its first ConfigMap. */
export function appSpec(name: string, value: string) {
  return {
    components: [component(name, "a", value), component(name, "b", "static")],
    policies: [{ name: "members", type: "topology", properties: { clusters: [...MEMBERS] } }],
  };
}

/**
 * Waits until the hub API server serves Applications: the hub installs the CRD when it starts,
 * and a CRD just established can still answer 404 for a moment.
 */
export async function waitServed(hub: KubeConfig, namespace: string): Promise<void> {
  const api = hub.makeApiClient(CustomObjectsApi);
  await waitFor(
    "the hub to serve Applications",
    async () => ((await api.listNamespacedCustomObject({ ...apps, namespace })) ? true : undefined),
    { timeoutMs: 60_000 },
  );
}

/** Creates `count` applications in `namespace`, `inFlight` requests at a time. */
export async function createApps(
  hub: KubeConfig,
  namespace: string,
  count: number,
  inFlight = 20,
): Promise<void> {
  const api = hub.makeApiClient(CustomObjectsApi);
  const indexes = Array.from({ length: count }, (_, i) => i);
  await mapLimit(indexes, inFlight, async (i) => {
    const name = appName(i);
    const body = {
      apiVersion: "core.oam.dev/v1beta1",
      kind: "Application",
      metadata: { name, namespace },
      spec: appSpec(name, "v1"),
    };
    await api.createNamespacedCustomObject({ ...apps, namespace, body });
  });
}

/** Replaces app `name`'s spec (a merge patch: the components list is replaced whole). */
export async function setValue(
  hub: KubeConfig,
  ref: { namespace: string; name: string },
  value: string,
): Promise<void> {
  const api = hub.makeApiClient(CustomObjectsApi);
  await api.patchNamespacedCustomObject(
    { ...apps, ...ref, body: { spec: appSpec(ref.name, value) } },
    setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
  );
}

interface AppItem {
  metadata?: { generation?: number };
  status?: { status?: string; observedGeneration?: number };
}

/** How many applications of the namespace report `running` for their current generation. */
export async function countRunning(hub: KubeConfig, namespace: string): Promise<number> {
  const api = hub.makeApiClient(CustomObjectsApi);
  const list = (await api.listNamespacedCustomObject({ ...apps, namespace })) as {
    items: AppItem[];
  };
  return list.items.filter(
    (a) => a.status?.status === "running" && a.status.observedGeneration === a.metadata?.generation,
  ).length;
}

/**
 * Waits until all `count` applications are running (polling every `intervalMs`, at most
 * `timeoutMs`); resolves with performance.now() of the poll that saw it.
 */
export async function waitAllRunning(
  hub: KubeConfig,
  namespace: string,
  count: number,
  timeoutMs: number,
): Promise<number> {
  const intervalMs = Math.max(1_000, Math.min(3_000, count));
  const deadline = performance.now() + timeoutMs;
  let lastLogged = performance.now();
  for (;;) {
    const running = await countRunning(hub, namespace);
    if (running >= count) return performance.now();
    if (performance.now() > deadline)
      throw new Error(`only ${running}/${count} applications running after ${timeoutMs} ms`);
    if (performance.now() - lastLogged > 15_000) {
      log(`${running}/${count} running`);
      lastLogged = performance.now();
    }
    await sleep(intervalMs);
  }
}
