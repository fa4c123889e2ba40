/**
 * The in-process baselines (no cluster): `advance()` over a workflow of N noop steps, from an
 * empty status to `succeeded` in one call,
 *
 * - with a trivial runner (the engine alone: scheduling, statuses, context), and
 * - with the real CUE step runner on the `noop` template, built once per step as the hub's
 *   `runnerFor` does (the engine plus one cue-wasm evaluation per step).
 *
 * The CUE runner gets actions that reject: the noop template has none, so they are never
 * called (a call would fail the step and the benchmark).
 */
import { cueEngine, type CueEngine } from "../../engine/cue/engine.js";
import type { Application } from "../../engine/oam/types.js";
import type { WorkflowActions } from "../../engine/workflow/cue/actions.js";
import { cueStepRunner } from "../../engine/workflow/cue/evaluate-step.js";
import { advance } from "../../engine/workflow/engine.js";
import type { RunnerFor } from "../../engine/workflow/types.js";
import { NOOP, NOOP_TEMPLATE, noopSteps, workflowApp } from "./apps.js";

export interface EngineFigures {
  readonly steps: number;
  /** advance() with a runner that succeeds at once. */
  readonly engine_ms_per_step: number;
  readonly engine_runs: number;
  /** advance() with the CUE runner on the noop template. */
  readonly engine_cue_ms_per_step: number;
  readonly engine_cue_runs: number;
}

const round3 = (n: number): number => Number(n.toFixed(3));

const trivial: RunnerFor = () => ({ run: () => Promise.resolve({ phase: "succeeded" }) });

const refuse = (): Promise<never> =>
  Promise.reject(new Error("the noop step template has no action"));

const noActions: WorkflowActions = {
  applyComponent: refuse,
  apply: refuse,
  read: refuse,
  list: refuse,
  delete: refuse,
  http: refuse,
  log: refuse,
};

function cueRunners(cue: CueEngine): RunnerFor {
  return (type) =>
    type === NOOP
      ? cueStepRunner({ cue, template: NOOP_TEMPLATE, definitionName: NOOP, actions: noActions })
      : undefined;
}

/** One whole workflow in one advance() call; throws unless every step succeeded. */
async function runOnce(app: Application, cue: CueEngine, runnerFor: RunnerFor): Promise<void> {
  const result = await advance({
    app,
    context: {},
    now: new Date(),
    cue,
    runnerFor,
    revision: `${app.metadata.name}-v1`,
  });
  if (result.status.phase !== "succeeded") {
    const failed = result.status.steps.find((s) => s.phase !== "succeeded");
    throw new Error(
      `engine baseline: workflow ${result.status.phase}, step ${failed?.name}: ${failed?.message}`,
    );
  }
}

/** Mean ms per step over `runs` workflows, after `warmup` unmeasured ones. */
async function msPerStep(
  app: Application,
  cue: CueEngine,
  runnerFor: RunnerFor,
  counts: { runs: number; warmup: number; steps: number },
): Promise<number> {
  for (let i = 0; i < counts.warmup; i += 1) await runOnce(app, cue, runnerFor);
  const start = performance.now();
  for (let i = 0; i < counts.runs; i += 1) await runOnce(app, cue, runnerFor);
  return round3((performance.now() - start) / (counts.runs * counts.steps));
}

export async function engineBaseline(steps: number, runs: number): Promise<EngineFigures> {
  const cue = await cueEngine();
  const app = workflowApp("engine-baseline", noopSteps(steps)) as unknown as Application;
  const cueRuns = Math.max(1, Math.ceil(runs / 10));
  return {
    steps,
    engine_ms_per_step: await msPerStep(app, cue, trivial, { runs, warmup: 10, steps }),
    engine_runs: runs,
    engine_cue_ms_per_step: await msPerStep(app, cue, cueRunners(cue), {
      runs: cueRuns,
      warmup: 2,
      steps,
    }),
    engine_cue_runs: cueRuns,
  };
}
