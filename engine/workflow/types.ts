/**
 * The workflow engine's vocabulary (pure types): KubeVela's `status.workflow` shape
 * (`common.WorkflowStatus`, `v1alpha1.StepStatus`), the contract a step runner fulfils, and the
 * input and result of one `advance` call. Runners do the step's work (render and apply, HTTP,
 * CUE actions); the engine decides which steps run, when, and what the status becomes.
 */
import type { CueEngine } from "../cue/engine.js";
import type { Application, WorkflowStep } from "../oam/types.js";

export type StepPhase = "pending" | "running" | "succeeded" | "failed" | "skipped" | "suspending";

export interface StepStatus {
  id: string;
  name: string;
  type: string;
  phase: StepPhase;
  reason?: string;
  message?: string;
  firstExecuteTime?: string;
  lastExecuteTime?: string;
  /** Only on `step-group` steps. */
  subSteps?: StepStatus[];
}

export type WorkflowPhase =
  "initializing" | "executing" | "suspending" | "terminated" | "failed" | "succeeded";

/** KubeVela's `status.workflow`. */
export interface WorkflowStatus {
  appRevision?: string;
  /** `<steps mode>-<subSteps mode>`, e.g. `StepByStep-DAG`. */
  mode: string;
  phase: WorkflowPhase;
  message?: string;
  suspend: boolean;
  suspendState?: string;
  terminated: boolean;
  finished: boolean;
  contextBackend?: {
    apiVersion: "v1";
    kind: "ConfigMap";
    name: string;
    namespace: string;
    uid?: string;
  };
  steps: StepStatus[];
  startTime?: string;
  endTime?: string;
}

export interface StepRunContext {
  app: Application;
  /** The step as written, with `properties` filled from its `inputs`. */
  step: WorkflowStep;
  /** The step's input values, keyed by each input's `from`. */
  inputs: Record<string, unknown>;
  /** The step's status before this run (phase `running` after a manual resume). */
  stepStatus: StepStatus;
  now: Date;
  signal?: AbortSignal;
}

export type StepOutcome =
  | { phase: "succeeded"; outputs?: Record<string, unknown>; message?: string }
  | { phase: "running"; reason: string; message?: string; retryAfterMs?: number }
  | { phase: "failed"; reason: string; message: string }
  | { phase: "suspending"; message?: string; resumeAt?: string };

export interface StepRunner {
  run(ctx: StepRunContext): Promise<StepOutcome>;
}

/** The runner for a step type; `undefined` makes the step fail, naming the unknown type. */
export type RunnerFor = (stepType: string) => StepRunner | undefined;

export interface WorkflowEvent {
  type: "Normal" | "Warning";
  reason: string;
  message: string;
}

export interface AdvanceInput {
  app: Application;
  /** The persisted `status.workflow`; absent on the first run (or to restart). */
  previous?: WorkflowStatus;
  /** The persisted workflow context (outputs by name, plus the engine's retry counters). */
  context: Record<string, unknown>;
  now: Date;
  /** Evaluates `if` expressions. */
  cue: CueEngine;
  runnerFor: RunnerFor;
  /** The application revision being delivered (`status.workflow.appRevision`). */
  revision: string;
  /** DAG mode: at most this many steps run at once (default 16). */
  maxParallel?: number;
  signal?: AbortSignal;
}

export interface AdvanceResult {
  status: WorkflowStatus;
  context: Record<string, unknown>;
  /** Call `advance` again after this long (a wait, a suspend duration, a timeout). */
  requeueAfterMs?: number;
  events: WorkflowEvent[];
}

/** Step reasons the engine writes (KubeVela's `StatusReason*`, plus `Condition` and `UnknownType`). */
export const StepReason = {
  Wait: "Wait",
  Skip: "Skip",
  Suspend: "Suspend",
  Terminate: "Terminate",
  Timeout: "Timeout",
  Execute: "Execute",
  FailedAfterRetries: "FailedAfterRetries",
  Input: "Input",
  Condition: "Condition",
  UnknownType: "UnknownType",
  /** `op.#Fail` in a CUE step (KubeVela ends the workflow without retries). */
  Action: "Action",
  /** The step's CUE did not evaluate. */
  Rendering: "Rendering",
  /** The step's properties do not fit its parameter. */
  ProcessParameter: "ProcessParameter",
  /** An output could not be resolved. */
  Output: "Output",
} as const;
