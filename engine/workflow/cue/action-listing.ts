/**
 * Which actions a template holds, in field order, and the value of the one to perform next
 * (pure apart from the CUE engine). A listing is one evaluation that selects every field under
 * a path whose `#do` is set; the value of the action the previous listing says comes next is
 * selected in the same evaluation, which saves one evaluation per action when the guess holds
 * (it does unless performing an action added or removed actions before it).
 */
import { CueEvaluationError } from "../../cue/engine.js";
import { isObject, type JsonObject } from "../../../core/json.js";
import { isActionKind, type ActionKind } from "./op-library.js";
import { probeSelect, valueSelect } from "./step-program.js";
import {
  evaluateStep,
  evaluationFailure,
  FailureReason,
  isIncomplete,
  StepFailure,
  stepWhere,
  type StepSession,
} from "./step-session.js";

export interface NextAction {
  readonly path: readonly string[];
  readonly kind: ActionKind;
}

/**
 * An action's evaluated value, or, for a wait whose condition is not known yet, why (CUE's
 * message, such as `undefined field: status`).
 */
export type ActionValue = { readonly value: JsonObject } | { readonly undecided: string };

const undecidedWhy = (error: CueEvaluationError): string =>
  error.detail.replace(/^cue: marshal error: /, "").replace(/^\$value[^:]*:\s*/, "");

export interface Listing {
  /** The fields under the path that are actions, in field order, with their `#do`. */
  readonly entries: ReadonlyArray<readonly [string, unknown]>;
  readonly guess?: NextAction;
  readonly guessed?: ActionValue;
}

export const dotted = (path: readonly string[]): string => path.join(".");

function entriesOf(probe: unknown): Array<readonly [string, unknown]> {
  return (Array.isArray(probe) ? probe : []).flatMap((entry) => {
    const [name, kind] = Array.isArray(entry) ? (entry as unknown[]) : [];
    return typeof name === "string" ? [[name, kind] as const] : [];
  });
}

function probeOnly(session: StepSession, path: readonly string[]): Listing {
  try {
    return { entries: entriesOf(evaluateStep(session, probeSelect(path)).$probe) };
  } catch (error) {
    if (error instanceof CueEvaluationError)
      throw evaluationFailure(session, error, path.length === 0 ? undefined : dotted(path));
    throw error;
  }
}

/** Lists the actions under `path`, evaluating `guess`'s value along when one is given. */
export function listActions(
  session: StepSession,
  path: readonly string[],
  guess?: NextAction,
): Listing {
  if (guess === undefined || guess.kind === "steps") return probeOnly(session, path);
  try {
    const both = evaluateStep(session, `${probeSelect(path)}\n${valueSelect(guess.path)}`);
    const guessed = { value: isObject(both.$value) ? both.$value : {} };
    return { entries: entriesOf(both.$probe), guess, guessed };
  } catch (error) {
    if (!(error instanceof CueEvaluationError)) throw error;
    const listing = probeOnly(session, path);
    const undecided =
      guess.kind === "wait" && isIncomplete(error) && error.path?.startsWith("$value") === true;
    return undecided ? { ...listing, guess, guessed: { undecided: undecidedWhy(error) } } : listing;
  }
}

/** The first listed action not performed yet in this run. */
export function firstNotDone(
  session: StepSession,
  path: readonly string[],
  listing: Listing,
): NextAction | undefined {
  for (const [name, kind] of listing.entries) {
    const at = [...path, name];
    if (session.done.has(dotted(at))) continue;
    if (!isActionKind(kind)) {
      throw new StepFailure(
        FailureReason.Rendering,
        `${stepWhere(session)}, field "${dotted(at)}": unknown action #do: ${JSON.stringify(kind)} (Flotilla's vela/op performs: wait, fail, suspend, log, steps, component-apply, apply, read, list, delete, do)`,
      );
    }
    return { path: at, kind };
  }
  return undefined;
}

/** The listing's value for `next`, when it evaluated it. */
export function guessedValue(listing: Listing, next: NextAction): ActionValue | undefined {
  return listing.guess !== undefined && dotted(listing.guess.path) === dotted(next.path)
    ? listing.guessed
    : undefined;
}

/** Evaluates `next` alone (a wait that cannot be decided yet says why). */
export function actionValue(session: StepSession, next: NextAction): ActionValue {
  try {
    const value = evaluateStep(session, valueSelect(next.path)).$value;
    return { value: isObject(value) ? value : {} };
  } catch (error) {
    if (next.kind === "wait" && isIncomplete(error))
      return { undecided: undecidedWhy(error as CueEvaluationError) };
    if (error instanceof CueEvaluationError)
      throw evaluationFailure(session, error, dotted(next.path));
    throw error;
  }
}
