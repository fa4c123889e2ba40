/**
 * Growing the member: `count` more kwok nodes on `edge-1`, spread evenly over its OpenYurt
 * pools (label `apps.openyurt.io/nodepool`, the pools' taints), created in batches of
 * concurrent requests; then waiting until the agent's ClusterReport on the hub counts all of
 * them Ready (kwok makes them Ready; the agent holds each flip for its 10 s threshold). The
 * agent's RSS and CPU are watched on the way.
 */
import { CoreV1Api, type V1Node } from "@kubernetes/client-node";
import { EDGE, memberKc, readReport } from "../../test/support/agent-world.js";
import type { ClusterSpec } from "../../fleet/config.js";
import { clusterNodes } from "../../fleet/nodes.js";
import { fleetVersions } from "../../fleet/versions.js";
import { waitFor } from "../../fleet/wait.js";
import { cpuMs, round, rssSampler } from "../hub-scale/probe.js";
import type { AgentProcess, AgentWorld } from "./world.js";
import { log } from "./world.js";

const BATCH = 50;

/** The added nodes' spec: `count` nodes named `bench-<pool>-<i>`, split over `pools` — pure. */
export function addedNodesSpec(pools: ClusterSpec["pools"], count: number): ClusterSpec {
  const share = (i: number): number =>
    Math.floor(count / pools.length) + (i < count % pools.length ? 1 : 0);
  return {
    name: "bench",
    hub: false,
    realNodes: 0,
    nodes: pools.length === 0 ? count : 0,
    pools: pools.map((pool, i) => ({ ...pool, nodes: share(i) })),
  };
}

export interface IngestResult {
  readonly added_nodes: number;
  readonly total_nodes: number;
  readonly create_s: number;
  /** From the first create until the report counts every node Ready. */
  readonly reported_s: number;
  readonly rss_mib_max: number;
  readonly cpu_pct: number;
  readonly pools: Array<{ name: string; readyNodes: number; notReadyNodes: number }>;
}

async function createNodes(world: AgentWorld, nodes: readonly V1Node[]): Promise<void> {
  const core = memberKc(world.fleet).makeApiClient(CoreV1Api);
  for (let i = 0; i < nodes.length; i += BATCH) {
    await Promise.all(nodes.slice(i, i + BATCH).map((body) => core.createNode({ body })));
  }
}

/** Adds the nodes and waits for the report; `agent` is the running agent process. */
export async function addNodes(
  world: AgentWorld,
  agent: AgentProcess,
  count: number,
): Promise<IngestResult> {
  const spec = world.fleet.cluster(EDGE).spec;
  const before = (await readReport(world.fleet)).report?.nodes.total ?? 0;
  const nodes = clusterNodes(addedNodesSpec(spec.pools, count), fleetVersions.kubernetes);
  const total = before + nodes.length;
  const rss = rssSampler(agent.pid);
  const [start, cpuStart] = [performance.now(), cpuMs(agent.pid)];
  await createNodes(world, nodes);
  const createS = (performance.now() - start) / 1000;
  log(`${nodes.length} nodes created in ${round(createS, 1)} s; waiting for the report`);
  const report = await waitFor(
    `the ClusterReport to count ${total} Ready nodes`,
    async () => {
      const { report: r } = await readReport(world.fleet);
      return r?.nodes.total === total && r.nodes.ready === total ? r : undefined;
    },
    { timeoutMs: 600_000, intervalMs: 500, processes: [agent.process] },
  );
  const seconds = (performance.now() - start) / 1000;
  return {
    added_nodes: nodes.length,
    total_nodes: total,
    create_s: round(createS, 1),
    reported_s: round(seconds, 1),
    rss_mib_max: round(rss.stop(), 1),
    cpu_pct: round((100 * (cpuMs(agent.pid) - cpuStart)) / 1000 / seconds),
    pools: report.nodePools.map(({ name, readyNodes, notReadyNodes }) => ({
      name,
      readyNodes,
      notReadyNodes,
    })),
  };
}
