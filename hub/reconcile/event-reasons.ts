/**
 * The reasons of the hub's Application events: KubeVela's (apis/types/event.go) where they
 * mean the same, so alert rules and `kubectl get events` filters written for vela-core match.
 * docs/hub.md lists the mapping. Pure.
 */
import type { ApplicationPhase } from "../../engine/oam/status.js";

export const EventReason = {
  /** The application could not be parsed (or its revision resolved). */
  failedParse: "FailedParse",
  /** A policy (placement) failed: KubeVela's reason for a failed `ApplyPolicies`. */
  failedPolicy: "FailedApply",
  /** Rendering (a definition's CUE, the workflow spec) failed. */
  failedRender: "FailedRender",
  /** Applying to a member cluster failed. */
  failedApply: "FailedApply",
  /** Deleting what the application delivered failed (KubeVela's garbage collection). */
  failedGC: "FailedGC",
  /** Delivered everywhere (phase `running`). */
  deployed: "Deployed",
  /** Flotilla's own: the application is being deleted. */
  deleting: "Deleting",
} as const;

/** The warning reason when the reconcile stopped at `stage`. */
export function stageFailedReason(stage: "Parsed" | "Policy" | "Rendered"): string {
  if (stage === "Parsed") return EventReason.failedParse;
  return stage === "Policy" ? EventReason.failedPolicy : EventReason.failedRender;
}

/**
 * The reason of the Normal event recorded when the phase changes: KubeVela's `Deployed` for
 * `running`, otherwise the phase in UpperCamelCase (`Unhealthy`, `RunningWorkflow`, …).
 */
export function phaseReason(phase: ApplicationPhase): string {
  if (phase === "running") return EventReason.deployed;
  return phase.charAt(0).toUpperCase() + phase.slice(1);
}
