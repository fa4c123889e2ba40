/**
 * Helpers for the controller-runtime scenario against a real hub: clients for a fleet
 * cluster, the seed manifests (KubeVela Applications and definitions users bring), a
 * throw-away CRD, and a recorder of reconciled keys.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import {
  ApiextensionsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  type V1CustomResourceDefinition,
} from "@kubernetes/client-node";
import { parseAllDocuments } from "yaml";
import type { Reconciler } from "../../core/controller/controller.js";
import type { FleetCluster } from "../../fleet/fleet.js";
import { waitFor } from "../../fleet/wait.js";

export interface HubClients {
  readonly kubeconfig: KubeConfig;
  readonly core: CoreV1Api;
  readonly custom: CustomObjectsApi;
  readonly crds: ApiextensionsV1Api;
}

export function clientsFor(cluster: FleetCluster): HubClients {
  const kubeconfig = new KubeConfig();
  kubeconfig.loadFromFile(cluster.kubeconfigFile);
  return {
    kubeconfig,
    core: kubeconfig.makeApiClient(CoreV1Api),
    custom: kubeconfig.makeApiClient(CustomObjectsApi),
    crds: kubeconfig.makeApiClient(ApiextensionsV1Api),
  };
}

export interface SeedObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  spec: Record<string, unknown>;
}

const seedsDir = path.join(import.meta.dirname, "..", "fixtures", "seeds");

/** Every `core.oam.dev/v1beta1` object in these seed files (relative to the seeds folder). */
export async function v1beta1Seeds(files: readonly string[]): Promise<SeedObject[]> {
  const texts = await Promise.all(files.map((f) => readFile(path.join(seedsDir, f), "utf8")));
  return texts
    .flatMap((text) => parseAllDocuments(text).map((doc) => doc.toJS() as SeedObject | null))
    .filter((o): o is SeedObject => o?.apiVersion === "core.oam.dev/v1beta1");
}

/** The plural of an OAM kind (`Application` → `applications`). */
export const pluralOf = (kind: string): string => `${kind.toLowerCase()}s`;

/** A cluster-scoped CRD `widgets.test.flotilla.dev` for tests that delete it again. */
export const widgetCrd: V1CustomResourceDefinition = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "widgets.test.flotilla.dev" },
  spec: {
    group: "test.flotilla.dev",
    scope: "Cluster",
    names: { kind: "Widget", plural: "widgets", singular: "widget", listKind: "WidgetList" },
    versions: [
      {
        name: "v1",
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: "object", x_kubernetes_preserve_unknown_fields: true } },
      },
    ],
  },
};

export interface Reconciled {
  readonly key: string;
  /** What the informer's cache held for the key when it was reconciled. */
  readonly cached: unknown;
}

/** A reconciler that records each key with the cached object, and a way to wait for one. */
export function recordingReconciler(read: (key: string) => unknown): {
  reconcile: Reconciler;
  seen: Reconciled[];
  waitForKey: (key: string, match?: (cached: unknown) => boolean) => Promise<Reconciled>;
} {
  const seen: Reconciled[] = [];
  return {
    seen,
    reconcile: (key) => {
      seen.push({ key, cached: read(key) });
      return Promise.resolve({});
    },
    waitForKey: (key, match = () => true) =>
      waitFor(
        `a reconcile of ${key}`,
        () => Promise.resolve(seen.find((r) => r.key === key && match(r.cached))),
        { timeoutMs: 30_000, intervalMs: 50 },
      ),
  };
}
