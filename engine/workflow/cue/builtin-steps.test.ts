import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cueEngine, type CueEngine } from "../../cue/engine.js";
import { builtinDefinitionsDir } from "../../../core/assets.js";
import { loadDefinitions } from "../../oam/load.js";
import type { Definition, WorkflowStep } from "../../oam/types.js";
import { cueStepRunner } from "./evaluate-step.js";
import {
  localServer,
  mapMemo,
  recordingActions,
  runContext,
  testApp,
  type World,
} from "../../testing/workflow-cue.js";

let cue: CueEngine;
let definitions: Map<string, Definition>;
let server: Awaited<ReturnType<typeof localServer>>;

beforeAll(async () => {
  cue = await cueEngine();
  const loaded = await loadDefinitions(cue, [path.join(builtinDefinitionsDir(), "workflowsteps")]);
  definitions = new Map(loaded.map((d) => [d.name, d]));
  server = await localServer((r) =>
    r.url === "/broken" ? { status: 500, body: "oops" } : { body: '{"score":7,"ok":true}' },
  );
});
afterAll(() => server.close());

function setUp(type: string, world: World = { components: {}, objects: {} }) {
  const definition = definitions.get(type);
  if (definition?.cueTemplate === undefined) throw new Error(`no built-in step ${type}`);
  const { actions, calls } = recordingActions(world);
  const memo = mapMemo();
  const runner = cueStepRunner({
    cue,
    template: definition.cueTemplate,
    definitionName: type,
    actions,
    memo,
  });
  const run = (properties: WorkflowStep["properties"], outputs?: WorkflowStep["outputs"]) =>
    runner.run(
      runContext({ name: `${type}-step`, type, properties, ...(outputs ? { outputs } : {}) }),
    );
  return { run, calls, world };
}

const appObject = (name: string, status?: string) => ({
  apiVersion: "core.oam.dev/v1beta1",
  kind: "Application",
  metadata: { name, namespace: "team-a" },
  ...(status === undefined ? {} : { status: { status } }),
});

describe("built-in CUE workflow steps", { timeout: 30_000 }, () => {
  it("loads the seven step definitions, each compile-checked", () => {
    expect([...definitions.keys()].sort()).toEqual([
      "apply-component",
      "apply-object",
      "depends-on-app",
      "notification",
      "read-object",
      "request",
      "webhook",
    ]);
    for (const d of definitions.values()) expect(d.kind).toBe("WorkflowStepDefinition");
  });

  it("apply-object applies the object to the cluster given", async () => {
    const { run, calls } = setUp("apply-object");
    const value = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "c" },
      data: { a: "1" },
    };
    const outcome = await run({ value, cluster: "member-1" }, [
      { name: "applied", valueFrom: "apply.value.status.applied" },
    ]);
    expect(outcome).toEqual({ phase: "succeeded", outputs: { applied: true } });
    expect(calls).toEqual([
      { kind: "apply", action: "apply", request: { value, cluster: "member-1" } },
    ]);
  });

  it("read-object reads an Application by default, and reports a missing object in err", async () => {
    const world: World = { components: {}, objects: {} };
    world.objects["Application/default/other"] = appObject("other", "running");
    const { run, calls } = setUp("read-object", world);
    expect(
      await run({ name: "other" }, [{ name: "status", valueFrom: "output.value.status.status" }]),
    ).toEqual({ phase: "succeeded", outputs: { status: "running" } });
    expect(calls[0]?.request).toEqual({
      value: {
        apiVersion: "core.oam.dev/v1beta1",
        kind: "Application",
        metadata: { name: "other", namespace: "default" },
      },
    });
    expect(
      await run({ name: "nope", kind: "Secret", apiVersion: "v1", namespace: "x" }, [
        { name: "err", valueFrom: "output.err" },
      ]),
    ).toEqual({ phase: "succeeded", outputs: { err: 'Secret "x/nope" not found' } });
  });

  it("apply-component applies the component and waits until it is healthy", async () => {
    const workload = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" } };
    const traits = { service: { value: { kind: "Service", spec: { clusterIP: "10.0.0.9" } } } };
    const world: World = { components: { web: { workload, traits, healthy: false } }, objects: {} };
    const { run, calls } = setUp("apply-component", world);
    expect(await run({ component: "web" })).toEqual({
      phase: "running",
      reason: "Wait",
      message: 'waiting for component "web" to be healthy',
    });
    world.components.web = { workload, traits, healthy: true };
    const outputs = [
      { name: "ip", valueFrom: "outputs.service.spec.clusterIP" },
      { name: "kind", valueFrom: "output.kind" },
    ];
    expect(await run({ component: "web" }, outputs)).toEqual({
      phase: "succeeded",
      outputs: { ip: "10.0.0.9", kind: "Deployment" },
    });
    expect(calls.map((c) => c.request)).toEqual([{ component: "web" }, { component: "web" }]);
  });

  it("request sends the request and exposes its JSON answer as response", async () => {
    const { run } = setUp("request");
    const props = {
      url: `${server.url}/score`,
      method: "POST",
      body: { q: 1 },
      header: { "X-A": "b" },
    };
    expect(await run(props, [{ name: "score", valueFrom: "response.score" }])).toEqual({
      phase: "succeeded",
      outputs: { score: 7 },
    });
    const sent = server.received.at(-1);
    expect([sent?.method, sent?.body, sent?.headers["x-a"]]).toEqual(["POST", '{"q":1}', "b"]);
  });

  it("request fails on a status of 400 or more, with the answer", async () => {
    const { run } = setUp("request");
    expect(await run({ url: `${server.url}/broken` })).toEqual({
      phase: "failed",
      reason: "Action",
      message: `request to ${server.url}/broken failed: status 500: oops`,
    });
  });

  it("webhook posts the data given, or the Application, once per step execution", async () => {
    const world: World = { components: {}, objects: {} };
    world.objects["Application/team-a/shop"] = appObject("shop", "running");
    const { run } = setUp("webhook", world);
    const before = server.received.length;
    const url = { value: `${server.url}/hook` };
    expect((await run({ url, data: { release: "1.2" } })).phase).toBe("succeeded");
    expect((await run({ url, data: { release: "1.2" } })).phase).toBe("succeeded");
    const other = setUp("webhook", world);
    expect((await other.run({ url })).phase).toBe("succeeded");
    const bodies = server.received.slice(before).map((r) => JSON.parse(r.body) as unknown);
    expect(bodies).toEqual([{ release: "1.2" }, appObject("shop", "running")]);
  });

  it("notification posts to a webhook (text or object) and in Slack's and DingTalk's shapes", async () => {
    const { run } = setUp("notification");
    const before = server.received.length;
    const outcome = await run({
      webhook: { url: `${server.url}/plain`, message: "deployed" },
      slack: { url: { value: `${server.url}/slack` }, message: { text: "deployed :tada:" } },
      dingding: { url: { value: `${server.url}/ding` }, message: { text: { content: "ok" } } },
    });
    expect(outcome).toEqual({ phase: "succeeded" });
    const sent = server.received.slice(before).map((r) => [r.url, JSON.parse(r.body) as unknown]);
    expect(sent).toEqual([
      ["/plain", { text: "deployed" }],
      ["/slack", { text: "deployed :tada:" }],
      ["/ding", { msgtype: "text", text: { content: "ok" } }],
    ]);
    const objectMessage = setUp("notification");
    await objectMessage.run({
      webhook: { url: { value: `${server.url}/obj` }, message: { a: 1 } },
    });
    expect(JSON.parse(server.received.at(-1)?.body ?? "")).toEqual({ a: 1 });
  });

  it("depends-on-app waits until the other Application runs", async () => {
    const world: World = { components: {}, objects: {} };
    const { run } = setUp("depends-on-app", world);
    expect(await run({ name: "db", namespace: "team-a" })).toEqual({
      phase: "running",
      reason: "Wait",
      message: 'waiting for application team-a/db: Application "team-a/db" not found',
    });
    world.objects["Application/team-a/db"] = appObject("db");
    expect(await run({ name: "db", namespace: "team-a" })).toMatchObject({
      phase: "running",
      message: "waiting for application team-a/db to be running",
    });
    world.objects["Application/team-a/db"] = appObject("db", "running");
    expect(await run({ name: "db", namespace: "team-a" })).toEqual({ phase: "succeeded" });
  });

  it("depends-on-app creates the Application from its ConfigMap when it does not exist", async () => {
    const world: World = { components: {}, objects: {} };
    const manifest =
      "apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata:\n  name: db\n  namespace: team-a\nspec:\n  components: []\n";
    world.objects["ConfigMap/team-a/db"] = {
      kind: "ConfigMap",
      metadata: { name: "db", namespace: "team-a" },
      data: { application: manifest },
    };
    const { run, calls } = setUp("depends-on-app", world);
    expect(await run({ name: "db", namespace: "team-a" })).toMatchObject({
      phase: "running",
      message: "waiting for application team-a/db, created from its ConfigMap, to be running",
    });
    expect(calls.map((c) => c.action)).toEqual([
      "dependsOn",
      "load.configMap",
      "load.create.apply",
    ]);
    expect(calls[2]?.request).toEqual({
      value: { ...appObject("db"), spec: { components: [] } },
    });
    expect(testApp.metadata.namespace).toBe("team-a");
  });
});
