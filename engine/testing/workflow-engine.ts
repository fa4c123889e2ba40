/**
 * Helpers for the workflow engine's unit tests: an Application with a given workflow, and
 * recording step runners (small in-memory functions standing for step types, not Kubernetes
 * fakes) whose behaviour per step name the test chooses.
 */
import { cueEngine, type CueEngine } from "../cue/engine.js";
import type { Application, WorkflowStep } from "../oam/types.js";
import { advance } from "../workflow/engine.js";
import type {
  AdvanceInput,
  AdvanceResult,
  RunnerFor,
  StepOutcome,
  StepRunContext,
  WorkflowStatus,
} from "../workflow/types.js";

export type Behaviour = (ctx: StepRunContext) => StepOutcome | Promise<StepOutcome>;

export function appWith(
  steps: WorkflowStep[],
  options: {
    mode?: { steps?: string; subSteps?: string };
    components?: Application["spec"]["components"];
  } = {},
): Application {
  return {
    apiVersion: "core.oam.dev/v1beta1",
    kind: "Application",
    metadata: { name: "shop", namespace: "prod" },
    spec: {
      components: options.components ?? [],
      workflow: { steps, ...(options.mode === undefined ? {} : { mode: options.mode }) },
    },
  };
}

export interface Recorder {
  /** Step names in the order their runner was called. */
  readonly calls: string[];
  /** Every run's context, in call order. */
  readonly runs: StepRunContext[];
  readonly runnerFor: RunnerFor;
}

/** Runners for every type but `no-such-type`: record the call, then behave as told (default: succeed). */
export function recorder(behaviours: Record<string, Behaviour> = {}): Recorder {
  const calls: string[] = [];
  const runs: StepRunContext[] = [];
  return {
    calls,
    runs,
    runnerFor: (type) =>
      type === "no-such-type"
        ? undefined
        : {
            run: async (ctx) => {
              calls.push(ctx.step.name);
              runs.push(ctx);
              const behave = behaviours[ctx.step.name];
              return behave === undefined ? { phase: "succeeded" } : await behave(ctx);
            },
          },
  };
}

let cue: Promise<CueEngine> | undefined;

/** The real CUE engine, initialised once per test file. */
export function sharedCue(): Promise<CueEngine> {
  cue ??= cueEngine();
  return cue;
}

export const T0 = new Date("2025-01-01T00:00:00.000Z");

export const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1_000);

export interface StepOptions {
  /** Edits the persisted status before the call (a caller's suspend, resume, terminate). */
  edit?: (status: WorkflowStatus) => WorkflowStatus;
  revision?: string;
  app?: Application;
}

export interface Driver {
  /** One `advance` call from the last persisted status and context. */
  step(now?: Date, options?: StepOptions): Promise<AdvanceResult>;
  readonly last: AdvanceResult | undefined;
}

function persistedStatus(
  last: AdvanceResult | undefined,
  edit: StepOptions["edit"],
): WorkflowStatus | undefined {
  if (last === undefined) return undefined;
  const copy = structuredClone(last.status);
  return edit === undefined ? copy : edit(copy);
}

/** Calls `advance` repeatedly, persisting status and context between calls as the hub does. */
export async function driver(
  app: Application,
  runnerFor: RunnerFor,
  extra: Partial<AdvanceInput> = {},
): Promise<Driver> {
  const engine = await sharedCue();
  let last: AdvanceResult | undefined;
  return {
    get last() {
      return last;
    },
    async step(now = T0, options = {}) {
      const previous = persistedStatus(last, options.edit);
      const input: AdvanceInput = {
        app: options.app ?? app,
        context: structuredClone(last?.context ?? {}),
        now,
        cue: engine,
        runnerFor,
        revision: options.revision ?? "shop-v1",
        ...extra,
      };
      last = await advance(previous === undefined ? input : { ...input, previous });
      return last;
    },
  };
}

/** Phases of the top-level steps by name. */
export function phases(status: WorkflowStatus): Record<string, string> {
  return Object.fromEntries(status.steps.map((s) => [s.name, s.phase]));
}
