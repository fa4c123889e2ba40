/**
 * Resume after a hub restart. Per restart, two held applications (`before → hold (suspend) →
 * after`) wait at `hold`; the hub is stopped (SIGTERM), one application is resumed while it is
 * down (merge patch `status.workflow.suspend: false`), the hub process is spawned again and,
 * once ready, the other one is resumed. Timed until the watch shows step `after` succeeded:
 *
 * - `resume_s`: the first application, from the new hub process's spawn (start-up, leader
 *   election, CUE initialisation, informer sync, the restart sweep's reconcile);
 * - `resume_after_patch_s`: the second one, from its resume patch on a running hub.
 *
 * `no_rerun`: step `before` of both kept its firstExecuteTime and lastExecuteTime.
 */
import type { JsonObject } from "../../core/json.js";
import { HELD_STEPS, workflowApp } from "./apps.js";
import { readStartupMarks, type StartupMarks } from "./hub-log.js";
import { stepOf } from "./status.js";
import { log, type World } from "./world.js";

export interface RestartRun {
  readonly hub_ready_s: number;
  /** From the hub's log: spawn to process up, to leading, to started (informers synced). */
  readonly startup: StartupMarks | undefined;
  readonly resume_s: number;
  readonly resume_after_patch_s: number;
  readonly no_rerun: boolean;
}

const r3 = (n: number): number => Number(n.toFixed(3));

/** `before` succeeded and `hold` suspending: the step's times, to compare after the restart. */
function held(app: JsonObject): string | undefined {
  const before = stepOf(app, "before");
  if (before?.phase !== "succeeded" || stepOf(app, "hold")?.phase !== "suspending") return;
  return `${before.firstExecuteTime}/${before.lastExecuteTime}`;
}

function afterDone(app: JsonObject): string | undefined {
  const after = stepOf(app, "after");
  if (after?.phase === "failed") throw new Error(`step "after" failed: ${after.message ?? ""}`);
  if (after?.phase !== "succeeded") return;
  const before = stepOf(app, "before");
  return `${before?.firstExecuteTime}/${before?.lastExecuteTime}`;
}

async function oneRestart(world: World, i: number): Promise<RestartRun> {
  const [down, up] = [`held-down-${i}`, `held-up-${i}`];
  await world.create("applications", workflowApp(down, HELD_STEPS));
  await world.create("applications", workflowApp(up, HELD_STEPS));
  const times = await Promise.all([
    world.until(down, "suspended at hold", held),
    world.until(up, "suspended at hold", held),
  ]);
  await world.stopHub();
  await world.patchStatus(down, { workflow: { suspend: false } });
  const downDone = world.until(down, "step after succeeded", afterDone);
  const hub = await world.startHub();
  const patchedAt = performance.now();
  await world.patchStatus(up, { workflow: { suspend: false } });
  const [a, b] = await Promise.all([downDone, world.until(up, "step after succeeded", afterDone)]);
  return {
    hub_ready_s: r3((hub.readyAt - hub.spawnedAt) / 1000),
    startup: readStartupMarks(hub.logFile, hub.spawnedAtEpochMs),
    resume_s: r3((a.at - hub.spawnedAt) / 1000),
    resume_after_patch_s: r3((b.at - patchedAt) / 1000),
    no_rerun: a.value === times[0].value && b.value === times[1].value,
  };
}

export async function resumes(world: World, restarts: number): Promise<RestartRun[]> {
  const runs: RestartRun[] = [];
  for (let i = 1; i <= restarts; i += 1) {
    const run = await oneRestart(world, i);
    const s = run.startup;
    const marks =
      s === undefined
        ? ""
        : ` (process up ${s.process_up_s} s, leading ${s.leading_s} s, started ${s.hub_started_s} s)`;
    log(
      `restart ${i}: hub ready ${run.hub_ready_s} s${marks}, resumed-while-down done ${run.resume_s} s ` +
        `after spawn, resumed-after-ready done ${run.resume_after_patch_s} s after the patch, ` +
        `no re-run ${String(run.no_rerun)}`,
    );
    runs.push(run);
  }
  return runs;
}
