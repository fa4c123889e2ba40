/**
 * The hub controller end to end on a real fleet: Applications applied to the hub are rendered,
 * placed by topology, override and replication policies, delivered through the gateway,
 * kept there, reported in their status, and removed. Tests run in order and share the world;
 * member-2 joins the hub during the first test, and its API server is stopped in the last.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JsonObject } from "../../core/json.js";
import { startHub } from "../../hub/start.js";
import {
  applyApp,
  deleteApp,
  deployment,
  driftImage,
  eventually,
  imageOf,
  join,
  labels,
  phase,
  readApp,
  reconciledAll,
  setClusterLabels,
  setUpHubWorld,
  startTestHub,
  STATE_KEEP_MS,
  type AppView,
  type HubWorld,
} from "../support/hub-world.js";

let world: HubWorld;
const NS = "default";

beforeAll(async () => {
  world = await setUpHubWorld();
  await join(world, "member-1");
}, 300_000);

afterAll(async () => {
  await world?.stop();
});

const webApp = (name: string, policies: JsonObject[], workflow?: JsonObject): JsonObject => ({
  apiVersion: "core.oam.dev/v1beta1",
  kind: "Application",
  metadata: { name, namespace: NS },
  spec: {
    components: [
      {
        name,
        type: "webservice",
        properties: { image: "nginx:1.27", ports: [{ port: 80, expose: true }] },
      },
    ],
    policies,
    ...(workflow === undefined ? {} : { workflow }),
  },
});

const topology = (name: string, properties: JsonObject): JsonObject => ({
  name,
  type: "topology",
  properties,
});

const replicaDefinition: JsonObject = {
  apiVersion: "core.oam.dev/v1beta1",
  kind: "ComponentDefinition",
  metadata: { name: "replica-deployment", namespace: "vela-system" },
  spec: {
    workload: { definition: { apiVersion: "apps/v1", kind: "Deployment" } },
    schematic: {
      cue: {
        template: `
_name: "\\(context.name)-\\(context.replicaKey)"
output: {
  apiVersion: "apps/v1"
  kind: "Deployment"
  metadata: name: _name
  spec: {
    selector: matchLabels: app: _name
    template: {
      metadata: labels: app: _name
      spec: containers: [{name: "main", image: parameter.image}]
    }
  }
}
parameter: image: string
`,
      },
    },
  },
};

const present = (cluster: string, name: string) => () =>
  world.direct(cluster).read(deployment(NS, name));

const absent = (cluster: string, name: string) => async () =>
  (await world.direct(cluster).read(deployment(NS, name))) === undefined ? true : undefined;

describe("hub controller", () => {
  it("follows placement: a cluster joined later receives the app, unlabelling removes it", async () => {
    const app = webApp("late", [
      topology("prod", { clusterLabelSelector: { env: "prod" }, allowEmpty: true }),
    ]);
    await applyApp(world, app);
    const empty = await phase(world, NS, "late", "running");
    expect(empty.status?.services).toEqual([]);

    await join(world, "member-2");
    await eventually("late on member-2", present("member-2", "late"));
    await phase(world, NS, "late", "running");
    expect(await world.direct("member-1").read(deployment(NS, "late"))).toBeUndefined();

    await setClusterLabels(world, "member-2", { region: "shanghai" });
    await eventually("late gone from member-2", absent("member-2", "late"));
    await setClusterLabels(world, "member-2", { ...labels["member-2"] });
    await eventually("late back on member-2", present("member-2", "late"));
    await deleteApp(world, NS, "late");
    await eventually("late deleted", absent("member-2", "late"));
  });

  it("delivers by matchExpressions to both members, with an override on one only", async () => {
    const app = webApp(
      "web",
      [
        topology("both", {
          clusterSelector: {
            matchExpressions: [{ key: "region", operator: "In", values: ["beijing", "shanghai"] }],
          },
        }),
        topology("m2", { clusters: ["member-2"] }),
        topology("m1", { clusters: ["member-1"] }),
        {
          name: "newer-image",
          type: "override",
          properties: { components: [{ name: "web", properties: { image: "nginx:1.28" } }] },
        },
      ],
      {
        steps: [
          { name: "m1", type: "deploy", properties: { policies: ["m1"] } },
          { name: "m2", type: "deploy", properties: { policies: ["m2", "newer-image"] } },
        ],
      },
    );
    await applyApp(world, app);
    const running = await phase(world, NS, "web", "running");
    const services = running.status?.services ?? [];
    expect(services.map((s) => [s.cluster, s.name, s.healthy]).sort()).toEqual([
      ["member-1", "web", true],
      ["member-2", "web", true],
    ]);
    expect(imageOf(await world.direct("member-1").read(deployment(NS, "web")))).toBe("nginx:1.27");
    expect(imageOf(await world.direct("member-2").read(deployment(NS, "web")))).toBe("nginx:1.28");
    const kinds = running.status?.appliedResources.map((r) => `${r.cluster}/${r.kind}`).sort();
    expect(kinds).toEqual([
      "member-1/Deployment",
      "member-1/Service",
      "member-2/Deployment",
      "member-2/Service",
    ]);
  });

  it("exports the delivered app, its clusters, dispatch and workflow on /metrics", async () => {
    const app = 'app_name="web",namespace="default"';
    // The gauges read the informer cache, which may lag the status read above by a moment.
    const text = await eventually("web running on /metrics", async () => {
      const scraped = await world.hub.metrics.metrics();
      return scraped.includes(`kubevela_application_phase{${app}} 1`) ? scraped : undefined;
    });
    expect(text).toContain(`kubevela_application_health_status{${app}} 1`);
    expect(text).toContain(`kubevela_application_workflow_phase{${app}} 1`);
    expect(text).toMatch(
      /workflow_step_phase_number\{step_type="deploy",phase="succeeded"\} [2-9]/,
    );
    expect(text).toContain('cluster_isconnected{cluster="local"} 1');
    expect(text).toMatch(/cluster_isconnected\{cluster="member-1"\} [01]/);
    expect(text).toMatch(/flotilla_cluster_health_state\{cluster="member-2",state="\w+"\} 1/);
    for (const cluster of ["member-1", "member-2"])
      expect(text).toMatch(
        new RegExp(
          `flotilla_dispatch_duration_seconds_count\\{cluster="${cluster}",operation="apply",result="success"\\} [1-9]`,
        ),
      );
    expect(text).toMatch(
      /flotilla_workflow_step_duration_seconds_count\{step_type="deploy",phase="succeeded"\} [1-9]/,
    );
    expect(text).toMatch(/workflow_finished_time_seconds_count\{phase="succeeded"\} [1-9]/);
    expect(text).toMatch(/\nprocess_resident_memory_bytes \d+/);
    expect(text).toMatch(/\nflotilla_build_info\{version="[^"]+"\} 1/);
  });

  it("corrects drift made directly on a member", async () => {
    const member = world.direct("member-1");
    await driftImage(
      member,
      (await member.read(deployment(NS, "web"))) as JsonObject,
      "busybox:drift",
    );
    expect(imageOf(await member.read(deployment(NS, "web")))).toBe("busybox:drift");
    await eventually(`drift corrected within ${STATE_KEEP_MS} ms and a sweep`, async () =>
      imageOf(await member.read(deployment(NS, "web"))) === "nginx:1.27" ? true : undefined,
    );
  });

  it("makes one copy per replication key", async () => {
    // A definition stored on the hub (vela-system), naming each copy by its replica key.
    await world.direct("local").apply(replicaDefinition, { fieldManager: "test", force: true });
    const app: JsonObject = {
      apiVersion: "core.oam.dev/v1beta1",
      kind: "Application",
      metadata: { name: "copies", namespace: NS },
      spec: {
        components: [
          { name: "copies", type: "replica-deployment", properties: { image: "nginx:1.27" } },
        ],
        policies: [
          topology("m1", { clusters: ["member-1"] }),
          {
            name: "two",
            type: "replication",
            properties: { keys: ["a", "b"], selector: ["copies"] },
          },
        ],
      },
    };
    await applyApp(world, app);
    const running = await phase(world, NS, "copies", "running");
    const keys = (running.status?.services ?? []).map((s) => s.replicaKey).sort();
    expect(keys).toEqual(["a", "b"]);
    for (const name of ["copies-a", "copies-b"]) {
      const live = await world.direct("member-1").read(deployment(NS, name));
      expect(imageOf(live)).toBe("nginx:1.27");
    }
  });

  it("resumes after a restart from the tracker, without applying everything again", async () => {
    const member = world.direct("member-2");
    const before = (await member.read(deployment(NS, "web"))) as JsonObject;
    await world.hub.stop();
    // Drift made while the hub is down. A resumed hub knows from the tracker's digests that
    // member-2 holds this render, so it leaves the drift to its next state-keep pass.
    await driftImage(member, before, "busybox:restart");
    world.hub = await startHub({ hub: world.hubKc, stateKeepIntervalMs: 600_000, workers: 2 });
    await eventually("every application reconciled after the restart", async () =>
      (await reconciledAll(world)) ? true : undefined,
    );
    await phase(world, NS, "web", "running");
    expect(imageOf(await member.read(deployment(NS, "web")))).toBe("busybox:restart");
    // With the short state-keep period the drift is corrected: resumed clusters stay kept.
    await world.hub.stop();
    world.hub = await startTestHub(world.hubKc);
    await eventually(`drift corrected within ${STATE_KEEP_MS} ms after the restart`, async () =>
      imageOf(await member.read(deployment(NS, "web"))) === "nginx:1.28" ? true : undefined,
    );
  });

  it("deletes everything from every cluster when the app is deleted", async () => {
    await deleteApp(world, NS, "copies");
    await eventually("copies gone", async () =>
      (await readApp(world, NS, "copies")) === undefined ? true : undefined,
    );
    for (const name of ["copies-a", "copies-b", "copies"]) {
      expect(await world.direct("member-1").read(deployment(NS, name))).toBeUndefined();
    }
    // The deleted app's series are gone (computed from the informer cache at each scrape).
    await eventually("copies gone from /metrics", async () =>
      (await world.hub.metrics.metrics()).includes('app_name="copies"') ? undefined : true,
    );
  });

  it("keeps delivering to member-1 while member-2's API server is down, and says so", async () => {
    await world.fleet.cluster("member-2").stop();
    const app = webApp("web", [topology("both", { clusterLabelSelector: {} })]);
    (
      app.spec as { components: Array<{ properties: JsonObject }> }
    ).components[0]!.properties.image = "nginx:1.29";
    await applyApp(world, app);
    const healthyOn = (view: AppView, cluster: string): boolean | undefined =>
      view.status?.services.find((s) => s.cluster === cluster)?.healthy;
    const view = await eventually("member-2 failure reported", async () => {
      const current = await readApp(world, NS, "web");
      if (current === undefined) return;
      if (current.status?.observedGeneration !== current.metadata.generation) return;
      // member-1 rolls out the new image first: wait for it to be healthy again.
      const reported = healthyOn(current, "member-2") === false;
      return reported && healthyOn(current, "member-1") === true ? current : undefined;
    });
    expect(view.status?.status).toBe("runningWorkflow");
    const m1 = view.status?.services.find((s) => s.cluster === "member-1" && s.name === "web");
    expect(m1?.healthy).toBe(true);
    const dispatched = view.status?.conditions.find((c) => c.type === "Dispatched");
    expect(dispatched?.status).toBe("False");
    expect(dispatched?.message).toMatch(/member-2/);
    expect(imageOf(await world.direct("member-1").read(deployment(NS, "web")))).toBe("nginx:1.29");
  });
});
