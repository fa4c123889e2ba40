/**
 * Resync sweeps, read from the restarted hub's `flotilla_reconcile_total`, with nothing
 * changed since every application became running.
 *
 * The hub is restarted with `--state-keep-interval 1s`. A new process enqueues every
 * application once (its informer's list); the work queue is FIFO and a key reconciled is
 * re-added only `1s` later, behind every key still waiting, so:
 *
 * - reconciles 1..N are the restart sweep: every application once, from an empty memory
 *   (uncached render, tracker read, apply to both members, health read-back);
 * - reconciles N+1..2N are a state-keep sweep: every application once more, each due (its
 *   last apply is more than 1 s old), so each re-applies its objects to both members
 *   (drift correction) with a cached render. The queue never runs dry while it lasts
 *   (checked: `flotilla_workqueue_depth` stays above 0), so its duration is the hub's
 *   throughput on this machine, what a sweep takes when every application falls due at
 *   once — not the period.
 *
 * The restart sweep is timed from `/readyz` (informers listed, every key enqueued) to N
 * reconciles; the time from spawning the process is reported beside it. Both sweeps are
 * scaled to exactly N reconciles from the counts between the two polls (200 ms apart) that
 * bound them.
 */
import { peakRssMiB } from "../rss.js";
import type { World } from "./world.js";
import { startHubProcess } from "./world.js";
import { between, log, mark, markWhen, rssSampler, round } from "./probe.js";

export interface SweepResult {
  readonly restart_sweep_s: number;
  /** From spawning the process (CUE start-up, lists, Lease) to N reconciles. */
  readonly restart_total_s: number;
  readonly restart: ReturnType<typeof between>;
  readonly state_keep_sweep_s: number;
  readonly state_keep: ReturnType<typeof between> & { saturated: boolean; min_depth: number };
  readonly rss_mib: number;
  readonly rss_peak_mib: number;
}

/** Seconds for `count` reconciles at the interval's rate (polls overshoot by a few). */
const perSweep = (i: { seconds: number; reconciles: number }, count: number): number =>
  round((i.seconds * count) / Math.max(1, i.reconciles), 1);

export async function sweepPhase(world: World, count: number): Promise<SweepResult> {
  const hub = await startHubProcess(world, "1s");
  const rss = rssSampler(hub.pid);
  try {
    const ready = await mark(hub, world.groups);
    const timeoutMs = Math.max(600_000, count * 600);
    const restarted = await markWhen(hub, world.groups, (c) => c.reconciles >= count, timeoutMs);
    const restart = between(ready, restarted.mark);
    log(`restart sweep: ${count} reconciles in ${restart.seconds} s after /readyz`);
    const swept = await markWhen(hub, world.groups, (c) => c.reconciles >= 2 * count, timeoutMs);
    const stateKeep = between(restarted.mark, swept.mark);
    log(`state-keep sweep: ${count} reconciles in ${stateKeep.seconds} s`);
    return {
      restart_sweep_s: perSweep(restart, count),
      restart_total_s: round((restarted.mark.at - hub.spawnedAt) / 1000, 1),
      restart,
      state_keep_sweep_s: perSweep(stateKeep, count),
      state_keep: {
        ...stateKeep,
        saturated: swept.minDepth > 0,
        min_depth: swept.minDepth,
      },
      rss_mib: round(rss.stop(), 1),
      rss_peak_mib: round(peakRssMiB(hub.pid), 1),
    };
  } finally {
    rss.stop();
    await hub.stop();
  }
}
