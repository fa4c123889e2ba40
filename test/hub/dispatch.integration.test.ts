/**
 * Dispatch, garbage collection, apply-once and the resource tracker against real clusters:
 * a hub (`local`) and one member (`member-1`), plus a third cluster name whose client points
 * at a closed port. Applications are rendered with the built-in definitions; every assertion
 * reads the clusters back.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { CustomObjectsApi, KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubeConfigFor } from "../../core/cluster/kube.js";
import { FakeClock } from "../../core/testing/fake-clock.js";
import { cueEngine, type CueEngine } from "../../engine/cue/engine.js";
import { InvalidInputError, NotFoundError, UpstreamUnavailableError } from "../../core/errors.js";
import { installCrds } from "../../core/cluster/crds.js";
import { loadBuiltinDefinitions } from "../../engine/oam/load.js";
import type { JsonObject } from "../../core/json.js";
import type { Application, ApplicationPolicy } from "../../engine/oam/types.js";
import { definitionSet, type DefinitionSet } from "../../engine/render/definition-set.js";
import { renderApplication, type RenderedObject } from "../../engine/render/render.js";
import { dispatch, type DispatchOptions } from "../../hub/dispatch/dispatch.js";
import { objectClient } from "../../hub/dispatch/object-client.js";
import { createClusterRetries } from "../../hub/dispatch/retry.js";
import { describeRef, refOf, type ObjectClient, type ObjectRef } from "../../hub/dispatch/types.js";
import { deleteObjects } from "../../hub/tracker/delete.js";
import { trackerEntries, type TrackerEntry } from "../../hub/tracker/entries.js";
import { garbage, nextEntries } from "../../hub/tracker/garbage.js";
import { readTracker, writeTracker, type TrackerClient } from "../../hub/tracker/store.js";
import { ensureBinaries, type BinaryPaths } from "../../fleet/build/binaries.js";
import { startFleet, type Fleet } from "../../fleet/fleet.js";
import { freePorts } from "../../fleet/ports.js";

let fleet: Fleet;
let binaries: BinaryPaths;
let engine: CueEngine;
let definitions: DefinitionSet;
let hub: CustomObjectsApi;
const clients = new Map<string, ObjectClient>();

beforeAll(async () => {
  binaries = await ensureBinaries();
  const clusters = [{ name: "local", hub: true }, { name: "member-1" }];
  fleet = await startFleet({ binaries, clusters });
  for (const cluster of fleet.clusters) {
    const kubeconfig = new KubeConfig();
    kubeconfig.loadFromFile(cluster.kubeconfigFile);
    clients.set(cluster.name, objectClient(kubeconfig, { timeoutMs: 10_000 }));
    if (cluster.hub) hub = kubeconfig.makeApiClient(CustomObjectsApi);
    if (cluster.hub) await installCrds({ kubeconfig });
  }
  const [closed] = await freePorts(1);
  const credential = { type: "ServiceAccountToken", token: "unused" } as const;
  const endpoint = `https://127.0.0.1:${closed}`;
  const unreachable = kubeConfigFor({ name: "member-2", endpoint, credential, labels: {} });
  clients.set("member-2", objectClient(unreachable, { timeoutMs: 5_000 }));
  engine = await cueEngine();
  definitions = definitionSet(await loadBuiltinDefinitions(engine));
});

afterAll(async () => {
  await fleet?.stop();
});

const clientFor = (cluster: string): ObjectClient => {
  const client = clients.get(cluster);
  if (client === undefined) throw new NotFoundError(`no cluster "${cluster}"`);
  return client;
};

const members = ["local", "member-1"];
interface AppExtras {
  clusters: string[];
  policies: ApplicationPolicy[];
}

/** Application `name` in namespace `name`, to `clusters` by a topology policy. */
function app(name: string, components: Components, more: Partial<AppExtras> = {}): Application {
  const where = {
    name: "where",
    type: "topology",
    properties: { clusters: more.clusters ?? members },
  };
  const spec = { components, policies: [where, ...(more.policies ?? [])] };
  return {
    apiVersion: "core.oam.dev/v1beta1",
    kind: "Application",
    metadata: { name, namespace: name },
    spec,
  };
}
type Components = Application["spec"]["components"];

const web = {
  name: "web",
  type: "webservice",
  properties: { image: "nginx:1.27", ports: [{ port: 80, expose: true }] },
};
const api = { name: "api", type: "worker", properties: { image: "busybox:1.36" } };
const render = (application: Application, revision = 1): RenderedObject[] =>
  renderApplication({ engine, definitions, app: application, revision });

/** Renders `application` at `revision` and dispatches it. */
const deliver = (application: Application, revision = 1, more: Partial<DispatchOptions> = {}) =>
  dispatch({ clientFor, objects: render(application, revision), ...more });
const read = (cluster: string, ref: ObjectRef): Promise<JsonObject | undefined> =>
  clientFor(cluster).read(ref);
const deployment = (namespace: string, name: string): ObjectRef =>
  refOf({ apiVersion: "apps/v1", kind: "Deployment", metadata: { namespace, name } });
const meta = (o: unknown): JsonObject =>
  ((o as JsonObject | undefined)?.metadata ?? {}) as JsonObject;
const spec = (o: unknown): JsonObject => ((o as JsonObject | undefined)?.spec ?? {}) as JsonObject;
/** `local=ok member-1=failed`: each cluster's outcome in one string. */
const outcome = (results: ReadonlyArray<{ cluster: string; ok: boolean }>): string =>
  results.map((r) => `${r.cluster}=${r.ok ? "ok" : "failed"}`).join(" ");
/** `Deployment shop/web, Service shop/web`. */
const names = (refs: readonly ObjectRef[]): string => refs.map(describeRef).join(", ");

describe("dispatch", () => {
  it("applies an app to every cluster with KubeVela's labels, owned by flotilla", async () => {
    const results = await deliver(app("shop", [web, api]));
    expect(outcome(results)).toBe("local=ok member-1=ok");
    expect(names(results[1]?.applied ?? [])).toBe(
      "Deployment shop/web, Service shop/web, Deployment shop/api",
    );
    for (const cluster of members) {
      const live = await read(cluster, deployment("shop", "web"));
      expect(meta(live).labels).toMatchObject({
        "app.oam.dev/name": "shop",
        "app.oam.dev/namespace": "shop",
        "app.oam.dev/component": "web",
        "app.oam.dev/appRevision": "shop-v1",
        "workload.oam.dev/type": "webservice",
      });
      const managers = meta(live).managedFields;
      expect(managers).toContainEqual(
        expect.objectContaining({ manager: "flotilla", operation: "Apply" }),
      );
    }
  });

  it("changes nothing when the same objects are applied again", async () => {
    const objects = render(app("shop", [web, api]));
    const versions = (): Promise<unknown[]> =>
      Promise.all(
        objects.map(
          async (o) => meta(await read(o.target.cluster, refOf(o.object))).resourceVersion,
        ),
      );
    const before = await versions();
    expect(before.every((v) => typeof v === "string")).toBe(true);
    expect(outcome(await dispatch({ clientFor, objects }))).toBe("local=ok member-1=ok");
    expect(await versions()).toEqual(before);
  });

  it("reports an unreachable cluster as failed data while the others are applied", async () => {
    const objects = render(app("shop", [web, api], { clusters: [...members, "member-2"] }));
    const results = await dispatch({ clientFor, objects, parallelism: 2 });
    expect(outcome(results)).toBe("local=ok member-1=ok member-2=failed");
    const down = results[2];
    if (down?.ok !== false) throw new Error("member-2 should have failed");
    expect(down.error).toBeInstanceOf(UpstreamUnavailableError);
    expect(down.applied).toEqual([]);
    expect(names(down.failed.map((f) => f.ref))).toBe(
      "Deployment shop/web, Service shop/web, Deployment shop/api",
    );
    // Still wanted there: tracked, so garbage collection never mistakes it for garbage.
    expect(trackerEntries(results, 1).filter((e) => e.cluster === "member-2")).toHaveLength(3);
    const retries = createClusterRetries({ clock: new FakeClock(0) });
    expect(retries.record(results)).toEqual({ requeueAfterMs: 1_000 });
    expect([retries.isDue("member-2"), retries.isDue("member-1")]).toEqual([false, true]);
  });

  it("fails an invalid object alone, typed and named; applies CRDs before their kinds", async () => {
    const objects = render(app("lab", [web], { clusters: ["member-1"] }));
    const [workload] = objects;
    if (workload === undefined) throw new Error("nothing rendered");
    const kit = (object: JsonObject): RenderedObject => ({ ...workload, component: "kit", object });
    const broken: JsonObject = {
      ...workload.object,
      metadata: { ...meta(workload.object), name: "broken" },
    };
    broken.spec = { ...spec(workload.object), replicas: -1 };
    const gadget: JsonObject = { apiVersion: "test.flotilla.dev/v1", kind: "Gadget", size: 3 };
    gadget.metadata = { name: "g1", namespace: "lab" };
    const openAPIV3Schema = { type: "object", "x-kubernetes-preserve-unknown-fields": true };
    const version = { name: "v1", served: true, storage: true, schema: { openAPIV3Schema } };
    const kinds = { kind: "Gadget", plural: "gadgets", singular: "gadget", listKind: "GadgetList" };
    const crd = {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      // Render gives every object the target namespace; a cluster-scoped one must lose it.
      metadata: { name: "gadgets.test.flotilla.dev", namespace: "lab" },
      spec: { group: "test.flotilla.dev", scope: "Namespaced", names: kinds, versions: [version] },
    };
    const input = [kit(broken), kit(gadget), ...objects, kit(crd)];
    const [member] = await dispatch({ clientFor, objects: input });
    if (member?.ok !== false) throw new Error("member-1 should report the broken object");
    expect(member.failed).toHaveLength(1);
    expect(member.error).toBeInstanceOf(InvalidInputError);
    expect(member.error.message).toMatch(/^apply Deployment lab\/broken: .*spec\.replicas/);
    expect(names(member.applied)).toBe(
      "CustomResourceDefinition gadgets.test.flotilla.dev, Gadget lab/g1, Deployment lab/web, Service lab/web",
    );
    expect(await read("member-1", deployment("lab", "web"))).toBeDefined();
    expect(await read("member-1", deployment("lab", "broken"))).toBeUndefined();
    expect(await read("member-1", refOf(gadget))).toMatchObject({ size: 3 });
  });
});

const rtWhere = { group: "core.oam.dev", version: "v1beta1", plural: "resourcetrackers" };
async function writeAndRead(
  app: { name: string; namespace: string },
  generation: number,
  entries: TrackerEntry[],
) {
  await writeTracker({ hub, app, state: { generation, entries } });
  return readTracker({ hub, app });
}
/** A competing writer: labels the tracker `touched: yes`. */
async function touch(name: string): Promise<void> {
  const other = (await hub.getClusterCustomObject({ ...rtWhere, name })) as JsonObject;
  const metadata = {
    ...meta(other),
    labels: { ...(meta(other).labels as object), touched: "yes" },
  };
  await hub.replaceClusterCustomObject({ ...rtWhere, name, body: { ...other, metadata } });
}

describe("garbage collection and the tracker", () => {
  it("deletes a removed component's objects and records the outcome on the hub", async () => {
    const key = { name: "shop", namespace: "shop" };
    const first = await deliver(app("shop", [web, api]));
    const previous = await writeAndRead(key, 1, trackerEntries(first, 1));
    expect(previous).toEqual({ generation: 1, entries: trackerEntries(first, 1) });
    const stored = (await hub.getClusterCustomObject({ ...rtWhere, name: "shop-shop" })) as unknown;
    expect(meta(stored).labels).toEqual({
      "app.oam.dev/name": "shop",
      "app.oam.dev/namespace": "shop",
    });
    expect(spec(stored).managedResources).toContainEqual(
      expect.objectContaining({
        cluster: "member-1",
        apiVersion: "apps/v1",
        kind: "Deployment",
        namespace: "shop",
        name: "api",
        component: "api",
      }),
    );

    const v2 = app("shop", [web]);
    const current = trackerEntries(await deliver(v2, 2), 2);
    const collected = garbage(previous?.entries ?? [], current, v2.spec.policies);
    expect(collected.delete.map((e) => `${e.cluster}:${e.kind}/${e.name}`)).toEqual([
      "local:Deployment/api",
      "member-1:Deployment/api",
    ]);
    const deleted = await deleteObjects({ clientFor, refs: collected.delete });
    expect(outcome(deleted)).toBe("local=ok member-1=ok");
    for (const cluster of members) {
      // Background propagation: the Deployment goes at once, its ReplicaSets after it.
      expect(await read(cluster, deployment("shop", "api"))).toBeUndefined();
      expect(await read(cluster, deployment("shop", "web"))).toBeDefined();
    }
    const again = await deleteObjects({ clientFor, refs: collected.delete });
    expect(outcome(again)).toBe("local=ok member-1=ok");
    const next = nextEntries(current, collected, []);
    expect(await writeAndRead(key, 2, next)).toEqual({ generation: 2, entries: next });
  });

  it("keeps a removed component's objects with keepLegacyResource, at their old generation", async () => {
    const key = { name: "keeper", namespace: "keeper" };
    const policies = [
      { name: "gc", type: "garbage-collect", properties: { keepLegacyResource: true } },
    ];
    const more = { clusters: ["member-1"], policies };
    const first = await deliver(app("keeper", [web, api], more));
    const previous = (await writeAndRead(key, 1, trackerEntries(first, 1)))?.entries ?? [];
    const v2 = app("keeper", [web], more);
    const current = trackerEntries(await deliver(v2, 2), 2);
    const collected = garbage(previous, current, v2.spec.policies);
    expect(collected.delete).toEqual([]);
    expect(collected.keep.map((e) => [e.kind, e.name, e.generation])).toEqual([
      ["Deployment", "api", 1],
    ]);
    // The same update without the policy would collect it.
    expect(names(garbage(previous, current, []).delete)).toBe("Deployment keeper/api");
    const stored = await writeAndRead(key, 2, nextEntries(current, collected, []));
    const api1 = { name: "api", generation: 1, workloadType: "worker" };
    expect(stored?.entries).toContainEqual(expect.objectContaining(api1));
    expect(await read("member-1", deployment("keeper", "api"))).toBeDefined();
  });

  it("writes the tracker through a concurrent write (409) by reading again", async () => {
    const key = { name: "race", namespace: "race" };
    await writeTracker({ hub, app: key, state: { generation: 1, entries: [] } });
    let replaces = 0;
    const racing: TrackerClient = Object.assign(Object.create(hub) as CustomObjectsApi, {
      replaceClusterCustomObject: async (p: { name: string }) => {
        // Someone else writes between this writer's read and its first write.
        if (replaces++ === 0) await touch(p.name);
        return hub.replaceClusterCustomObject(
          p as Parameters<TrackerClient["replaceClusterCustomObject"]>[0],
        ) as Promise<unknown>;
      },
    });
    const entry = { cluster: "member-1", apiVersion: "v1", kind: "ConfigMap", name: "c" };
    const entries: TrackerEntry[] = [{ ...entry, component: "c", generation: 2 }];
    await writeTracker({ hub: racing, app: key, state: { generation: 2, entries } });
    expect(replaces).toBe(2);
    expect(await readTracker({ hub, app: key })).toEqual({ generation: 2, entries });
    const stored = (await hub.getClusterCustomObject({ ...rtWhere, name: "race-race" })) as unknown;
    expect(meta(stored).labels).toMatchObject({ touched: "yes", "app.oam.dev/name": "race" });
  });
});

describe("apply-once", () => {
  const kubectl = (cluster: string, ...args: string[]) =>
    promisify(execFile)(binaries.kubectl, [
      "--kubeconfig",
      fleet.cluster(cluster).kubeconfigFile,
      ...args,
    ]);
  const scaled = (image: string) => ({
    ...web,
    properties: { ...web.properties, image },
    traits: [{ type: "scaler", properties: { replicas: 2 } }],
  });
  const strategy = { path: ["spec.replicas"] };
  const rules = [{ selector: { resourceTypes: ["Deployment"] }, strategy }];
  const more = {
    clusters: ["member-1"],
    policies: [{ name: "drift", type: "apply-once", properties: { enable: true, rules } }],
  };

  it("keeps a spec.replicas a member user changed, and applies everything else", async () => {
    const [v1, v2] = [
      app("drift", [scaled("nginx:1.27")], more),
      app("drift", [scaled("nginx:1.28")], more),
    ];
    const live = async (): Promise<[unknown, unknown]> => {
      const object = await read("member-1", deployment("drift", "web"));
      const containers = spec(spec(object).template).containers as JsonObject[];
      return [spec(object).replicas, containers[0]?.image];
    };
    const first = await deliver(v1, 1, { policies: v1.spec.policies });
    expect(first[0]?.applied[0]).toMatchObject({
      kind: "Deployment",
      name: "web",
      applyOnce: true,
    });
    expect(await live()).toEqual([2, "nginx:1.27"]);

    await kubectl("member-1", "scale", "deployment/web", "--replicas=3", "-n", "drift");
    await deliver(v1, 1, { policies: v1.spec.policies, stage: "stateKeep" });
    expect(await live()).toEqual([3, "nginx:1.27"]);
    await deliver(v2, 2, { policies: v2.spec.policies, stage: "update" });
    expect(await live()).toEqual([3, "nginx:1.28"]);

    // Whole-object apply-once: a state-keep re-apply leaves the object alone.
    const whole = [{ name: "drift", type: "apply-once", properties: { enable: true } }];
    await deliver(v1, 1, { policies: whole, stage: "stateKeep" });
    expect(await live()).toEqual([3, "nginx:1.28"]);
    // Without apply-once the rendered object wins.
    await deliver(v1);
    expect(await live()).toEqual([2, "nginx:1.27"]);
  });
});
