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
let server: Awaited<ReturnType<typeof localServer>>;
beforeAll(async () => {
  cue = await cueEngine();
  server = await localServer((r) =>
    r.url === "/fail" ? { status: 503, body: "down" } : { body: '{"accepted":true}' },
  );
});
afterAll(() => server.close());

const emptyWorld = (): World => ({ components: {}, objects: {} });

function runner(template: string, world = emptyWorld(), memo = mapMemo()) {
  const { actions, calls } = recordingActions(world);
  const run = cueStepRunner({ cue, template, definitionName: "custom", actions, memo });
  return { run, calls, world, memo };
}

const step = (properties: WorkflowStep["properties"] = {}, more: Partial<WorkflowStep> = {}) => ({
  name: "my-step",
  type: "custom",
  properties,
  ...more,
});

const configMap = `{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg", namespace: "team-a" }, data: parameter.data }`;

describe("cueStepRunner", { timeout: 30_000 }, () => {
  it("performs actions in field order, each seeing the results of those before it", async () => {
    const template = `import "vela/op"
parameter: { data: [string]: string }
apply: op.#Apply & { value: ${configMap} }
check: op.#ConditionalWait & { continue: apply.value.status.applied }
read: op.#Read & { value: { apiVersion: "v1", kind: "ConfigMap", metadata: apply.value.metadata } }
`;
    const { run, calls } = runner(template);
    const outcome = await run.run(runContext(step({ data: { a: "1" } })));
    expect(outcome).toEqual({ phase: "succeeded" });
    expect(calls.map((c) => [c.kind, c.action])).toEqual([
      ["apply", "apply"],
      ["read", "read"],
    ]);
    expect(calls[1]?.request).toEqual({
      value: {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "cfg", namespace: "team-a" },
      },
    });
  });

  it("waits while a ConditionalWait is false, then succeeds when it is true", async () => {
    const template = `import "vela/op"
read: op.#Read & { value: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "flag", namespace: "default" } } }
wait: op.#ConditionalWait & {
  continue: read.err == _|_ && read.value.data.ready == "yes"
  message: "waiting for the flag"
}
`;
    const { run, world } = runner(template);
    expect(await run.run(runContext(step()))).toEqual({
      phase: "running",
      reason: "Wait",
      message: "waiting for the flag",
    });
    const flag = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "flag", namespace: "default" },
    };
    world.objects["ConfigMap/default/flag"] = { ...flag, data: { ready: "no" } };
    expect((await run.run(runContext(step()))).phase).toBe("running");
    world.objects["ConfigMap/default/flag"] = { ...flag, data: { ready: "yes" } };
    expect(await run.run(runContext(step()))).toEqual({ phase: "succeeded" });
  });

  it("waits, with the wait's message, while its condition cannot be evaluated yet", async () => {
    const template = `import "vela/op"
read: op.#Read & { value: { apiVersion: "v1", kind: "Pod", metadata: { name: "p" } } }
wait: op.#ConditionalWait & { continue: read.value.status.phase == "Running", message: "pod not running yet" }
`;
    const { run } = runner(template);
    expect(await run.run(runContext(step()))).toEqual({
      phase: "running",
      reason: "Wait",
      message: "pod not running yet",
    });
  });

  it("fails the step with op.#Fail's message, after the actions before it", async () => {
    const template = `import "vela/op"
log: op.#Log & { data: "about to fail" }
stop: op.#Fail & { message: "the config is not valid: \\(parameter.why)" }
never: op.#Log & { data: "unreachable" }
parameter: { why: string }
`;
    const { run, calls } = runner(template);
    expect(await run.run(runContext(step({ why: "no owner" })))).toEqual({
      phase: "failed",
      reason: "Action",
      message: "the config is not valid: no owner",
    });
    expect(calls.map((c) => [c.kind, c.request])).toEqual([
      ["log", { data: "about to fail", level: 3 }],
    ]);
  });

  // Fields an \`if\` adds come after the struct's other fields: CUE's field order, which is
  // also the order KubeVela performs them in (without @step attributes).
  it("runs op.#Steps' actions in field order, including those a condition adds", async () => {
    const template = `import "vela/op"
group: op.#Steps & {
  first: op.#Read & { value: { apiVersion: "v1", kind: "Secret", metadata: { name: "s", namespace: "default" } } }
  if first.err != _|_ {
    create: op.#Apply & { value: { apiVersion: "v1", kind: "Secret", metadata: { name: "s", namespace: "default" } } }
  }
  note: op.#Log & { data: { created: first.err != _|_ } }
}
after: op.#Log & { data: "after" }
`;
    const { run, calls } = runner(template);
    expect(await run.run(runContext(step()))).toEqual({ phase: "succeeded" });
    expect(calls.map((c) => c.action)).toEqual([
      "group.first",
      "group.note",
      "group.create",
      "after",
    ]);
    expect(calls[1]?.request).toEqual({ data: { created: true }, level: 3 });
  });

  it("resolves outputs by exportKey and by valueFrom in the template's scope", async () => {
    const template = `import (
  "vela/op"
  "strings"
)
parameter: { name: string }
apply: op.#Apply & { value: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: parameter.name, namespace: "default" } } }
host: "\\(parameter.name).svc"
`;
    const { run } = runner(template);
    const outputs = [
      { name: "host", exportKey: "host" },
      { name: "applied", exportKey: "apply.value.status.applied" },
      { name: "upper", valueFrom: "strings.ToUpper(parameter.name)" },
      { name: "ctx", valueFrom: 'context.stepName + "@" + context.namespace' },
    ];
    expect(await run.run(runContext(step({ name: "api" }, { outputs })))).toEqual({
      phase: "succeeded",
      outputs: { host: "api.svc", applied: true, upper: "API", ctx: "my-step@team-a" },
    });
  });

  it("sees the step's inputs in parameter (filled by the engine) and under inputs", async () => {
    const template = `import "vela/op"
parameter: { backendIP: string }
say: op.#Log & { data: "backend at \\(parameter.backendIP) from \\(inputs.baseIP)" }
`;
    const { run, calls } = runner(template);
    const ctx = runContext(step({ backendIP: "10.0.0.7" }), { inputs: { baseIP: "10.0.0.7" } });
    expect(await run.run(ctx)).toEqual({ phase: "succeeded" });
    expect(calls[0]?.request).toEqual({ data: "backend at 10.0.0.7 from 10.0.0.7", level: 3 });
  });

  it("sends a POST once per step execution although the step re-runs while it waits", async () => {
    const template = `import (
  "vela/op"
  "encoding/json"
)
parameter: { url: string }
notify: op.#HTTPPost & { url: parameter.url, request: { body: json.Marshal({ app: context.appName }), header: "Content-Type": "application/json" } }
gate: op.#Read & { value: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "gate", namespace: "default" } } }
wait: op.#ConditionalWait & { continue: gate.err == _|_ }
done: op.#HTTPPost & { url: parameter.url + "/done", request: body: notify.response.body }
`;
    const { run, world, memo } = runner(template);
    const before = server.received.length;
    const props = { url: `${server.url}/hook` };
    for (let i = 0; i < 3; i++)
      expect((await run.run(runContext(step(props)))).phase).toBe("running");
    world.objects["ConfigMap/default/gate"] = { kind: "ConfigMap" };
    expect((await run.run(runContext(step(props)))).phase).toBe("succeeded");
    expect((await run.run(runContext(step(props)))).phase).toBe("succeeded");
    const sent = server.received.slice(before);
    expect(sent.map((r) => [r.method, r.url, r.body])).toEqual([
      ["POST", "/hook", '{"app":"shop"}'],
      ["POST", "/hook/done", '{"accepted":true}'],
    ]);
    expect(sent[0]?.headers["content-type"]).toBe("application/json");
    expect(Object.keys(memo.entries)).toEqual(["s-1/notify", "s-1/done"]);
  });

  it("fills an HTTP response back: status code, body and headers", async () => {
    const template = `import "vela/op"
get: op.#HTTPGet & { url: "${server.url}/fail", request: timeout: "2s" }
code: get.response.statusCode
body: get.response.body
header: get.response.header["x-test"][0]
`;
    const outputs = ["code", "body", "header"].map((n) => ({ name: n, exportKey: n }));
    const { run } = runner(template);
    expect(await run.run(runContext(step({}, { outputs })))).toEqual({
      phase: "succeeded",
      outputs: { code: 503, body: "down", header: "yes" },
    });
  });

  it("suspends once, stays suspended until resumed or the duration passes", async () => {
    const template = `import "vela/op"
pause: op.#Suspend & { duration: "1m" }
after: op.#Log & { data: "resumed" }
`;
    const { run, calls } = runner(template);
    const now = new Date("2026-01-01T00:00:00Z");
    const first = await run.run(runContext(step(), { now }));
    expect(first).toEqual({
      phase: "suspending",
      message: 'suspended by "pause"',
      resumeAt: "2026-01-01T00:01:00.000Z",
    });
    const early = new Date("2026-01-01T00:00:30Z");
    expect((await run.run(runContext(step(), { now: early, phase: "suspending" }))).phase).toBe(
      "suspending",
    );
    const late = new Date("2026-01-01T00:01:01Z");
    expect((await run.run(runContext(step(), { now: late, phase: "suspending" }))).phase).toBe(
      "succeeded",
    );
    expect(calls.map((c) => c.kind)).toEqual(["log"]);
  });
});
