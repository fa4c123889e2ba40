/**
 * Per-step overhead through the hub: the `noop` WorkflowStepDefinition is created, a 1-step
 * warm-up application succeeds (retried while the hub has not seen the definition yet), then
 * `apps` times in turn: a 1-step application (the fixed cost of a workflow: watch event,
 * reconcile, context ConfigMap, status write) and an N-step one, each timed from the create
 * call to the watch event showing `status.workflow.phase: succeeded`. Per N-step application
 * also the hub's reconciles and their summed duration (its /metrics) and the hub process's
 * CPU time (/proc).
 */
import { cpuMs, hubCounters } from "../hub-scale/probe.js";
import { NOOP, noopDefinition, noopSteps, workflowApp } from "./apps.js";
import { stepSpanMs, succeeded, workflowOf } from "./status.js";
import { log, sleep, type World } from "./world.js";

export interface AppRun {
  readonly one_step_ms: number;
  readonly n_steps_ms: number;
  /** n_steps_ms / steps: the raw figure. */
  readonly ms_per_step: number;
  /** (n_steps_ms - one_step_ms) / (steps - 1): the cost of one more step. */
  readonly marginal_ms_per_step: number;
  readonly reconciles: number;
  readonly reconcile_ms: number;
  readonly hub_cpu_ms: number;
  /** First step's firstExecuteTime to last step's lastExecuteTime. */
  readonly status_span_ms: number | undefined;
}

const r1 = (n: number): number => Number(n.toFixed(1));
const r3 = (n: number): number => Number(n.toFixed(3));

/** Creates the application and resolves with ms until its workflow succeeded. */
async function timed(world: World, name: string, steps: number) {
  const start = performance.now();
  await world.create("applications", workflowApp(name, noopSteps(steps)));
  const seen = await world.until(name, "workflow succeeded", succeeded);
  return { ms: seen.at - start, workflow: seen.value };
}

/** Until the hub runs the noop step (its definition informer has caught up). */
async function warmUp(world: World): Promise<void> {
  await world.create("workflowstepdefinitions", noopDefinition);
  for (let attempt = 1; ; attempt += 1) {
    const name = `warm-up-${attempt}`;
    await world.create("applications", workflowApp(name, noopSteps(1)));
    const seen = await world.until(name, "workflow finished", (app) =>
      workflowOf(app)?.finished === true ? workflowOf(app) : undefined,
    );
    if (seen.value?.phase === "succeeded") return;
    const message = seen.value?.steps[0]?.message ?? "";
    if (attempt >= 10) throw new Error(`warm-up: the ${NOOP} step never succeeded: ${message}`);
    log(`warm-up ${attempt}: ${message}; again`);
    await sleep(1_000);
  }
}

async function oneRun(world: World, i: number, steps: number): Promise<AppRun> {
  const one = await timed(world, `one-step-${i}`, 1);
  const hub = world.hub();
  const before = { counters: await hubCounters(hub.metricsUrl), cpu: cpuMs(hub.pid) };
  const many = await timed(world, `steps-${steps}-${i}`, steps);
  await sleep(300); // the reconcile that wrote the status is counted once it has returned
  const after = { counters: await hubCounters(hub.metricsUrl), cpu: cpuMs(hub.pid) };
  return {
    one_step_ms: r1(one.ms),
    n_steps_ms: r1(many.ms),
    ms_per_step: r3(many.ms / steps),
    marginal_ms_per_step: r3((many.ms - one.ms) / Math.max(1, steps - 1)),
    reconciles: after.counters.reconciles - before.counters.reconciles,
    reconcile_ms: r1((after.counters.durationSum - before.counters.durationSum) * 1000),
    hub_cpu_ms: r1(after.cpu - before.cpu),
    status_span_ms: stepSpanMs(many.workflow),
  };
}

export async function hubSteps(world: World, apps: number, steps: number): Promise<AppRun[]> {
  await warmUp(world);
  const runs: AppRun[] = [];
  for (let i = 1; i <= apps; i += 1) {
    const run = await oneRun(world, i, steps);
    log(
      `app ${i}: 1 step ${run.one_step_ms} ms, ${steps} steps ${run.n_steps_ms} ms ` +
        `(${run.ms_per_step} ms/step, marginal ${run.marginal_ms_per_step} ms/step); ` +
        `${run.reconciles} reconcile(s) ${run.reconcile_ms} ms, hub CPU ${run.hub_cpu_ms} ms`,
    );
    runs.push(run);
  }
  return runs;
}
