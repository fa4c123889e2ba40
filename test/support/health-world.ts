/**
 * The cluster-health test world: a fleet with only the hub (the tracker never contacts
 * members: it reads what agents write on the hub), the chart's CRDs installed, clusters
 * registered as credential Secrets, and a stand-in for each agent that writes the heartbeat
 * Lease and the ClusterReport exactly as the contract says, with the admin client.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import {
  CoordinationV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
  type V1CustomResourceDefinition,
} from "@kubernetes/client-node";
import { clusterRegistry } from "../../core/cluster/registry.js";
import { microTime } from "../../core/controller/lease-record.js";
import { chartCrdsDir } from "../../core/assets.js";
import { installCrds } from "../../core/cluster/crds.js";
import {
  agentLeaseName,
  CLUSTER_REPORT,
  conditionsOf,
  HEALTH_NAMESPACE,
  type StatusCondition,
} from "../../hub/cluster-health/contract.js";
import { ensureBinaries } from "../../fleet/build/binaries.js";
import { startFleet, type Fleet } from "../../fleet/fleet.js";
import { hubOf, kubeConfigOf } from "../../fleet/gateway.js";

const mergePatch = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);
const { group, version, plural, kind } = CLUSTER_REPORT;
const namespace = HEALTH_NAMESPACE;

export interface HealthWorld {
  readonly fleet: Fleet;
  readonly hubKc: KubeConfig;
  stop(): Promise<void>;
}

/** The CRD if the agent's chart file is missing (it is normally installed from the chart). */
const fallbackCrd: V1CustomResourceDefinition = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: `${plural}.${group}` },
  spec: {
    group,
    scope: "Namespaced",
    names: { kind, plural, singular: "clusterreport", listKind: `${kind}List` },
    versions: [
      {
        name: version,
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: { type: "object", x_kubernetes_preserve_unknown_fields: true },
        },
      },
    ],
  },
};

export async function setUpHealthWorld(): Promise<HealthWorld> {
  const binaries = await ensureBinaries();
  const fleet = await startFleet({
    binaries,
    clusters: [{ name: "local", hub: true, nodes: 1, pools: [] }],
  });
  try {
    const hubKc = kubeConfigOf(hubOf(fleet));
    await installCrds({ kubeconfig: hubKc });
    if (!existsSync(path.join(chartCrdsDir(), `${group}_${plural}.yaml`))) {
      await installCrds({ kubeconfig: hubKc, crds: [fallbackCrd] });
    }
    return { fleet, hubKc, stop: () => fleet.stop() };
  } catch (error) {
    await fleet.stop();
    throw error;
  }
}

/** Registers `name` (its endpoint is never dialled by the health tracker). */
export async function register(world: HealthWorld, name: string): Promise<void> {
  await clusterRegistry({ hub: world.hubKc }).create({
    name,
    endpoint: "https://127.0.0.1:9",
    credential: { type: "ServiceAccountToken", token: "unused" },
    labels: {},
  });
}

/** What an agent writes as `status.report`. */
export const reportBody = (apiReady: boolean, pools: string[]): Record<string, unknown> => ({
  kubernetesVersion: "v1.36.3",
  apiReady,
  observedTime: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
  nodes: { total: 2, ready: 2, notReady: 0 },
  resources: {
    allocatable: { cpu: "8", memory: "16Gi" },
    requested: { cpu: "500m", memory: "1Gi" },
  },
  nodePools: pools.map((name) => ({
    name,
    type: "Edge",
    readyNodes: 1,
    notReadyNodes: 0,
    labels: {},
    taints: [],
  })),
});

/** A stand-in agent: the Lease and the ClusterReport, pre-created as provisioning does. */
export interface FakeAgent {
  renew(): Promise<void>;
  /** Renews now and then every `intervalMs` until `stopBeating()`. */
  beat(intervalMs: number): Promise<void>;
  /** Stops renewing; resolves with the time of the last renewal written. */
  stopBeating(): Promise<number>;
  report(body: Record<string, unknown>): Promise<void>;
  /** The conditions the hub wrote on the ClusterReport. */
  conditions(): Promise<StatusCondition[]>;
}

export async function fakeAgent(world: HealthWorld, cluster: string): Promise<FakeAgent> {
  const leases = world.hubKc.makeApiClient(CoordinationV1Api);
  const custom = world.hubKc.makeApiClient(CustomObjectsApi);
  const name = agentLeaseName(cluster);
  await leases.createNamespacedLease({ namespace, body: { metadata: { name, namespace } } });
  await custom.createNamespacedCustomObject({
    group,
    version,
    namespace,
    plural,
    body: { apiVersion: `${group}/${version}`, kind, metadata: { name: cluster, namespace } },
  });
  let timer: NodeJS.Timeout | undefined;
  let last = 0;
  const agent: FakeAgent = {
    async renew() {
      const now = Date.now();
      const spec = { holderIdentity: `flotilla-agent/${cluster}`, renewTime: microTime(now) };
      await leases.patchNamespacedLease({ namespace, name, body: { spec } }, mergePatch);
      last = now;
    },
    async beat(intervalMs) {
      await agent.renew();
      timer = setInterval(() => void agent.renew().catch(() => undefined), intervalMs);
    },
    async stopBeating() {
      clearInterval(timer);
      // A renewal already in flight lands within a moment; let it, then report the last one.
      await new Promise((resolve) => setTimeout(resolve, 200));
      return last;
    },
    async report(body) {
      const patch = { group, version, namespace, plural, name: cluster };
      await custom.patchNamespacedCustomObjectStatus(
        { ...patch, body: { status: { report: body } } },
        mergePatch,
      );
    },
    async conditions() {
      const obj: unknown = await custom.getNamespacedCustomObject({
        group,
        version,
        namespace,
        plural,
        name: cluster,
      });
      return conditionsOf(obj as Parameters<typeof conditionsOf>[0]);
    },
  };
  return agent;
}
