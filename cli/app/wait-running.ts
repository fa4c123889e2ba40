/**
 * `flotilla up --wait`: after applying, wait until the hub reports each application `running`
 * for the generation just applied (`status.observedGeneration`), as `vela up --wait` does.
 * A stage that failed on the application's own input (parse, placement, render: the phases
 * `rendering` and `policyGenerating` with a False condition) ends the wait at once with that
 * condition's message — waiting longer cannot help; running out of time names the phase and
 * every condition that is not True.
 *
 * A new `app.oam.dev/publishVersion` changes no generation, so the wait also compares the
 * revision the hub delivers (`status.latestRevision.revisionHash`) with the hash of the spec
 * and publishVersion just applied (engine/revision). Under an unchanged publishVersion an edited
 * spec is held by the hub, by design: that counts as reconciled, once the revision read back
 * shows the same publishVersion.
 */
import { sleep, type Clock } from "../../core/controller/clock.js";
import { InvalidInputError, UpstreamUnavailableError } from "../../core/errors.js";
import {
  latestRevisionOf,
  publishVersionOf,
  revisionHash,
} from "../../engine/revision/revision.js";
import type { ApplicationsClient } from "./applications.js";
import { describeApp, statusView, type AppRef, type LiveApplication } from "./live-app.js";
import { formatElapsed } from "./time.js";

export interface WaitRunningOptions {
  readonly apps: ApplicationsClient;
  /** The publishVersion of the application's revision `name` (undefined: none or no revision). */
  readonly publishVersionOf?: (ref: AppRef, name: string) => Promise<string | undefined>;
  readonly ref: AppRef;
  readonly clock: Clock;
  readonly timeoutMs: number;
  /** Between reads; default 1 s. */
  readonly intervalMs?: number;
}

type Verdict = { done: true } | { done: false; failed?: string; waiting: string };

/** Where the application stands for `generation` (pure). */
export function runningVerdict(app: LiveApplication, generation: number | undefined): Verdict {
  const observed = app.status?.observedGeneration;
  if (generation !== undefined && observed !== generation) {
    return { done: false, waiting: "the hub has not reconciled this version yet" };
  }
  const view = statusView(app);
  if (view.phase === "running") return { done: true };
  const notTrue = view.conditions.filter((c) => c.status !== "True");
  const reasons = notTrue.map((c) => `${c.type}: ${c.message ?? c.reason}`).join("; ");
  const waiting = `phase ${view.phase ?? "(none yet)"}${reasons === "" ? "" : ` (${reasons})`}`;
  const inputFailed = view.phase === "rendering" || view.phase === "policyGenerating";
  return {
    done: false,
    waiting,
    ...(inputFailed && notTrue.length > 0 ? { failed: reasons } : {}),
  };
}

/** Why the hub has not published what was applied as its revision yet; undefined when it has. */
async function revisionWaiting(
  app: LiveApplication,
  options: WaitRunningOptions,
): Promise<string | undefined> {
  const latest = latestRevisionOf(app.status);
  if (latest === undefined) return undefined;
  const version = publishVersionOf(app.metadata);
  if (latest.revisionHash === revisionHash(app.spec, version)) return undefined;
  // the edit is held under the same publishVersion: that is the hub's answer
  if (
    version !== undefined &&
    (await options.publishVersionOf?.(options.ref, latest.name)) === version
  )
    return undefined;
  return `the hub still delivers revision ${latest.name}, not what was applied`;
}

/** Resolves with the time it took; throws as described above. */
export async function waitUntilRunning(
  options: WaitRunningOptions,
  generation: number | undefined,
): Promise<number> {
  const start = options.clock.now();
  for (;;) {
    const app = await options.apps.get(options.ref);
    const pending = await revisionWaiting(app, options);
    const verdict: Verdict =
      pending === undefined ? runningVerdict(app, generation) : { done: false, waiting: pending };
    const elapsed = options.clock.now() - start;
    if (verdict.done) return elapsed;
    if (verdict.failed !== undefined) {
      throw new InvalidInputError(`${describeApp(options.ref)} cannot run: ${verdict.failed}`);
    }
    if (elapsed >= options.timeoutMs) {
      throw new UpstreamUnavailableError(
        `${describeApp(options.ref)} is not running after ${formatElapsed(elapsed)}: ${verdict.waiting}`,
      );
    }
    await sleep(options.clock, options.intervalMs ?? 1_000);
  }
}
