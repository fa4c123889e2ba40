/**
 * Workflows run by the hub on a real fleet (hub, gateway, member-1, member-2): deploy steps in
 * order with a suspend between them (nothing after the suspend is delivered before resume),
 * data passing from an HTTP request's answer to a webhook through outputs and inputs, a
 * notification sent once even across a hub restart, a step timing out with a clear message,
 * and `if` skipping a step.
 */
import { CustomObjectsApi, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JsonObject } from "../../core/json.js";
import { localServer } from "../../engine/testing/workflow-cue.js";
import {
  applyApp,
  deployment,
  eventually,
  join,
  readApp,
  setUpHubWorld,
  startTestHub,
  type AppView,
  type HubWorld,
} from "../support/hub-world.js";
import { waitConfig } from "../support/workflow-world.js";

let world: HubWorld;
let server: Awaited<ReturnType<typeof localServer>>;
const NS = "default";

beforeAll(async () => {
  world = await setUpHubWorld();
  await join(world, "member-1");
  await join(world, "member-2");
  server = await localServer((r) =>
    r.url === "/score" ? { body: '{"score":7,"tier":"gold"}' } : { body: "{}" },
  );
}, 300_000);

afterAll(async () => {
  await server?.close();
  await world?.stop();
});

const apps = { group: "core.oam.dev", version: "v1beta1", plural: "applications" };
const merge = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

const application = (name: string, spec: JsonObject): JsonObject => ({
  apiVersion: "core.oam.dev/v1beta1",
  kind: "Application",
  metadata: { name, namespace: NS },
  spec,
});

const web = (name: string): JsonObject => ({
  name,
  type: "webservice",
  properties: { image: "nginx:1.27", ports: [{ port: 80, expose: true }] },
});

const to = (name: string, cluster: string): JsonObject => ({
  name,
  type: "topology",
  properties: { clusters: [cluster] },
});

type StepView = { name: string; phase: string; reason?: string; message?: string };
type WorkflowView = { phase: string; suspend: boolean; message?: string; steps: StepView[] };
const workflowOf = (app: AppView | undefined) =>
  (app?.status as { workflow?: WorkflowView } | undefined)?.workflow;
const stepOf = (app: AppView | undefined, name: string) =>
  workflowOf(app)?.steps.find((s) => s.name === name);

/** Waits until the app's status for its current generation satisfies `check`. */
const until = (name: string, what: string, check: (app: AppView) => boolean) =>
  eventually(`${name}: ${what}`, async () => {
    const app = await readApp(world, NS, name);
    if (app?.status?.observedGeneration !== app?.metadata.generation) return;
    return app !== undefined && check(app) ? app : undefined;
  });

async function patchWorkflow(name: string, workflow: JsonObject): Promise<void> {
  const api = world.hubKc.makeApiClient(CustomObjectsApi);
  await api.patchNamespacedCustomObjectStatus(
    { ...apps, namespace: NS, name, body: { status: { workflow } } },
    merge,
  );
}

async function createDefinition(definition: JsonObject): Promise<void> {
  const api = world.hubKc.makeApiClient(CustomObjectsApi);
  await api.createNamespacedCustomObject({
    group: "core.oam.dev",
    version: "v1beta1",
    plural: "workflowstepdefinitions",
    namespace: "vela-system",
    body: definition,
  });
}

describe("workflows on the hub", { timeout: 240_000 }, () => {
  it("runs deploy steps in order and delivers nothing after a suspend until resumed", async () => {
    const name = "ordered";
    await applyApp(
      world,
      application(name, {
        components: [web(name)],
        policies: [to("first", "member-1"), to("second", "member-2")],
        workflow: {
          steps: [
            { name: "deploy-first", type: "deploy", properties: { policies: ["first"] } },
            { name: "hold", type: "suspend" },
            { name: "deploy-second", type: "deploy", properties: { policies: ["second"] } },
          ],
        },
      }),
    );
    const held = await until(name, "suspended", (a) => a.status?.status === "workflowSuspending");
    expect(stepOf(held, "deploy-first")?.phase).toBe("succeeded");
    expect(stepOf(held, "hold")?.phase).toBe("suspending");
    expect(stepOf(held, "deploy-second")?.phase ?? "pending").toBe("pending");
    expect(await world.direct("member-1").read(deployment(NS, name))).toBeDefined();
    expect(await world.direct("member-2").read(deployment(NS, name))).toBeUndefined();
    expect(held.status?.services.map((s) => s.cluster)).toEqual(["member-1"]);

    await patchWorkflow(name, { suspend: false });
    const done = await until(name, "running", (a) => a.status?.status === "running");
    expect(workflowOf(done)?.phase).toBe("succeeded");
    // the suspend's message is gone from the stored status, not left behind by the patch
    expect(workflowOf(done)?.message).toBeUndefined();
    expect(workflowOf(done)?.steps.map((s) => [s.name, s.phase])).toEqual([
      ["deploy-first", "succeeded"],
      ["hold", "succeeded"],
      ["deploy-second", "succeeded"],
    ]);
    expect(await world.direct("member-2").read(deployment(NS, name))).toBeDefined();
    expect(done.status?.services.map((s) => s.cluster).sort()).toEqual(["member-1", "member-2"]);
  });

  it("passes an HTTP answer to a webhook and sends it once, across a hub restart", async () => {
    const name = "notify";
    await applyApp(
      world,
      application(name, {
        components: [web(name)],
        workflow: {
          steps: [
            {
              name: "ask",
              type: "request",
              properties: { url: `${server.url}/score` },
              outputs: [{ name: "score", valueFrom: "response.score" }],
            },
            {
              name: "tell",
              type: "webhook",
              inputs: [{ from: "score", parameterKey: "data.score" }],
              properties: { url: { value: `${server.url}/hook` }, data: { app: name } },
            },
            {
              name: "never",
              type: "webhook",
              if: 'status.tell.phase == "failed"',
              properties: { url: { value: `${server.url}/never` } },
            },
          ],
        },
      }),
    );
    const done = await until(
      name,
      "workflow succeeded",
      (a) => workflowOf(a)?.phase === "succeeded",
    );
    expect(stepOf(done, "never")?.phase).toBe("skipped");
    const hooks = () => server.received.filter((r) => r.url === "/hook");
    expect(hooks()).toHaveLength(1);
    expect(JSON.parse(hooks()[0]!.body)).toEqual({ app: name, score: 7 });
    expect(server.received.filter((r) => r.url === "/never")).toHaveLength(0);
    // no deploy step and no step applying it: the component is not delivered
    expect(await world.direct("local").read(deployment(NS, name))).toBeUndefined();

    const context = await world.direct("local").read({
      apiVersion: "v1",
      kind: "ConfigMap",
      namespace: NS,
      name: `workflow-${name}-context`,
    });
    const vars = JSON.parse(String((context?.data as { vars: string }).vars)) as { score?: number };
    expect(vars.score).toBe(7);

    await world.hub.stop();
    world.hub = await startTestHub(world.hubKc);
    await until(name, "reconciled after restart", (a) => workflowOf(a)?.phase === "succeeded");
    await new Promise((r) => setTimeout(r, 3_000));
    expect(hooks()).toHaveLength(1);
  });

  it("fails a step that outlives its timeout, naming the step", async () => {
    const name = "slow";
    await createDefinition(waitConfig);
    await applyApp(
      world,
      application(name, {
        components: [web(name)],
        workflow: {
          steps: [
            {
              name: "wait-for-nothing",
              type: "wait-config",
              timeout: "2s",
              properties: { name: "never-created" },
            },
            {
              name: "after",
              type: "webhook",
              properties: { url: { value: `${server.url}/after` } },
            },
          ],
        },
      }),
    );
    const failed = await until(
      name,
      "workflowFailed",
      (a) => a.status?.status === "workflowFailed",
    );
    const step = stepOf(failed, "wait-for-nothing");
    expect(step?.phase).toBe("failed");
    expect(step?.reason).toBe("Timeout");
    expect(server.received.filter((r) => r.url === "/after")).toHaveLength(0);
  });
});
