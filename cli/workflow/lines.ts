/**
 * The Workflow section of `flotilla status <app>` (pure), laid out as `vela status` prints it:
 * the mode, the phase, KubeVela's `finished` / `Suspend` / `Terminated` flags, the message
 * when there is one, then every step reached so far with its type, phase, reason and message,
 * a step-group's sub-steps indented under it. Steps not reached yet are not in the status and
 * are not shown (as in KubeVela).
 */
import type { StepView, WorkflowView } from "./view.js";

/** One line per field of a step; multi-line messages stay under their key. */
function stepLines(step: StepView, indent: string): string[] {
  const field = (key: string, value: string | undefined): string[] =>
    value === undefined ? [] : [`${indent}  ${key}: ${value.replaceAll("\n", `\n${indent}    `)}`];
  const sub = step.subSteps.flatMap((s) => stepLines(s, `${indent}    `));
  return [
    `${indent}- name: ${step.name}`,
    ...field("id", step.id),
    ...field("type", step.type),
    ...field("phase", step.phase),
    ...field("reason", step.reason),
    ...field("message", step.message),
    ...(sub.length === 0 ? [] : [`${indent}  subSteps:`, ...sub]),
  ];
}

/** The section's lines, starting with `Workflow:` (no blank line after it ends). */
export function workflowLines(workflow: WorkflowView): string[] {
  const steps =
    workflow.steps.length === 0
      ? ["  No step started yet."]
      : workflow.steps.flatMap((s) => stepLines(s, "  "));
  return [
    "Workflow:",
    "",
    `  mode: ${workflow.mode}`,
    `  phase: ${workflow.phase ?? "-"}`,
    `  finished: ${String(workflow.finished)}`,
    `  Suspend: ${String(workflow.suspend)}`,
    `  Terminated: ${String(workflow.terminated)}`,
    ...(workflow.message === undefined ? [] : [`  message: ${workflow.message}`]),
    "  Steps",
    ...steps,
  ];
}
