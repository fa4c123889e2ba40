/**
 * KubeVela's `apply-once` policy (pure): which parts of a dispatched object may drift.
 *
 * - `enable: false` (or no policy): every dispatch applies the rendered object.
 * - `enable: true` without `rules`: whole objects are applied once. A dispatch for an
 *   application update applies them (KubeVela re-applies on update); a state-keep re-apply
 *   only creates objects that are missing and leaves existing ones alone.
 * - `enable: true` with `rules`: the first rule whose selector selects the object decides; its
 *   `strategy.path` lists the fields taken from the live object instead of the rendered one
 *   (`*` = the whole object is left alone once it exists), during the stage its `affect` names
 *   (`onUpdate`, `onStateKeep`, or `always`/absent for both). Unselected objects are applied.
 *
 * A path the live object lacks keeps the rendered value (KubeVela fails the dispatch instead).
 */
import { InvalidInputError } from "../../core/errors.js";
import { isObject, type JsonObject } from "../../core/json.js";
import { type ApplicationPolicy } from "../../engine/oam/types.js";
import { getAtPath, parseFieldPath, setAtPath } from "./field-path.js";
import { parseSelector, selects, subjectOf, type ResourceSelector } from "./resource-selector.js";

/** Why objects are applied: the application changed, or a periodic re-apply (state-keep). */
export type ApplyStage = "update" | "stateKeep";

export type ApplyOnceAffect = "onUpdate" | "onStateKeep" | "always";

export interface ApplyOnceRule {
  readonly selector: ResourceSelector;
  /** Absent: the rule selects objects but lets nothing drift (as in KubeVela). */
  readonly strategy?: { readonly path: readonly string[]; readonly affect: ApplyOnceAffect };
}

export interface ApplyOncePolicy {
  readonly enable: boolean;
  /** Absent: whole objects are applied once. */
  readonly rules?: readonly ApplyOnceRule[];
}

/** What to do with one object at one stage. */
export type ApplyOncePlan =
  | { readonly kind: "apply" }
  | { readonly kind: "keep-paths"; readonly paths: readonly string[] }
  | { readonly kind: "create-only" };

const affects: readonly string[] = ["onUpdate", "onStateKeep", "always"];

function parsePaths(value: unknown, where: string): string[] {
  if (!Array.isArray(value) || !value.every((p) => typeof p === "string"))
    throw new InvalidInputError(`${where}: strategy.path must be a list of strings`);
  for (const p of value) if (p !== "*") parseFieldPath(p);
  return value;
}

function parseStrategy(value: unknown, where: string): ApplyOnceRule["strategy"] {
  if (!isObject(value)) throw new InvalidInputError(`${where}: strategy must be an object`);
  const path = parsePaths(value.path ?? [], where);
  const affect = value.affect ?? "";
  if (typeof affect !== "string" || !(affect === "" || affects.includes(affect)))
    throw new InvalidInputError(`${where}: strategy.affect must be one of ${affects.join(", ")}`);
  return { path, affect: (affect || "always") as ApplyOnceAffect };
}

function parseRule(value: unknown, where: string): ApplyOnceRule {
  if (!isObject(value)) throw new InvalidInputError(`${where}: a rule must be an object`);
  const selector = parseSelector(value.selector, where);
  if (value.strategy === undefined) return { selector };
  return { selector, strategy: parseStrategy(value.strategy, where) };
}

/**
 * The application's `apply-once` policy (the first one), or undefined when it has none.
 * Malformed properties are an `InvalidInputError` naming the policy.
 */
export function applyOncePolicyOf(
  policies: readonly ApplicationPolicy[] = [],
): ApplyOncePolicy | undefined {
  const policy = policies.find((p) => p.type === "apply-once");
  if (policy === undefined) return undefined;
  const where = `policy "${policy.name}" (apply-once)`;
  const props = policy.properties ?? {};
  if (props.enable !== undefined && typeof props.enable !== "boolean")
    throw new InvalidInputError(`${where}: enable must be a boolean`);
  const enable = props.enable === true;
  if (props.rules === undefined) return { enable };
  if (!Array.isArray(props.rules)) throw new InvalidInputError(`${where}: rules must be a list`);
  return { enable, rules: props.rules.map((r, i) => parseRule(r, `${where} rule ${i}`)) };
}

const affectsStage = (affect: ApplyOnceAffect, stage: ApplyStage): boolean =>
  affect === "always" || (affect === "onUpdate" ? stage === "update" : stage === "stateKeep");

/** How `object` is applied at `stage` under `policy` (pure). */
export function applyOncePaths(
  object: JsonObject,
  policy: ApplyOncePolicy | undefined,
  stage: ApplyStage,
): ApplyOncePlan {
  if (policy?.enable !== true) return { kind: "apply" };
  if (policy.rules === undefined)
    return stage === "stateKeep" ? { kind: "create-only" } : { kind: "apply" };
  const subject = subjectOf(object);
  const strategy = policy.rules.find((r) => selects(r.selector, subject))?.strategy;
  if (strategy === undefined || strategy.path.length === 0) return { kind: "apply" };
  return affectsStage(strategy.affect, stage)
    ? { kind: "keep-paths", paths: strategy.path }
    : { kind: "apply" };
}

/** True when the plan needs the live object to decide what to apply. */
export const needsLive = (plan: ApplyOncePlan): boolean => plan.kind !== "apply";

/**
 * The object to apply: `rendered` with the plan's paths taken from `live` (pure; neither input
 * is changed), or undefined when nothing is applied because the live object is to be left as
 * it is. With no live object the rendered one is applied whole (it is being created).
 */
export function objectToApply(
  rendered: JsonObject,
  live: JsonObject | undefined,
  plan: ApplyOncePlan,
): JsonObject | undefined {
  if (live === undefined || plan.kind === "apply") return rendered;
  if (plan.kind === "create-only" || plan.paths.includes("*")) return undefined;
  const result = structuredClone(rendered);
  for (const path of plan.paths) {
    const segments = parseFieldPath(path);
    const value = getAtPath(live, segments);
    if (value !== undefined) setAtPath(result, segments, structuredClone(value));
  }
  return result;
}
