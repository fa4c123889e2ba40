import { beforeAll, describe, expect, it } from "vitest";
import { cueEngine, type CueEngine } from "../../cue/engine.js";
import type { WorkflowStep } from "../../oam/types.js";
import type { StepOutcome } from "../types.js";
import { cueStepRunner } from "./evaluate-step.js";
import {
  localServer,
  mapMemo,
  recordingActions,
  runContext,
  type World,
} from "../../testing/workflow-cue.js";

let cue: CueEngine;
beforeAll(async () => {
  cue = await cueEngine();
});

const emptyWorld = (): World => ({ components: {}, objects: {} });

function runner(template: string, world = emptyWorld()) {
  const { actions } = recordingActions(world);
  return cueStepRunner({ cue, template, definitionName: "custom", actions, memo: mapMemo() });
}

// Failures of the CUE step runner: each names the application, step, definition and field or
// action, with KubeVela's reason.
const step = (properties: WorkflowStep["properties"] = {}, more: Partial<WorkflowStep> = {}) => ({
  name: "my-step",
  type: "custom",
  properties,
  ...more,
});

describe("cueStepRunner failures", { timeout: 30_000 }, () => {
  const failure = async (template: string, properties = {}): Promise<StepOutcome> =>
    runner(template).run(runContext(step(properties)));

  it("names the parameter that does not fit", async () => {
    const template = `import "vela/op"
parameter: { replicas: int }
log: op.#Log & { data: "\\(parameter.replicas)" }
`;
    expect(await failure(template, { replicas: "two" })).toEqual({
      phase: "failed",
      reason: "ProcessParameter",
      message: expect.stringContaining(
        'application "shop", step "my-step" (WorkflowStepDefinition "custom"), field "parameter.replicas": invalid value "two" for parameter "replicas"',
      ) as string,
    });
  });

  it("names the action field CUE rejects", async () => {
    const template = `import "vela/op"
check: op.#ConditionalWait & { continue: "yes" }
`;
    const outcome = await failure(template);
    expect(outcome.phase).toBe("failed");
    expect(outcome).toMatchObject({ reason: "Rendering" });
    expect((outcome as { message: string }).message).toMatch(
      /^application "shop", step "my-step" \(WorkflowStepDefinition "custom"\), field "check\.continue": conflicting values/,
    );
  });

  it("reports an action's own error with the action's name", async () => {
    const template = `import "vela/op"
apply: op.#ApplyComponent & { component: "missing" }
`;
    expect(await failure(template)).toEqual({
      phase: "failed",
      reason: "Execute",
      message:
        'application "shop", step "my-step" (WorkflowStepDefinition "custom"), action "apply": no component "missing"',
    });
  });

  it("reports a request that gets no response", async () => {
    const closed = await localServer();
    await closed.close();
    const template = `import "vela/op"
post: op.#HTTPPost & { url: "${closed.url}/x", request: body: "{}" }
`;
    const outcome = await failure(template);
    expect(outcome).toMatchObject({ phase: "failed", reason: "Execute" });
    expect((outcome as { message: string }).message).toContain(
      `action "post": POST ${closed.url}/x: ECONNREFUSED`,
    );
  });

  it("names an output that cannot be resolved", async () => {
    const template = `import "vela/op"
value: 1
`;
    const outcome = await runner(template).run(
      runContext(step({}, { outputs: [{ name: "ip", exportKey: "service.clusterIP" }] })),
    );
    expect(outcome).toMatchObject({ phase: "failed", reason: "Output" });
    expect((outcome as { message: string }).message).toContain(
      'step "my-step" (WorkflowStepDefinition "custom"), output "ip" (exportKey "service.clusterIP"):',
    );
  });

  it("rejects vela packages other than vela/op", async () => {
    expect(await failure('import "vela/kube"\nx: kube.#Apply\n')).toEqual({
      phase: "failed",
      reason: "Rendering",
      message:
        'application "shop", step "my-step": WorkflowStepDefinition "custom": import "vela/kube" is not supported; Flotilla provides "vela/op" (op.#Apply, op.#Read, op.#HTTPDo, …)',
    });
  });

  it("reports a template that does not compile", async () => {
    const outcome = await failure(`import "vela/op"\nx: op.#Log & { data: json.Marshal({}) }\n`);
    expect(outcome).toMatchObject({ phase: "failed", reason: "Rendering" });
    expect((outcome as { message: string }).message).toContain('reference "json" not found');
  });
});
