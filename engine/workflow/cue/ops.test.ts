/**
 * The op actions not covered elsewhere: #List, #Delete (once per step execution), #Apply with a
 * patch and a cluster, #ApplyComponent's KubeVela 1.2 `value:` form with its outputs, and the
 * HTTP timeout.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cueEngine, type CueEngine } from "../../cue/engine.js";
import type { WorkflowStep } from "../../oam/types.js";
import { cueStepRunner } from "./evaluate-step.js";
import {
  localServer,
  mapMemo,
  recordingActions,
  runContext,
  type World,
} from "../../testing/workflow-cue.js";

let cue: CueEngine;
let slow: Awaited<ReturnType<typeof localServer>>;
beforeAll(async () => {
  cue = await cueEngine();
  slow = await localServer(() => ({ delayMs: 1_000 }));
});
afterAll(() => slow.close());

function setUp(template: string, world: World = { components: {}, objects: {} }) {
  const { actions, calls } = recordingActions(world);
  const runner = cueStepRunner({ cue, template, definitionName: "ops", actions, memo: mapMemo() });
  const run = (outputs?: WorkflowStep["outputs"]) =>
    runner.run(runContext({ name: "s", type: "ops", ...(outputs ? { outputs } : {}) }));
  return { run, calls, world };
}

const secret = (name: string) => ({
  apiVersion: "v1",
  kind: "Secret",
  metadata: { name, namespace: "default", labels: { app: "x" } },
});

describe("op actions", { timeout: 30_000 }, () => {
  it("#List lists objects of a kind, with the filter passed on", async () => {
    const world: World = {
      components: {},
      objects: { "Secret/default/a": secret("a"), "Secret/default/b": secret("b") },
    };
    const { run, calls } = setUp(
      `import "vela/op"
secrets: op.#List & {
  resource: { apiVersion: "v1", kind: "Secret" }
  filter: { namespace: "default", matchingLabels: app: "x" }
  cluster: "member-1"
}
names: [ for s in secrets.list.items { s.metadata.name } ]
`,
      world,
    );
    expect(await run([{ name: "names", exportKey: "names" }])).toEqual({
      phase: "succeeded",
      outputs: { names: ["a", "b"] },
    });
    expect(calls[0]?.request).toEqual({
      resource: { apiVersion: "v1", kind: "Secret" },
      namespace: "default",
      matchingLabels: { app: "x" },
      cluster: "member-1",
    });
  });

  it("#Delete deletes once per step execution", async () => {
    const world: World = { components: {}, objects: { "Secret/default/a": secret("a") } };
    const { run, calls } = setUp(
      `import "vela/op"
del: op.#Delete & { value: { apiVersion: "v1", kind: "Secret", metadata: { name: "a", namespace: "default" } } }
hold: op.#ConditionalWait & { continue: false, message: "holding" }
`,
      world,
    );
    expect(await run()).toMatchObject({ phase: "running", message: "holding" });
    expect(await run()).toMatchObject({ phase: "running", message: "holding" });
    expect(calls.map((c) => c.kind)).toEqual(["delete"]);
    expect(world.objects).toEqual({});
  });

  it("#Apply passes its patch and cluster, and the template sees what was applied", async () => {
    const { run, calls } = setUp(`import "vela/op"
cm: op.#Apply & {
  value: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "default" }, data: a: "1" }
  patch: data: b: "2"
  cluster: "member-2"
}
applied: cm.value.status.applied
`);
    expect(await run([{ name: "applied", exportKey: "applied" }])).toEqual({
      phase: "succeeded",
      outputs: { applied: true },
    });
    expect(calls[0]?.request).toMatchObject({ patch: { data: { b: "2" } }, cluster: "member-2" });
  });

  it("#ApplyComponent takes KubeVela 1.2's value form and fills output and outputs", async () => {
    const workload = { kind: "Deployment", metadata: { name: "api" }, status: { ready: 1 } };
    const world: World = {
      components: {
        api: {
          workload,
          traits: { svc: { value: { kind: "Service", spec: { port: 80 } } } },
          healthy: true,
        },
      },
      objects: {},
    };
    const { run, calls } = setUp(
      `import "vela/op"
apply: op.#ApplyComponent & {
  value: { name: "api", type: "webservice", properties: image: "api:1" }
  cluster: "member-1"
  namespace: "prod"
  patch: metadata: labels: tier: "api"
}
port: apply.outputs.svc.spec.port
ready: apply.output.status.ready
health: apply.isHealth
`,
      world,
    );
    const outputs = ["port", "ready", "health"].map((n) => ({ name: n, exportKey: n }));
    expect(await run(outputs)).toEqual({
      phase: "succeeded",
      outputs: { port: 80, ready: 1, health: true },
    });
    expect(calls[0]?.request).toEqual({
      component: "api",
      value: { name: "api", type: "webservice", properties: { image: "api:1" } },
      cluster: "member-1",
      namespace: "prod",
      patch: { metadata: { labels: { tier: "api" } } },
      patchAnnotations: [],
    });
  });

  it("#HTTPGet gives up after request.timeout", async () => {
    const { run } = setUp(`import "vela/op"
get: op.#HTTPGet & { url: "${slow.url}/slow", request: timeout: "200ms" }
`);
    const outcome = await run();
    expect(outcome).toMatchObject({ phase: "failed", reason: "Execute" });
    expect((outcome as { message: string }).message).toContain(
      `action "get": GET ${slow.url}/slow: no response within 200 ms`,
    );
  });

  it("rejects a bad request.timeout, naming it", async () => {
    const { run } = setUp(`import "vela/op"
get: op.#HTTPGet & { url: "${slow.url}/", request: timeout: "soon" }
`);
    expect(await run()).toMatchObject({
      phase: "failed",
      message: expect.stringContaining(
        'action "get": request.timeout: "soon" is not a duration',
      ) as string,
    });
  });
});
