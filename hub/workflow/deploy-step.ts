/**
 * The native `deploy` step (pure given what the reconcile found). Its unit's objects are
 * delivered by the hub's normal delivery once the step has started (release.ts), so the
 * step itself only judges the unit: still being delivered, a cluster failing (retried), not
 * yet healthy (KubeVela's deploy waits for healthy resources), or done. `auto: false` holds
 * the step suspended until it is resumed (KubeVela's manual approval), before anything is
 * delivered.
 */
import type { ServiceStatus } from "../../engine/oam/status.js";
import type { StepOutcome, StepRunContext, StepRunner } from "../../engine/workflow/types.js";

/** What the reconcile knows of one deploy unit (by step name). */
export interface UnitView {
  /** The unit's objects were part of this reconcile's delivery. */
  readonly delivered: boolean;
  /** Clusters of the unit whose delivery failed, with the first error. */
  readonly errors: ReadonlyArray<{ readonly cluster: string; readonly message: string }>;
  /** The unit's services as last judged. */
  readonly services: readonly ServiceStatus[];
}

const WAIT = "Wait";

function judge(step: string, view: UnitView): StepOutcome {
  if (!view.delivered)
    return { phase: "running", reason: WAIT, message: "delivering", retryAfterMs: 0 };
  if (view.errors.length > 0) {
    const message = view.errors.map((e) => `cluster ${e.cluster}: ${e.message}`).join("; ");
    return { phase: "running", reason: WAIT, message: `step "${step}": ${message}` };
  }
  const waiting = view.services.filter((s) => !s.healthy);
  if (waiting.length > 0) {
    const names = waiting.map((s) => `${s.name}@${s.cluster}`).join(", ");
    return { phase: "running", reason: WAIT, message: `waiting for healthy: ${names}` };
  }
  return { phase: "succeeded" };
}

/** The runner for `deploy` steps; `unit(step)` is the reconcile's view of that step's unit. */
export function deployRunner(unit: (step: string) => UnitView): StepRunner {
  return {
    run(ctx: StepRunContext): Promise<StepOutcome> {
      const manual = ctx.step.properties?.auto === false;
      if (manual && ctx.stepStatus.phase !== "running") {
        return Promise.resolve({
          phase: "suspending",
          message: "auto is false: resume the workflow to deploy",
        });
      }
      return Promise.resolve(judge(ctx.step.name, unit(ctx.step.name)));
    },
  };
}
