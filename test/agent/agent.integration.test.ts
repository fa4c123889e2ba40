/**
 * The agent end to end on a real fleet (hub `local`, `edge-1` with pools `beijing` and
 * `shanghai`): it renews its Lease, writes a ClusterReport with the member's version, nodes,
 * resources and pools, publishes a pool going NotReady only after the health threshold,
 * ignores a shorter flap (its readiness never reaches the hub; the nodes it takes from kwok
 * count as real meanwhile), does not rewrite an unchanged report, cannot touch another
 * cluster's objects with its credential, reports the member's API server going down while it
 * keeps renewing, and stops cleanly on SIGTERM. Tests run in order (the member's API server
 * is stopped in the second to last).
 */
import {
  ApiException,
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from "@kubernetes/client-node";
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withoutObservedTime } from "../../agent/diff.js";
import { AGENT_NAMESPACE, agentName, CLUSTER_REPORT } from "../../core/cluster/agent-contract.js";
import { provisionAgentAccess } from "../../core/install/agent-access.js";
import { startFleetAgent, type FleetAgent } from "../../fleet/agent.js";
import type { Fleet } from "../../fleet/fleet.js";
import { stopPids } from "../../fleet/processes.js";
import { fleetVersions } from "../../fleet/versions.js";
import {
  EDGE,
  hubKc,
  memberKc,
  pool,
  readLease,
  readReport,
  readyOf,
  reportsDuring,
  reportWhere,
  setKwokManaged,
  setReady,
  sleep,
  startAgentFleet,
} from "../support/agent-world.js";

const THRESHOLD_MS = 4_000;
const REPORT_MS = 2_000;
const beijing = [`${EDGE}-beijing-0`, `${EDGE}-beijing-1`];

let fleet: Fleet;
let agent: FleetAgent;

beforeAll(async () => {
  fleet = await startAgentFleet();
  agent = await startFleetAgent({
    fleet,
    cluster: EDGE,
    args: [
      ...["--heartbeat-interval", "1s", "--lease-duration", "5s"],
      ...["--report-interval", `${REPORT_MS}ms`, "--health-threshold", `${THRESHOLD_MS}ms`],
    ],
  });
}, 300_000);

afterAll(async () => {
  await agent?.stop();
  await fleet?.stop();
});

describe("the agent", () => {
  it("renews its Lease on the hub every heartbeat", async () => {
    const first = await readLease(fleet);
    expect(first.spec?.holderIdentity).toBe(`flotilla-agent/${EDGE}`);
    expect(first.spec?.leaseDurationSeconds).toBe(5);
    await sleep(2_500);
    const second = await readLease(fleet);
    const time = (l: typeof first) => new Date(String(l.spec?.renewTime)).getTime();
    expect(time(second) - time(first)).toBeGreaterThanOrEqual(1_000);
  });

  it("reports the member's version, nodes, resources and node pools", async () => {
    const core = memberKc(fleet).makeApiClient(CoreV1Api);
    await core.createNamespacedPod({
      namespace: "default",
      body: {
        metadata: { name: "requests" },
        spec: {
          nodeName: `${EDGE}-node-0`,
          containers: [
            { name: "c", image: "nginx", resources: { requests: { cpu: "250m", memory: "64Mi" } } },
          ],
        },
      },
    });
    const report = await reportWhere(
      fleet,
      "a report with the pod's requests",
      (r) => r.resources.requested.cpu === "250m",
    );
    expect(report).toMatchObject({
      kubernetesVersion: `v${fleetVersions.kubernetes}`,
      apiReady: true,
      nodes: { total: 4, ready: 4, notReady: 0, kwok: 4 },
      resources: {
        allocatable: { cpu: "64", memory: "256Gi" },
        requested: { cpu: "250m", memory: "64Mi" },
      },
    });
    expect(Date.parse(report.observedTime)).toBeGreaterThan(Date.now() - 60_000);
    expect(report.nodePools.map((p) => p.name)).toEqual(["beijing", "shanghai"]);
    expect(pool(report, "beijing")).toEqual({
      name: "beijing",
      type: "Edge",
      readyNodes: 2,
      notReadyNodes: 0,
      labels: {},
      taints: [{ key: "apps.openyurt.io/example", value: "beijing", effect: "NoSchedule" }],
    });
    expect(pool(report, "shanghai")).toMatchObject({ readyNodes: 1, notReadyNodes: 0 });
  });

  it("does not rewrite a report that did not change", async () => {
    const before = await readReport(fleet);
    await sleep(3 * REPORT_MS + 500);
    const after = await readReport(fleet);
    expect(after.resourceVersion).toBe(before.resourceVersion);
    expect(after.report).toEqual(before.report);
  });

  it("ignores a pool flapping for less than the threshold", async () => {
    const before = await readReport(fleet);
    const seen = await reportsDuring(fleet, async () => {
      await setKwokManaged(fleet, beijing, false);
      await setReady(fleet, beijing, false);
      expect(await readyOf(fleet, beijing[0] as string)).toBe("False");
      await sleep(1_000);
      await setReady(fleet, beijing, true);
      await setKwokManaged(fleet, beijing, true);
      await sleep(THRESHOLD_MS + REPORT_MS);
    });
    // Taking the nodes from kwok makes them real nodes for a while, which the report may show
    // at once (nodes.kwok); their readiness must never reach it.
    for (const { report } of seen)
      expect(pool(report!, "beijing")).toMatchObject({ readyNodes: 2, notReadyNodes: 0 });
    const after = await readReport(fleet);
    expect(withoutObservedTime(after.report)).toEqual(withoutObservedTime(before.report));
  });

  it("reports a pool whose nodes all went NotReady, after the threshold", async () => {
    await setKwokManaged(fleet, beijing, false);
    const since = Date.now();
    await setReady(fleet, beijing, false);
    await sleep(THRESHOLD_MS / 2);
    expect(await readyOf(fleet, beijing[1] as string)).toBe("False");
    expect(pool((await readReport(fleet)).report!, "beijing")).toMatchObject({ readyNodes: 2 });
    const report = await reportWhere(
      fleet,
      "beijing NotReady",
      (r) => pool(r, "beijing")?.readyNodes === 0,
    );
    expect(Date.now() - since).toBeGreaterThanOrEqual(THRESHOLD_MS);
    expect(pool(report, "beijing")).toMatchObject({ readyNodes: 0, notReadyNodes: 2 });
    expect(pool(report, "shanghai")).toMatchObject({ readyNodes: 1, notReadyNodes: 0 });
    // beijing's nodes lost the kwok annotation: they count as real now
    expect(report.nodes).toEqual({ total: 4, ready: 2, notReady: 2, kwok: 2 });
    // kwok takes the nodes back and makes them Ready; the agent reports that after the threshold
    await setKwokManaged(fleet, beijing, true);
    await reportWhere(fleet, "beijing Ready again", (r) => pool(r, "beijing")?.readyNodes === 2);
  });

  it("cannot touch another cluster's Lease or report with its credential", async () => {
    await provisionAgentAccess({ hub: hubKc(fleet), cluster: "member-9" });
    const kc = new KubeConfig();
    kc.loadFromString(await readFile(agent.hubKubeconfigFile, "utf8"));
    const leases = kc.makeApiClient(CoordinationV1Api);
    const reports = kc.makeApiClient(CustomObjectsApi);
    const status = (p: Promise<unknown>) =>
      p.then(
        () => 200,
        (e: unknown) => (e instanceof ApiException ? e.code : -1),
      );
    const merge = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);
    const other = { name: agentName("member-9"), namespace: AGENT_NAMESPACE };
    const body = { spec: { renewTime: new Date().toISOString() } };
    expect(
      await status(
        leases.readNamespacedLease({ name: agentName(EDGE), namespace: AGENT_NAMESPACE }),
      ),
    ).toBe(200);
    expect(await status(leases.readNamespacedLease(other))).toBe(403);
    expect(await status(leases.patchNamespacedLease({ ...other, body }, merge))).toBe(403);
    expect(await status(leases.listNamespacedLease({ namespace: AGENT_NAMESPACE }))).toBe(403);
    expect(
      await status(
        leases.deleteNamespacedLease({ name: agentName(EDGE), namespace: AGENT_NAMESPACE }),
      ),
    ).toBe(403);
    const where = { ...CLUSTER_REPORT, namespace: AGENT_NAMESPACE };
    expect(await status(reports.getNamespacedCustomObject({ ...where, name: EDGE }))).toBe(200);
    expect(await status(reports.getNamespacedCustomObject({ ...where, name: "member-9" }))).toBe(
      403,
    );
    const report = { status: { report: { apiReady: false } } };
    expect(
      await status(
        reports.patchNamespacedCustomObjectStatus(
          { ...where, name: "member-9", body: report },
          merge,
        ),
      ),
    ).toBe(403);
  });

  it("publishes an unready member API after the threshold and keeps its heartbeat", async () => {
    const apiserver = fleet.cluster(EDGE).processes.find((p) => p.name.endsWith("kube-apiserver"));
    const renewed = new Date(String((await readLease(fleet)).spec?.renewTime)).getTime();
    // /readyz fails from the SIGTERM on, while the API server shuts down
    const since = Date.now();
    const stopping = stopPids([apiserver!.pid]);
    await sleep(THRESHOLD_MS / 2);
    expect((await readReport(fleet)).report?.apiReady).toBe(true);
    await stopping;
    const report = await reportWhere(fleet, "apiReady false", (r) => !r.apiReady);
    expect(Date.now() - since).toBeGreaterThanOrEqual(THRESHOLD_MS);
    // what was last seen of nodes and pools stays, next to the unready API
    expect(report.nodes.total).toBe(4);
    expect(report.nodePools.map((p) => p.name)).toEqual(["beijing", "shanghai"]);
    const lease = await readLease(fleet);
    expect(new Date(String(lease.spec?.renewTime)).getTime()).toBeGreaterThan(renewed);
  });

  it("stops cleanly on SIGTERM and stops renewing", async () => {
    await stopPids([agent.process.pid]);
    expect(await agent.process.exited).toBe("exit code 0");
    const last = (await readLease(fleet)).spec?.renewTime;
    await sleep(2_000);
    expect((await readLease(fleet)).spec?.renewTime).toEqual(last);
  });
});
