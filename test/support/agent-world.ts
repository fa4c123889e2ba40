/**
 * The agent's test world: a small fleet (hub `local`; `edge-1` with one plain node and the
 * OpenYurt pools `beijing` (2 nodes) and `shanghai` (1 node)), and helpers to read the
 * ClusterReport and the Lease on the hub and to make kwok nodes NotReady.
 *
 * kwok re-initialises any node it manages whose Ready condition is not True, so a test first
 * takes a node out of kwok's hands (removes the `kwok.x-k8s.io/node` annotation), then writes
 * its Ready condition; giving the annotation back lets kwok make it Ready again.
 */
import {
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
} from "@kubernetes/client-node";
import {
  AGENT_NAMESPACE,
  agentName,
  CLUSTER_REPORT,
  type ClusterReport,
} from "../../core/cluster/agent-contract.js";
import { ensureBinaries } from "../../fleet/build/binaries.js";
import { startFleet, type Fleet } from "../../fleet/fleet.js";
import { hubOf, kubeConfigOf } from "../../fleet/gateway.js";
import { kwokNodeAnnotation } from "../../fleet/nodes.js";
import { waitFor } from "../../fleet/wait.js";

export const EDGE = "edge-1";

export async function startAgentFleet(): Promise<Fleet> {
  return startFleet({
    binaries: await ensureBinaries(),
    clusters: [
      { name: "local", hub: true, nodes: 1, pools: [] },
      {
        name: EDGE,
        hub: false,
        nodes: 1,
        pools: [
          { name: "beijing", nodes: 2 },
          { name: "shanghai", nodes: 1 },
        ],
      },
    ],
  });
}

export const hubKc = (fleet: Fleet): KubeConfig => kubeConfigOf(hubOf(fleet));
export const memberKc = (fleet: Fleet): KubeConfig => kubeConfigOf(fleet.cluster(EDGE));

export interface ReportView {
  readonly report?: ClusterReport;
  readonly resourceVersion: string;
  readonly conditions?: unknown[];
}

export async function readReport(fleet: Fleet, cluster = EDGE): Promise<ReportView> {
  const object = (await hubKc(fleet)
    .makeApiClient(CustomObjectsApi)
    .getNamespacedCustomObject({
      ...CLUSTER_REPORT,
      namespace: AGENT_NAMESPACE,
      name: cluster,
    })) as {
    metadata: { resourceVersion: string };
    status?: { report?: ClusterReport; conditions?: unknown[] };
  };
  return {
    resourceVersion: object.metadata.resourceVersion,
    ...(object.status?.report === undefined ? {} : { report: object.status.report }),
    ...(object.status?.conditions === undefined ? {} : { conditions: object.status.conditions }),
  };
}

/** Waits until the report satisfies `check`; returns it. */
export function reportWhere(
  fleet: Fleet,
  what: string,
  check: (report: ClusterReport) => boolean,
  timeoutMs = 30_000,
): Promise<ClusterReport> {
  return waitFor(
    what,
    async () => {
      const { report } = await readReport(fleet);
      return report !== undefined && check(report) ? report : undefined;
    },
    { timeoutMs, intervalMs: 200 },
  );
}

/** Every version of the report seen (read every 100 ms) while `action` runs, the first included. */
export async function reportsDuring(
  fleet: Fleet,
  action: () => Promise<void>,
): Promise<ReportView[]> {
  const seen = new Map<string, ReportView>();
  let done = false;
  const poll = (async () => {
    while (!done) {
      const view = await readReport(fleet);
      seen.set(view.resourceVersion, view);
      await sleep(100);
    }
  })();
  try {
    await action();
  } finally {
    done = true;
    await poll;
  }
  return [...seen.values()];
}

export const pool = (report: ClusterReport, name: string) =>
  report.nodePools.find((p) => p.name === name);

export async function readLease(fleet: Fleet, cluster = EDGE) {
  return hubKc(fleet)
    .makeApiClient(CoordinationV1Api)
    .readNamespacedLease({ name: agentName(cluster), namespace: AGENT_NAMESPACE });
}

const merge = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);
const strategic = setHeaderOptions("Content-Type", PatchStrategy.StrategicMergePatch);

/** Hands nodes to kwok or takes them away (kwok manages only annotated nodes). */
export async function setKwokManaged(fleet: Fleet, nodes: string[], managed: boolean) {
  const core = memberKc(fleet).makeApiClient(CoreV1Api);
  const body = { metadata: { annotations: { [kwokNodeAnnotation]: managed ? "fake" : null } } };
  for (const name of nodes) await core.patchNode({ name, body }, merge);
}

/** Writes the Ready condition of nodes kwok does not manage. */
export async function setReady(fleet: Fleet, nodes: string[], ready: boolean) {
  const core = memberKc(fleet).makeApiClient(CoreV1Api);
  const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const condition = {
    type: "Ready",
    status: ready ? "True" : "False",
    reason: ready ? "KubeletReady" : "FlotillaTestNotReady",
    message: "set by the agent integration test",
    lastHeartbeatTime: now,
    lastTransitionTime: now,
  };
  const body = { status: { conditions: [condition] } };
  for (const name of nodes) await core.patchNodeStatus({ name, body }, strategic);
}

/** The Ready status of a member node. */
export async function readyOf(fleet: Fleet, name: string): Promise<string | undefined> {
  const node = await memberKc(fleet).makeApiClient(CoreV1Api).readNode({ name });
  return node.status?.conditions?.find((c) => c.type === "Ready")?.status;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
