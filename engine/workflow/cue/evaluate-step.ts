/**
 * The runner for WorkflowStepDefinitions written in CUE with `import "vela/op"` (KubeVela's
 * custom steps). A run evaluates the template with cue-wasm action by action, as KubeVela
 * does: it lists the template's top-level fields that are actions (`#do` set) in field order,
 * evaluates the first one not yet performed, performs it through `WorkflowActions`, unifies
 * its result back into its field (`apply.workload`, `req.response`, `read.value` / `err`) and
 * starts over, so each action sees the results of those before it. `op.#Steps` runs its own
 * actions the same way. A false (or not yet decidable) `op.#ConditionalWait` ends the run as
 * `running` (reason `Wait`); `op.#Fail` as `failed` (reason `Action`); `op.#Suspend` as
 * `suspending`. When every action is done the step's `outputs` are resolved and it succeeds.
 *
 * The engine runs the step again (each reconcile) until it stops waiting; every run starts
 * from the template afresh. Applies and reads are performed again (idempotent); HTTP requests
 * other than GET/HEAD, deletes, logs and suspends are replayed from the step memo, so a
 * notification before or after a wait is sent once per step execution.
 */
import { CueEvaluationError, type CueEngine } from "../../cue/engine.js";
import type { StepOutcome, StepRunContext, StepRunner } from "../types.js";
import { actionPatchAnnotations } from "./action-patch.js";
import type { ActionContext, StepMemo, WorkflowActions } from "./actions.js";
import {
  actionValue,
  dotted,
  firstNotDone,
  guessedValue,
  listActions,
  type ActionValue,
  type NextAction,
} from "./action-listing.js";
import type { ActionKind } from "./op-library.js";
import { performAction } from "./perform.js";
import { prepareTemplate, valueSelect, type PreparedTemplate } from "./step-program.js";
import { resolveOutputs } from "./step-outputs.js";
import {
  evaluateStep,
  evaluationFailure,
  FailureReason,
  stepContext,
  StepFailure,
  stepWhere,
  type StepSession,
} from "./step-session.js";

export interface CueStepRunnerOptions {
  readonly cue: CueEngine;
  /** The definition's CUE template (`spec.schematic.cue.template`). */
  readonly template: string;
  readonly definitionName: string;
  readonly actions: WorkflowActions;
  /**
   * Results of non-idempotent actions, kept across runs of one step execution (the hub keeps
   * it in the workflow context). Without it, such actions are performed on every run.
   */
  readonly memo?: StepMemo;
  /** The most actions one run performs before it fails (a guard against loops; default 200). */
  readonly maxActions?: number;
}

/**
 * A `StepRunner` for one CUE WorkflowStepDefinition. Never throws for a bad template or a
 * failing action: those make the step `failed` with a message naming the application, the
 * step, the definition and the field or action (an aborted `signal` is rethrown).
 */
export function cueStepRunner(options: CueStepRunnerOptions): StepRunner {
  const where = `WorkflowStepDefinition "${options.definitionName}"`;
  const template = prepared(options.template, where);
  return {
    async run(ctx: StepRunContext): Promise<StepOutcome> {
      if (template instanceof Error) {
        const app = ctx.app.metadata.name;
        const message = `application "${app}", step "${ctx.step.name}": ${template.message}`;
        return { phase: "failed", reason: FailureReason.Rendering, message };
      }
      const session: StepSession = {
        cue: options.cue,
        template,
        definitionName: options.definitionName,
        ctx,
        context: stepContext(ctx),
        fills: [],
        done: new Set(),
      };
      const budget = { left: options.maxActions ?? 200 };
      try {
        const stop = await walk(options, session, [], budget);
        if (stop !== undefined) return stop;
        const outputs = resolveOutputs(session);
        return { phase: "succeeded", ...(outputs === undefined ? {} : { outputs }) };
      } catch (error) {
        if (ctx.signal?.aborted === true) throw error;
        return failedOutcome(session, error);
      }
    },
  };
}

function prepared(template: string, where: string): PreparedTemplate | Error {
  try {
    return prepareTemplate(template, where);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

function failedOutcome(session: StepSession, error: unknown): StepOutcome {
  const failure =
    error instanceof StepFailure
      ? error
      : error instanceof CueEvaluationError
        ? evaluationFailure(session, error)
        : new StepFailure(FailureReason.Execute, `${stepWhere(session)}: ${String(error)}`);
  return { phase: "failed", reason: failure.reason, message: failure.message };
}

/** Performs the actions under `path` in order; the outcome that stops the run, if any. */
async function walk(
  options: CueStepRunnerOptions,
  session: StepSession,
  path: readonly string[],
  budget: { left: number },
): Promise<StepOutcome | undefined> {
  let listing = listActions(session, path);
  for (let next = firstNotDone(session, path, listing); next;) {
    session.ctx.signal?.throwIfAborted();
    if (--budget.left < 0) {
      throw new StepFailure(
        FailureReason.Execute,
        `${stepWhere(session)}: more than ${options.maxActions ?? 200} actions in one run`,
      );
    }
    const stop =
      next.kind === "steps"
        ? await walk(options, session, next.path, budget)
        : await perform(options, session, next, guessedValue(listing, next));
    if (stop !== undefined) return stop;
    session.done.add(dotted(next.path));
    listing = listActions(session, path, firstNotDone(session, path, listing));
    next = firstNotDone(session, path, listing);
  }
  return undefined;
}

/** Evaluates one action, performs it and records its result for the next evaluations. */
async function perform(
  options: CueStepRunnerOptions,
  session: StepSession,
  next: NextAction,
  guessed: ActionValue | undefined,
): Promise<StepOutcome | undefined> {
  const action = dotted(next.path);
  const evaluated = guessed ?? actionValue(session, next);
  if ("undecided" in evaluated) {
    // A wait whose `continue` cannot be decided yet (the object has no status yet) waits.
    const message =
      waitMessage(session, next.path) ??
      `waiting for "${action}": its condition cannot be evaluated yet (${evaluated.undecided})`;
    return { phase: "running", reason: "Wait", message };
  }
  const value = evaluated.value;
  const { ctx } = session;
  try {
    const result = await performAction({
      kind: next.kind as Exclude<ActionKind, "steps">,
      value,
      actions: options.actions,
      ctx: actionContext(ctx, action),
      ...(options.memo === undefined ? {} : { memo: options.memo }),
      now: ctx.now,
      stepPhase: ctx.stepStatus.phase,
      patchAnnotations: () => actionPatchAnnotations(session.template.body, next.path),
    });
    if (result.stop !== undefined) return result.stop;
    if (result.fill !== undefined) session.fills.push({ path: next.path, value: result.fill });
    return undefined;
  } catch (error) {
    throw executeFailure(session, error, action);
  }
}

function actionContext(ctx: StepRunContext, action: string): ActionContext {
  return {
    app: ctx.app,
    stepName: ctx.step.name,
    stepId: ctx.stepStatus.id,
    action,
    ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
  };
}

/** What an action threw, as the step's failure (an abort is passed on as it is). */
function executeFailure(session: StepSession, error: unknown, action: string): unknown {
  if (error instanceof StepFailure || session.ctx.signal?.aborted === true) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new StepFailure(
    FailureReason.Execute,
    `${stepWhere(session)}, action "${action}": ${message}`,
    { cause: error },
  );
}

/** A pending wait's own `message`, when it can be evaluated on its own. */
function waitMessage(session: StepSession, path: readonly string[]): string | undefined {
  try {
    const message = evaluateStep(session, valueSelect([...path, "message"])).$value;
    return typeof message === "string" && message !== "" ? message : undefined;
  } catch {
    return undefined;
  }
}
