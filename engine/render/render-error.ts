/**
 * The one error type of rendering: bad input located as precisely as possible — application,
 * component, trait or definition, and the CUE field path — so a user sees what to fix
 * without a stack trace.
 */
import { InvalidInputError } from "../../core/errors.js";

export interface RenderLocation {
  readonly application?: string;
  readonly component?: string;
  /** Policy name, when the problem is in a policy. */
  readonly policy?: string;
  /** Trait type, when the problem is in a trait. */
  readonly trait?: string;
  /** `<kind> "<name>"`, e.g. `ComponentDefinition "webservice"`. */
  readonly definition?: string;
  /** Field path inside the template, e.g. `parameter.image`. */
  readonly field?: string;
}

/** Formats a location as `application "a", component "c", trait "t" (…): ` (pure). */
export function describeLocation(at: RenderLocation): string {
  const parts = [
    at.application === undefined ? undefined : `application "${at.application}"`,
    at.component === undefined ? undefined : `component "${at.component}"`,
    at.policy === undefined ? undefined : `policy "${at.policy}"`,
    at.trait === undefined ? undefined : `trait "${at.trait}"`,
  ].filter((p): p is string => p !== undefined);
  const extra = [at.definition, at.field === undefined ? undefined : `field ${at.field}`]
    .filter((p): p is string => p !== undefined)
    .join(", ");
  return parts.join(", ") + (extra === "" ? "" : ` (${extra})`);
}

export class RenderError extends InvalidInputError {
  readonly location: RenderLocation;
  readonly problem: string;
  constructor(location: RenderLocation, problem: string, options?: { cause?: unknown }) {
    super(`${describeLocation(location)}: ${problem}`, options);
    this.name = "RenderError";
    this.location = location;
    this.problem = problem;
  }
}
