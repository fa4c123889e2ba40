/**
 * One run of a CUE step: what the template evaluates with (KubeVela's workflow `context`, the
 * properties, the inputs), the results unified back so far, and the failures the run reports
 * (pure apart from the CUE engine). A failure names the application, the step, the definition
 * and the template field or action, with CUE's own message.
 */
import { CueEvaluationError, type CueEngine } from "../../cue/engine.js";
import { isObject, type JsonObject } from "../../../core/json.js";
import { describeProblem } from "../../render/evaluate.js";
import type { StepRunContext } from "../types.js";
import { stepProgram, type Fill, type PreparedTemplate } from "./step-program.js";

export interface StepSession {
  readonly cue: CueEngine;
  readonly template: PreparedTemplate;
  readonly definitionName: string;
  readonly ctx: StepRunContext;
  readonly context: JsonObject;
  readonly fills: Fill[];
  /** Action paths performed in this run (dotted). */
  readonly done: Set<string>;
}

/** KubeVela's reasons for a step that failed in its template or its actions. */
export const FailureReason = {
  Rendering: "Rendering",
  Parameter: "ProcessParameter",
  Execute: "Execute",
  Output: "Output",
} as const;

/** A step failure with its reason (internal to a run; it becomes a `failed` outcome). */
export class StepFailure extends Error {
  readonly reason: string;
  constructor(reason: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StepFailure";
    this.reason = reason;
  }
}

const annotation = (app: StepRunContext["app"], key: string): string | undefined =>
  app.metadata.annotations?.[key];

/** KubeVela's workflow-step `context` (kubevela/workflow `pkg/cue/model/keyword.go`). */
export function stepContext(ctx: StepRunContext): JsonObject {
  const { app, stepStatus } = ctx;
  const revision = (app as { status?: { latestRevision?: { name?: unknown } } }).status
    ?.latestRevision?.name;
  const publishVersion = annotation(app, "app.oam.dev/publishVersion");
  return {
    name: app.metadata.name,
    namespace: app.metadata.namespace ?? "default",
    appName: app.metadata.name,
    ...(typeof revision === "string" ? { appRevision: revision } : {}),
    ...(publishVersion === undefined ? {} : { publishVersion }),
    workflowName: annotation(app, "app.oam.dev/workflowName") ?? app.metadata.name,
    appLabels: app.metadata.labels ?? {},
    appAnnotations: app.metadata.annotations ?? {},
    stepName: stepStatus.name,
    stepSessionID: stepStatus.id,
    spanID: stepStatus.id,
  };
}

/** Evaluates the step program with `select` exported (and `scoped` added to the template). */
export function evaluateStep(session: StepSession, select: string, scoped?: string): JsonObject {
  const value = session.cue.evaluate(
    stepProgram({
      template: session.template,
      parameter: session.ctx.step.properties,
      context: session.context,
      inputs: session.ctx.inputs,
      fills: session.fills,
      select,
      ...(scoped === undefined ? {} : { scoped }),
    }),
  );
  return isObject(value) ? value : {};
}

/** Where a failure happened, for people: `application "a", step "s" (WorkflowStepDefinition "d")`. */
export function stepWhere(session: StepSession): string {
  const app = session.ctx.app.metadata.name;
  const step = session.ctx.step.name;
  return `application "${app}", step "${step}" (WorkflowStepDefinition "${session.definitionName}")`;
}

/** CUE's messages without the program's own names: `_t.`, and `$value` for the action. */
function templatePath(path: string | undefined, action: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  const local = path.replace(/^_t\./, "");
  if (action !== undefined && /^\$value(\.|$)/.test(local))
    return action + local.slice("$value".length);
  return /^\$/.test(local) ? action : local;
}

/** True for CUE's "not known yet" failures (as opposed to conflicts and bad values). */
export function isIncomplete(error: unknown): boolean {
  return (
    error instanceof CueEvaluationError &&
    /incomplete value|non-concrete value|cannot reference optional field|undefined field/.test(
      error.detail,
    )
  );
}

/**
 * The failure for a CUE evaluation error while evaluating `action` (a dotted path) or the
 * template as a whole. When the step's properties do not fit the template's `parameter`,
 * that is reported instead, as `parameter.<name>`.
 */
export function evaluationFailure(
  session: StepSession,
  error: CueEvaluationError,
  action?: string,
): StepFailure {
  const parameterError = parameterProblem(session);
  const chosen = parameterError ?? error;
  const field = templatePath(chosen.path, parameterError === undefined ? action : undefined);
  const problem = describeProblem(
    chosen.detail.replace(/\$value/g, action ?? "$value").replace(/_t\./g, ""),
    field,
    session.ctx.step.properties,
  );
  const where = field === undefined ? "" : `, field "${field}"`;
  const reason = parameterError === undefined ? FailureReason.Rendering : FailureReason.Parameter;
  return new StepFailure(reason, `${stepWhere(session)}${where}: ${problem}`, { cause: error });
}

function parameterProblem(session: StepSession): CueEvaluationError | undefined {
  try {
    evaluateStep(session, "$parameter: _t.parameter");
    return undefined;
  } catch (error) {
    if (!(error instanceof CueEvaluationError)) return undefined;
    // Only a failure inside the parameter is one (not the template failing as a whole, nor a
    // template without a `parameter` block).
    const path = error.path?.replace(/^\$parameter(?=\.)/, "_t.parameter");
    if (path === undefined || !path.startsWith("_t.parameter.")) return undefined;
    return new CueEvaluationError(error.detail.replace(error.path ?? "", path));
  }
}
