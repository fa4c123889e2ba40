/**
 * workflow (issue 7): the per-step overhead of a no-op workflow and the time to resume after
 * a hub restart.
 *
 * 1. Engine baseline, in process: `advance()` over BENCH_WORKFLOW_STEPS (default 50) noop
 *    steps with a trivial runner, and with the real CUE runner on the noop template.
 * 2. Through the hub (a one-cluster fleet, the hub controller as a process): BENCH_WORKFLOW_APPS
 *    (default 5) applications of 50 `noop` steps (a CUE WorkflowStepDefinition with no
 *    action), each timed from create to `status.workflow.phase: succeeded`, divided by 50
 *    (raw, nothing subtracted); a 1-step application before each gives the fixed cost.
 * 3. BENCH_WORKFLOW_RESTARTS (default 3) hub restarts with suspended workflows resumed while
 *    the hub is down (timed from the new process's spawn) and after it is ready (from the
 *    patch); `no_rerun` checks that the step before the suspend did not run again.
 *
 * Targets (issue text): <= 20 ms per step, resume <= 5 s. The phases live in bench/workflow/.
 */
import os from "node:os";
import { summarize } from "./stats.js";
import { engineBaseline, type EngineFigures } from "./workflow/engine.js";
import { hubSteps, type AppRun } from "./workflow/hub-steps.js";
import { resumes, type RestartRun } from "./workflow/resume.js";
import { log, startWorld } from "./workflow/world.js";

const targets = { ms_per_step: 20, resume_s: 5 };

function count(name: string, fallback: number, min = 1): number {
  const text = process.env[name];
  const n = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`${name}: an integer >= ${min}, got "${text}"`);
  return n;
}

const p50max = (values: readonly number[]) => {
  const s = summarize(values);
  return { p50: s.p50_ms, max: s.max_ms };
};

function hubFigures(runs: readonly AppRun[], steps: number) {
  const perStep = p50max(runs.map((r) => r.ms_per_step));
  return {
    hub_ms_per_step_p50: perStep.p50,
    hub_ms_per_step_max: perStep.max,
    hub_marginal_ms_per_step_p50: p50max(runs.map((r) => r.marginal_ms_per_step)).p50,
    hub_one_step_app_ms_p50: p50max(runs.map((r) => r.one_step_ms)).p50,
    hub_reconciles_per_app_p50: p50max(runs.map((r) => r.reconciles)).p50,
    hub_reconcile_ms_per_step_p50: p50max(runs.map((r) => r.reconcile_ms / steps)).p50,
    hub_cpu_ms_per_step_p50: p50max(runs.map((r) => r.hub_cpu_ms / steps)).p50,
  };
}

/** p50 of each start-up mark over the restarts whose log had them all. */
function startupP50(runs: readonly RestartRun[]) {
  const marks = runs.flatMap((r) => (r.startup === undefined ? [] : [r.startup]));
  if (marks.length === 0) return null;
  return {
    process_up: p50max(marks.map((m) => m.process_up_s)).p50,
    leading: p50max(marks.map((m) => m.leading_s)).p50,
    hub_started: p50max(marks.map((m) => m.hub_started_s)).p50,
  };
}

function resumeFigures(runs: readonly RestartRun[]) {
  const fromSpawn = p50max(runs.map((r) => r.resume_s));
  const fromPatch = p50max(runs.map((r) => r.resume_after_patch_s));
  return {
    resume_s_p50: fromSpawn.p50,
    resume_s_max: fromSpawn.max,
    resume_after_patch_s_p50: fromPatch.p50,
    resume_after_patch_s_max: fromPatch.max,
    hub_ready_s_p50: p50max(runs.map((r) => r.hub_ready_s)).p50,
    hub_startup_s_p50: startupP50(runs),
    no_rerun: runs.every((r) => r.no_rerun),
  };
}

export async function workflowBench(): Promise<Record<string, unknown>> {
  const steps = count("BENCH_WORKFLOW_STEPS", 50, 2);
  const apps = count("BENCH_WORKFLOW_APPS", 5);
  const restarts = count("BENCH_WORKFLOW_RESTARTS", 3);
  const load = os.loadavg().map((l) => Number(l.toFixed(2)));
  log(
    `${steps} steps, ${apps} apps, ${restarts} restarts; load ${load.join(" ")} on ${os.cpus().length} cores`,
  );
  const engine: EngineFigures = await engineBaseline(steps, 200);
  log(
    `engine: ${engine.engine_ms_per_step} ms/step (trivial runner), ` +
      `${engine.engine_cue_ms_per_step} ms/step (CUE noop runner)`,
  );
  const world = await startWorld();
  let stepRuns: AppRun[];
  let restartRuns: RestartRun[];
  let settledByPoll: number;
  try {
    stepRuns = await hubSteps(world, apps, steps);
    restartRuns = await resumes(world, restarts);
    settledByPoll = world.settledByPoll();
  } finally {
    await world.stop();
  }
  const hub = hubFigures(stepRuns, steps);
  const resume = resumeFigures(restartRuns);
  const met = {
    ms_per_step: hub.hub_ms_per_step_max <= targets.ms_per_step,
    resume_s: resume.resume_s_max <= targets.resume_s,
    resume_after_patch_s: resume.resume_after_patch_s_max <= targets.resume_s,
  };
  console.log(
    `hub: ${hub.hub_ms_per_step_p50} ms/step p50 (max ${hub.hub_ms_per_step_max}) vs engine ` +
      `${engine.engine_ms_per_step} (CUE ${engine.engine_cue_ms_per_step}); resume ${resume.resume_s_p50} s ` +
      `p50 (max ${resume.resume_s_max}) from spawn, ${resume.resume_after_patch_s_p50} s p50 ` +
      `(max ${resume.resume_after_patch_s_max}) from the patch; no re-run ${String(resume.no_rerun)}`,
  );
  return {
    bench: "workflow",
    steps,
    apps,
    restarts,
    engine_ms_per_step: engine.engine_ms_per_step,
    engine_cue_ms_per_step: engine.engine_cue_ms_per_step,
    ...hub,
    ...resume,
    detail: { engine, apps: stepRuns, restarts: restartRuns },
    waits_settled_by_poll: settledByPoll,
    cpus: os.cpus().length,
    load_before: load,
    targets,
    met,
    targets_met: resume.no_rerun && Object.values(met).every(Boolean),
  };
}
