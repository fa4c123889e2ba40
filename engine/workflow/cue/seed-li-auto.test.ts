/**
 * The Li Auto seed's three custom steps (test/fixtures/render/li-auto: the seed's definitions
 * with the `encoding/json` import it forgot) evaluated by the CUE step runner, with the
 * application's own step properties and outputs.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cueEngine, type CueEngine } from "../../cue/engine.js";
import { parseManifests } from "../../oam/manifests.js";
import type { JsonObject } from "../../../core/json.js";
import type { Application, Definition, WorkflowStep } from "../../oam/types.js";
import { applyPatch } from "../../render/patch.js";
import { cueStepRunner } from "./evaluate-step.js";
import {
  localServer,
  mapMemo,
  recordingActions,
  runContext,
  type World,
} from "../../testing/workflow-cue.js";

const fixtures = path.join(import.meta.dirname, "../../../test/fixtures/render/li-auto");
const load = (file: string) =>
  parseManifests(readFileSync(path.join(fixtures, file), "utf8"), file);

let cue: CueEngine;
let server: Awaited<ReturnType<typeof localServer>>;
const steps = new Map<string, Definition>(
  load("workflow-step-definitions.yaml").definitions.map((d) => [d.name, d]),
);
const app = load("application.yaml").applications[0] as Application;
const workflowStep = (name: string): WorkflowStep => {
  const found = app.spec.workflow?.steps?.find((s) => s.name === name);
  if (found === undefined) throw new Error(`no step ${name}`);
  return found;
};

beforeAll(async () => {
  cue = await cueEngine();
  server = await localServer();
});
afterAll(() => server.close());

function runnerFor(type: string, world: World) {
  const { actions, calls } = recordingActions(world);
  // The seed posts to "appolo-address", a placeholder for its config center: the test's server.
  const template = (steps.get(type)?.cueTemplate ?? "").replace(
    '"appolo-address"',
    JSON.stringify(`${server.url}/apollo`),
  );
  const runner = cueStepRunner({ cue, template, definitionName: type, actions, memo: mapMemo() });
  return { runner, calls };
}

const deployment = (status: JsonObject): JsonObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "base-service", namespace: "default", generation: 2 },
  spec: { replicas: 2 },
  status,
});

describe("the Li Auto seed's workflow steps", { timeout: 30_000 }, () => {
  it("apply-base waits for the Deployment, then posts to the config center and exports clusterIP", async () => {
    const world: World = {
      components: {
        "base-service": {
          workload: deployment({}),
          traits: {
            service: { value: { kind: "Service", spec: { clusterIP: "10.96.0.12" } } },
            ingress: { value: { kind: "Ingress" } },
          },
        },
      },
      objects: {},
    };
    const { runner, calls } = runnerFor("apply-base", world);
    const step = workflowStep("apply-base-service");
    const before = server.received.length;

    expect(await runner.run(runContext(step, { app }))).toEqual({
      phase: "running",
      reason: "Wait",
      message: expect.stringMatching(
        /^waiting for "wait": its condition cannot be evaluated yet \(undefined field: readyReplicas/,
      ) as string,
    });
    world.components["base-service"] = {
      ...world.components["base-service"]!,
      workload: deployment({ replicas: 2, readyReplicas: 1, observedGeneration: 2 }),
    };
    expect((await runner.run(runContext(step, { app }))).phase).toBe("running");
    expect(server.received.length).toBe(before);

    world.components["base-service"] = {
      ...world.components["base-service"],
      workload: deployment({ replicas: 2, readyReplicas: 2, observedGeneration: 2 }),
    };
    const done = await runner.run(runContext(step, { app }));
    expect(done).toEqual({ phase: "succeeded", outputs: { baseIP: "10.96.0.12" } });
    expect((await runner.run(runContext(step, { app }))).phase).toBe("succeeded");
    expect(server.received.slice(before).map((r) => [r.method, r.url, r.body])).toEqual([
      ["POST", "/apollo", "{}"],
    ]);
    expect(calls.filter((c) => c.kind === "applyComponent").map((c) => c.request)).toEqual(
      Array(4).fill({ component: "base-service" }),
    );
  });

  it("apply-helm waits until the read object's phase is ready", async () => {
    let phase = "installing";
    const world: World = {
      components: { redis: { workload: { kind: "HelmRelease" }, traits: {} } },
      objects: {},
      onRead: () => ({ status: { phase } }),
    };
    const { runner, calls } = runnerFor("apply-helm", world);
    const step = workflowStep("apply-redis");
    expect((await runner.run(runContext(step, { app }))).phase).toBe("running");
    phase = "ready";
    expect(await runner.run(runContext(step, { app }))).toEqual({ phase: "succeeded" });
    expect(calls.map((c) => [c.kind, c.action])).toEqual([
      ["applyComponent", "apply"],
      ["read", "chart"],
      ["applyComponent", "apply"],
      ["read", "chart"],
    ]);
  });

  it("apply-proxy hands the BackendIP env patch to applyComponent, keyed by name", async () => {
    const rollout = proxyRollout();
    const world: World = {
      components: {
        "proxy-service": {
          workload: {
            ...rollout,
            status: { replicas: 1, readyReplicas: 1, observedGeneration: 1 },
          },
          traits: {},
        },
      },
      objects: {},
    };
    (world.components["proxy-service"]!.workload.metadata as JsonObject).generation = 1;
    const { runner, calls } = runnerFor("apply-proxy", world);
    // The engine fills the input (from: baseIP, parameterKey: backendIP) into the properties.
    const step = workflowStep("apply-proxy-service");
    const filled = { ...step, properties: { ...step.properties, backendIP: "10.96.0.12" } };
    const ctx = runContext(filled, { app, inputs: { baseIP: "10.96.0.12" } });
    expect(await runner.run(ctx)).toEqual({ phase: "succeeded" });

    const request = calls[0]?.request as { patch: JsonObject; patchAnnotations: unknown[] };
    expect(request.patch).toEqual({
      spec: {
        template: { spec: { containers: [{ env: [{ name: "BackendIP", value: "10.96.0.12" }] }] } },
      },
    });
    expect(request.patchAnnotations).toMatchObject([
      { root: "patch", path: "spec.template.spec.containers[*].env", patchKey: "name" },
    ]);
    // What the hub does with them: the env entry is added, the existing ones are kept.
    const patched = applyPatch(rollout, request.patch, request.patchAnnotations as never);
    const container = (patched as { spec: { template: { spec: { containers: JsonObject[] } } } })
      .spec.template.spec.containers[0];
    const env = container?.env as Array<{ name: string; value?: string }>;
    expect(env.map((e) => e.name)).toEqual([
      "NODE_IP",
      "POD_IP",
      "POD_NAME",
      "POD_NAMESPACE",
      "APP_NAME",
      "LOG_BASE",
      "RUNTIME_CLUSTER",
      "BackendIP",
    ]);
    expect(env.at(-1)).toEqual({ name: "BackendIP", value: "10.96.0.12" });
  });
});

function proxyRollout(): JsonObject {
  const definition = load("component-definitions.yaml").definitions.find(
    (d) => d.name === "proxy-service",
  );
  return structuredClone(definition?.kube?.template ?? {});
}
