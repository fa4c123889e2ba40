/**
 * The hub controller's foundations against a real kube-apiserver (one hub, `local`): the OAM
 * CRDs install idempotently and store KubeVela Applications and definitions unchanged, with
 * KubeVela's `kubectl get` columns; the informer turns ConfigMap changes into reconciled keys,
 * keeps delivering after the server ends its watch, and restarts after the watch fails.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import {
  ApiException,
  type KubernetesListObject,
  type KubernetesObject,
  type V1ConfigMap,
} from "@kubernetes/client-node";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createController } from "../../core/controller/controller.js";
import { createInformer, type Informer } from "../../core/controller/informer.js";
import { installCrds, loadCrds } from "../../core/cluster/crds.js";
import { ensureBinaries, type BinaryPaths } from "../../fleet/build/binaries.js";
import { startFleet, type Fleet } from "../../fleet/fleet.js";
import { waitFor } from "../../fleet/wait.js";
import {
  clientsFor,
  pluralOf,
  recordingReconciler,
  v1beta1Seeds,
  widgetCrd,
  type HubClients,
} from "../support/controller-hub.js";

const run = promisify(execFile);
const oam = { group: "core.oam.dev", version: "v1beta1" };

let fleet: Fleet;
let binaries: BinaryPaths;
let hub: HubClients;
const stoppers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  binaries = await ensureBinaries();
  fleet = await startFleet({ binaries, clusters: [{ name: "local", hub: true }] });
  hub = clientsFor(fleet.cluster("local"));
});

afterAll(async () => {
  for (const stop of stoppers.reverse()) await stop();
  await fleet?.stop();
});

const kubectl = async (...args: string[]): Promise<string> =>
  (await run(binaries.kubectl, ["--kubeconfig", fleet.cluster("local").kubeconfigFile, ...args]))
    .stdout;

const resourceVersions = async (names: string[]): Promise<Array<string | undefined>> =>
  Promise.all(
    names.map(async (name) => (await hub.crds.readCustomResourceDefinition({ name })).metadata),
  ).then((metas) => metas.map((m) => m?.resourceVersion));

describe("the OAM CRDs on the hub", () => {
  it("install once, Established; installing again changes nothing", async () => {
    const first = await installCrds({ kubeconfig: hub.kubeconfig });
    const names = (await loadCrds()).map((c) => c.metadata?.name ?? "");
    expect(first).toEqual(names.map((name) => ({ name, action: "created" })));
    for (const name of names) {
      const crd = await hub.crds.readCustomResourceDefinition({ name });
      const established = crd.status?.conditions?.find((c) => c.type === "Established");
      expect(established?.status, name).toBe("True");
    }
    const before = await resourceVersions(names);
    const second = await installCrds({ kubeconfig: hub.kubeconfig });
    expect(second.map((r) => r.action)).toEqual(names.map(() => "unchanged"));
    expect(await resourceVersions(names)).toEqual(before);
    const updated = await installCrds({ kubeconfig: hub.kubeconfig, update: true });
    expect(updated.map((r) => r.action)).toEqual(names.map(() => "updated"));
  });

  it("store the seed Applications and definitions unchanged", async () => {
    await hub.core.createNamespace({ body: { metadata: { name: "vela-system" } } });
    const seeds = await v1beta1Seeds([
      "seed-edge-nodepool/application.yaml",
      "seed-li-auto/application.yaml",
      "seed-li-auto/component-definitions.yaml",
      "seed-li-auto/trait-ingress.yaml",
      "seed-li-auto/workflow-step-definitions.yaml",
      "seed-talk/env-binding-application.yaml",
      "seed-talk/webservice-ingress-application.yaml",
    ]);
    expect(seeds.map((s) => s.kind)).toContain("WorkflowStepDefinition");
    for (const seed of seeds) {
      const where = { ...oam, namespace: seed.metadata.namespace ?? "default" };
      const plural = pluralOf(seed.kind);
      await hub.custom.createNamespacedCustomObject({ ...where, plural, body: seed });
      const stored = (await hub.custom.getNamespacedCustomObject({
        ...where,
        plural,
        name: seed.metadata.name,
      })) as { spec: unknown };
      expect(stored.spec, `${seed.kind} ${seed.metadata.name}`).toEqual(seed.spec);
    }
  });

  it("reject an Application without a component type", async () => {
    const body = {
      apiVersion: "core.oam.dev/v1beta1",
      kind: "Application",
      metadata: { name: "no-type" },
      spec: { components: [{ name: "web", properties: { image: "nginx" } }] },
    };
    const created = hub.custom.createNamespacedCustomObject({
      ...oam,
      namespace: "default",
      plural: "applications",
      body,
    });
    await expect(created).rejects.toSatisfy((e) => e instanceof ApiException && e.code === 422);
  });

  it("print KubeVela's columns, and every short name resolves", async () => {
    const header = (await kubectl("get", "app", "edge-ingress")).split("\n")[0]?.split(/\s+/);
    expect(header).toEqual(["NAME", "COMPONENT", "TYPE", "PHASE", "HEALTHY", "STATUS", "AGE"]);
    const row = (await kubectl("get", "app", "edge-ingress", "--no-headers")).split(/\s+/);
    expect(row.slice(0, 3)).toEqual(["edge-ingress", "ingress-nginx", "helm"]);
    const app = await hub.crds.readCustomResourceDefinition({ name: "applications.core.oam.dev" });
    expect(app.spec.versions[0]?.additionalPrinterColumns?.map((c) => c.jsonPath)).toEqual([
      ".spec.components[*].name",
      ".spec.components[*].type",
      ".status.status",
      ".status.services[*].healthy",
      ".status.services[*].message",
      ".metadata.creationTimestamp",
    ]);
    for (const short of ["app", "velaapp", "comp", "trait", "def-policy", "workflowstep", "rt"])
      await expect(kubectl("get", short, "-A", "-o", "name"), short).resolves.toBeTypeOf("string");
    expect(await kubectl("get", "comp", "base-service", "--no-headers")).toMatch(
      /^base-service\s+Deployment\s/,
    );
  });

  it("keep ResourceTrackers cluster-scoped, with status written through its subresource", async () => {
    const rt = {
      apiVersion: "core.oam.dev/v1beta1",
      kind: "ResourceTracker",
      metadata: {
        name: "edge-ingress-v1-default",
        labels: { "app.oam.dev/name": "edge-ingress", "app.oam.dev/namespace": "default" },
      },
      spec: {
        type: "versioned",
        applicationGeneration: 1,
        managedResources: [
          {
            apiVersion: "apps/v1",
            kind: "Deployment",
            name: "ingress-nginx",
            namespace: "default",
            cluster: "edge-1",
            component: "ingress-nginx",
            raw: { apiVersion: "apps/v1", kind: "Deployment", spec: { replicas: 2 } },
          },
        ],
      },
    };
    const where = { ...oam, plural: "resourcetrackers" };
    await hub.custom.createClusterCustomObject({ ...where, body: rt });
    const read = async () =>
      (await hub.custom.getClusterCustomObject({ ...where, name: rt.metadata.name })) as {
        metadata: { namespace?: string };
        spec: unknown;
        status?: unknown;
      };
    const stored = await read();
    expect(stored.metadata.namespace).toBeUndefined();
    expect(stored.spec).toEqual(rt.spec);
    const status = { observed: { clusters: ["edge-1"] } };
    await hub.custom.replaceClusterCustomObjectStatus({
      ...where,
      name: rt.metadata.name,
      body: { ...stored, status },
    });
    expect(await read()).toMatchObject({ spec: rt.spec, status });
    const row = (await kubectl("get", "rt", rt.metadata.name, "--no-headers")).split(/\s+/);
    expect(row.slice(0, 5)).toEqual([
      rt.metadata.name,
      "versioned",
      "edge-ingress",
      "default",
      "1",
    ]);
  });
});

/** A controller fed by an informer, both stopped after the test file. */
async function informedController<T extends KubernetesObject>(options: {
  name: string;
  path: string;
  list: () => Promise<KubernetesListObject<T>>;
  watchTimeoutSeconds?: number;
}) {
  const cache: { informer?: Informer<T> } = {};
  const recorder = recordingReconciler((key) => cache.informer?.get(key));
  const controller = createController({
    name: options.name,
    reconcile: recorder.reconcile,
    metrics: new Registry(),
  });
  const informer = createInformer<T>({
    ...options,
    kubeconfig: hub.kubeconfig,
    enqueue: (key) => controller.enqueue(key),
    backoff: { baseMs: 100, maxMs: 400 },
  });
  cache.informer = informer;
  stoppers.push(
    () => informer.stop(),
    () => controller.stop(),
  );
  controller.start();
  await informer.start();
  return { informer, ...recorder };
}

const dataOf = (cached: unknown): Record<string, string> | undefined =>
  (cached as V1ConfigMap | undefined)?.data;

describe("an informer feeding a controller", () => {
  const configMaps = (namespace: string) => ({
    path: `/api/v1/namespaces/${namespace}/configmaps`,
    list: () => hub.core.listNamespacedConfigMap({ namespace }),
  });

  it("reconciles the keys of ConfigMaps listed, added, updated and deleted", async () => {
    const namespace = "informer-events";
    await hub.core.createNamespace({ body: { metadata: { name: namespace } } });
    await hub.core.createNamespacedConfigMap({ namespace, body: { metadata: { name: "early" } } });
    const { informer, waitForKey } = await informedController<V1ConfigMap>({
      name: "configmaps",
      ...configMaps(namespace),
    });
    expect(informer.hasSynced()).toBe(true);
    await waitForKey(`${namespace}/early`);

    const web = { metadata: { name: "web" }, data: { v: "1" } };
    await hub.core.createNamespacedConfigMap({ namespace, body: web });
    await waitForKey(`${namespace}/web`, (c) => dataOf(c)?.v === "1");
    await hub.core.replaceNamespacedConfigMap({
      namespace,
      name: "web",
      body: { ...web, data: { v: "2" } },
    });
    await waitForKey(`${namespace}/web`, (c) => dataOf(c)?.v === "2");
    await hub.core.deleteNamespacedConfigMap({ namespace, name: "web" });
    await waitForKey(`${namespace}/web`, (c) => c === undefined);
    expect(informer.get(`${namespace}/early`)?.metadata?.name).toBe("early");
    expect(informer.stats().failures).toBe(0);
  });

  it("keeps delivering after the server ends its watch", async () => {
    const namespace = "informer-renewal";
    await hub.core.createNamespace({ body: { metadata: { name: namespace } } });
    const { informer, waitForKey } = await informedController<V1ConfigMap>({
      name: "renewal",
      ...configMaps(namespace),
      watchTimeoutSeconds: 1,
    });
    await waitFor(
      "two server-side watch ends",
      () => Promise.resolve(informer.stats().connects >= 3 ? true : undefined),
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    await hub.core.createNamespacedConfigMap({ namespace, body: { metadata: { name: "late" } } });
    await waitForKey(`${namespace}/late`);
    expect(informer.stats().failures).toBe(0);
  });

  it("restarts after its watch fails and delivers events again", async () => {
    await installCrds({ kubeconfig: hub.kubeconfig, crds: [widgetCrd] });
    const widgets = { group: "test.flotilla.dev", version: "v1", plural: "widgets" };
    const widget = (name: string) => ({
      body: { apiVersion: "test.flotilla.dev/v1", kind: "Widget", metadata: { name } },
    });
    const { informer, waitForKey } = await informedController<KubernetesObject>({
      name: "widgets",
      path: "/apis/test.flotilla.dev/v1/widgets",
      list: async () =>
        (await hub.custom.listClusterCustomObject(
          widgets,
        )) as KubernetesListObject<KubernetesObject>,
    });
    await hub.custom.createClusterCustomObject({ ...widgets, ...widget("before") });
    await waitForKey("before", (c) => c !== undefined);

    // Deleting the CRD ends the watch; watching and listing again fail with 404 meanwhile.
    await hub.crds.deleteCustomResourceDefinition({ name: widgetCrd.metadata?.name ?? "" });
    await waitFor(
      "the widget watch to fail twice",
      () => Promise.resolve(informer.stats().failures >= 2 ? true : undefined),
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    await waitFor(
      "the widget CRD to be gone",
      () =>
        installCrds({ kubeconfig: hub.kubeconfig, crds: [widgetCrd] }).then(([r]) =>
          r?.action === "created" ? true : undefined,
        ),
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    await hub.custom.createClusterCustomObject({ ...widgets, ...widget("after") });
    await waitForKey("after", (c) => c !== undefined);
    expect(informer.get("before")).toBeUndefined();
  });
});
