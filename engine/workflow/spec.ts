/**
 * Reads and validates an Application's `spec.workflow` into a `WorkflowPlan` (pure): steps
 * with their ids, parsed timeouts, inputs, outputs and sub-steps, and the modes (KubeVela's
 * defaults: `StepByStep` for steps, `DAG` for sub-steps). Every problem is collected and
 * reported at once in one `InvalidInputError` naming the application, the step and the field.
 * No steps means no workflow: `parseWorkflow` returns `undefined` and the hub delivers every
 * component as it does without a workflow.
 */
import { createHash } from "node:crypto";
import { InvalidInputError } from "../../core/errors.js";
import { isObject, type JsonObject } from "../../core/json.js";
import { type Application, type WorkflowStep } from "../oam/types.js";
import { parseGoDuration } from "../../core/config/duration.js";
import { checkGraph } from "./spec-graph.js";

export type WorkflowMode = "StepByStep" | "DAG";

export interface StepInput {
  readonly from: string;
  readonly parameterKey?: string;
}

export interface StepOutput {
  readonly name: string;
  readonly valueFrom?: string;
  readonly exportKey?: string;
}

export interface PlannedStep {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  /** The step as written (what runners receive, with inputs filled into `properties`). */
  readonly source: WorkflowStep;
  readonly properties: JsonObject;
  readonly dependsOn: readonly string[];
  readonly if?: string;
  readonly timeout?: string;
  readonly timeoutMs?: number;
  readonly inputs: readonly StepInput[];
  readonly outputs: readonly StepOutput[];
  readonly alias?: string;
  /** Children of a `step-group` (empty otherwise). */
  readonly subSteps: readonly PlannedStep[];
  /** The enclosing `step-group`'s name, for sub-steps. */
  readonly parent?: string;
}

export interface WorkflowPlan {
  readonly mode: { readonly steps: WorkflowMode; readonly subSteps: WorkflowMode };
  readonly steps: readonly PlannedStep[];
  /** Every step and sub-step by name. */
  readonly byName: ReadonlyMap<string, PlannedStep>;
  /** Output name → the steps that declare it. */
  readonly producers: ReadonlyMap<string, readonly string[]>;
}

export const STEP_GROUP = "step-group";
export const SUSPEND = "suspend";

/** A stable step id: the first 10 hex digits of the name's SHA-1 (KubeVela's are random). */
export function stepId(name: string): string {
  return createHash("sha1").update(name).digest("hex").slice(0, 10);
}

type Problems = string[];

const isString = (v: unknown): v is string => typeof v === "string";
const nonEmpty = (v: unknown): v is string => isString(v) && v.trim() !== "";

function checkMode(value: unknown, field: string, problems: Problems): WorkflowMode | undefined {
  if (value === undefined || value === "") return undefined;
  if (value === "StepByStep" || value === "DAG") return value;
  problems.push(`field "mode.${field}": ${JSON.stringify(value)} is not StepByStep or DAG`);
  return undefined;
}

function checkStrings(value: unknown, where: string, problems: Problems): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value) && value.every(nonEmpty)) return value;
  problems.push(`${where}: must be a list of step names`);
  return [];
}

function checkInputs(value: unknown, where: string, problems: Problems): StepInput[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  const inputs: StepInput[] = [];
  list.forEach((item, i) => {
    const ok =
      isObject(item) &&
      nonEmpty(item.from) &&
      (item.parameterKey === undefined || isString(item.parameterKey));
    if (!Array.isArray(value) || !ok) {
      problems.push(`${where}[${i}]: must be {from: <output name>, parameterKey?: <path>}`);
    } else inputs.push(item as unknown as StepInput);
  });
  return inputs;
}

function checkOutputs(value: unknown, where: string, problems: Problems): StepOutput[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  const outputs: StepOutput[] = [];
  list.forEach((item, i) => {
    const ok =
      isObject(item) &&
      nonEmpty(item.name) &&
      !item.name.startsWith("$") &&
      (item.valueFrom === undefined || isString(item.valueFrom)) &&
      (item.exportKey === undefined || isString(item.exportKey));
    if (!Array.isArray(value) || !ok) {
      problems.push(
        `${where}[${i}]: must be {name: <name not starting with $>, valueFrom?: <path>, exportKey?: <path>}`,
      );
    } else outputs.push(item as unknown as StepOutput);
  });
  return outputs;
}

function checkTimeout(value: unknown, where: string, problems: Problems): number | undefined {
  if (value === undefined) return undefined;
  const ms = isString(value) ? parseGoDuration(value) : undefined;
  if (ms === undefined || ms <= 0) {
    problems.push(
      `${where}: ${JSON.stringify(value)} is not a duration (e.g. "30s", "5m", "1h30m")`,
    );
    return undefined;
  }
  return ms;
}

function checkScalars(raw: JsonObject, where: string, problems: Problems): void {
  if (raw.properties !== undefined && !isObject(raw.properties))
    problems.push(`${where} field "properties": must be an object`);
  if (raw.if !== undefined && !nonEmpty(raw.if))
    problems.push(`${where} field "if": must be a non-empty string (a CUE expression or "always")`);
  checkMeta(raw, where, problems);
}

function checkMeta(raw: JsonObject, where: string, problems: Problems): void {
  const meta = raw.meta;
  if (meta !== undefined && !(isObject(meta) && (meta.alias === undefined || isString(meta.alias))))
    problems.push(`${where} field "meta": must be {alias?: <string>}`);
  const duration = isObject(raw.properties) ? raw.properties.duration : undefined;
  if (raw.type === SUSPEND && duration !== undefined)
    checkTimeout(duration, `${where} field "properties.duration"`, problems);
}

function checkSubSteps(raw: JsonObject, where: string, problems: Problems): unknown[] {
  if (raw.subSteps === undefined) return [];
  if (raw.type !== STEP_GROUP) {
    problems.push(`${where} field "subSteps": only a step-group step has subSteps`);
    return [];
  }
  if (!Array.isArray(raw.subSteps)) {
    problems.push(`${where} field "subSteps": must be a list of steps`);
    return [];
  }
  return raw.subSteps;
}

function checkStep(
  raw: unknown,
  where: string,
  problems: Problems,
  parent?: string,
): PlannedStep | undefined {
  if (!isObject(raw) || !nonEmpty(raw.name) || !nonEmpty(raw.type)) {
    problems.push(`${where}: needs a "name" and a "type"`);
    return undefined;
  }
  const at = `step "${raw.name}"`;
  checkScalars(raw, at, problems);
  const outputs = checkOutputs(raw.outputs, `${at} field "outputs"`, problems);
  checkGroupRules(raw, { at, parent, outputs: outputs.length }, problems);
  const subSteps = checkSubSteps(raw, at, problems)
    .map((child, i) => checkStep(child, `${at} subSteps[${i}]`, problems, raw.name as string))
    .filter((s): s is PlannedStep => s !== undefined);
  return {
    id: stepId(raw.name),
    name: raw.name,
    type: raw.type,
    source: raw as unknown as WorkflowStep,
    properties: isObject(raw.properties) ? raw.properties : {},
    dependsOn: checkStrings(raw.dependsOn, `${at} field "dependsOn"`, problems),
    timeoutMs: checkTimeout(raw.timeout, `${at} field "timeout"`, problems),
    inputs: checkInputs(raw.inputs, `${at} field "inputs"`, problems),
    outputs,
    subSteps,
    ...optionalFields(raw, parent),
  };
}

function checkGroupRules(
  raw: JsonObject,
  where: { at: string; parent: string | undefined; outputs: number },
  problems: Problems,
): void {
  const { at, parent } = where;
  if (parent !== undefined && raw.type === STEP_GROUP)
    problems.push(`${at} field "type": a step-group cannot be nested in step-group "${parent}"`);
  if (raw.type === STEP_GROUP && where.outputs > 0)
    problems.push(`${at} field "outputs": a step-group has no outputs of its own`);
}

function optionalFields(
  raw: JsonObject,
  parent: string | undefined,
): Pick<PlannedStep, "if" | "timeout" | "alias" | "parent"> {
  return {
    ...(isString(raw.if) ? { if: raw.if.trim() } : {}),
    ...(isString(raw.timeout) ? { timeout: raw.timeout } : {}),
    ...(isObject(raw.meta) && isString(raw.meta.alias) ? { alias: raw.meta.alias } : {}),
    ...(parent === undefined ? {} : { parent }),
  };
}

function indexSteps(steps: readonly PlannedStep[], problems: Problems): Map<string, PlannedStep> {
  const byName = new Map<string, PlannedStep>();
  for (const step of steps.flatMap((s) => [s, ...s.subSteps])) {
    if (byName.has(step.name)) problems.push(`step "${step.name}": the name is used twice`);
    byName.set(step.name, step);
  }
  return byName;
}

function indexProducers(steps: Iterable<PlannedStep>): Map<string, string[]> {
  const producers = new Map<string, string[]>();
  for (const step of steps) {
    for (const output of step.outputs) {
      producers.set(output.name, [...(producers.get(output.name) ?? []), step.name]);
    }
  }
  return producers;
}

function componentOutputs(app: Application): Set<string> {
  const names = (app.spec.components ?? []).flatMap((c) => c.outputs ?? []);
  return new Set(names.flatMap((o) => (isObject(o) && isString(o.name) ? [o.name] : [])));
}

function readWorkflow(
  workflow: unknown,
  problems: Problems,
): { list: unknown[]; mode: WorkflowPlan["mode"] } {
  const raw = isObject(workflow) ? workflow : {};
  if (!isObject(workflow)) problems.push("spec.workflow: must be an object");
  const rawSteps = raw.steps ?? [];
  if (!Array.isArray(rawSteps)) problems.push('field "steps": must be a list');
  const rawMode = isObject(raw.mode) ? raw.mode : {};
  const mode = {
    steps: checkMode(rawMode.steps, "steps", problems) ?? "StepByStep",
    subSteps: checkMode(rawMode.subSteps, "subSteps", problems) ?? "DAG",
  };
  return { list: Array.isArray(rawSteps) ? rawSteps : [], mode };
}

/**
 * The validated plan of `app.spec.workflow`, or `undefined` when it has no steps. Throws
 * `InvalidInputError` listing every problem (field shapes, duplicate names, unknown or
 * cyclic `dependsOn`, inputs nothing produces, orders that could never run).
 */
export function parseWorkflow(app: Application): WorkflowPlan | undefined {
  const workflow: unknown = app.spec.workflow;
  if (workflow === undefined || workflow === null) return undefined;
  const problems: Problems = [];
  const { list, mode } = readWorkflow(workflow, problems);
  const steps = list
    .map((s, i) => checkStep(s, `steps[${i}]`, problems))
    .filter((s): s is PlannedStep => s !== undefined);
  const byName = indexSteps(steps, problems);
  const producers = indexProducers(byName.values());
  checkGraph({ steps, mode, byName, producers, external: componentOutputs(app) }, problems);
  if (problems.length > 0) {
    const app_ = `${app.metadata.namespace ?? "default"}/${app.metadata.name}`;
    throw new InvalidInputError(`application "${app_}": invalid workflow: ${problems.join("; ")}`);
  }
  if (list.length === 0) return undefined;
  return { mode, steps, byName, producers };
}
