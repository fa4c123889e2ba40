/**
 * Performs one evaluated action through `WorkflowActions` and says what to unify back into
 * the template, or how the step stops (a wait, a fail, a suspend). Non-idempotent actions
 * (HTTP other than GET/HEAD, deletes, logs and suspends) go through the step memo: performed
 * once per step execution, their recorded result replayed on later runs. Applies and reads
 * are performed on every run (server-side apply and GET are idempotent).
 */
import { InvalidInputError } from "../../../core/errors.js";
import { isObject, nonEmpty, obj, type JsonObject } from "../../../core/json.js";
import type { PatchAnnotation } from "../../render/patch-annotations.js";
import { parseGoDuration } from "../../../core/config/duration.js";
import { StepReason, type StepOutcome } from "../types.js";
import type { ActionContext, StepMemo, WorkflowActions } from "./actions.js";
import type { ActionKind } from "./op-library.js";

export type ActionResult =
  { readonly stop?: undefined; readonly fill?: JsonObject } | { readonly stop: StepOutcome };

export interface PerformInput {
  readonly kind: Exclude<ActionKind, "steps">;
  /** The action as the template evaluated it. */
  readonly value: JsonObject;
  readonly actions: WorkflowActions;
  readonly ctx: ActionContext;
  readonly memo?: StepMemo;
  readonly now: Date;
  /** The step's phase before this run (`running` after a manual resume). */
  readonly stepPhase: string;
  /** The annotations of the action's patch (computed only when there is a patch). */
  readonly patchAnnotations: () => PatchAnnotation[];
}

type Handler = (input: PerformInput) => Promise<ActionResult>;

const quoted = (ctx: ActionContext): string => `"${ctx.action}"`;
/** `{ key: v }`, or `{}` when v is undefined (requests carry no undefined fields). */
const optional = <K extends string, V>(key: K, v: V | undefined): { [P in K]?: V } =>
  (v === undefined ? {} : { [key]: v }) as { [P in K]?: V };

/**
 * A result to unify into a field the template also wrote: the template's own values win where
 * both have one, so that what the server added (status, defaults) never conflicts with it.
 */
export function preferInput(result: unknown, input: unknown): unknown {
  if (input === undefined) return result;
  if (!isObject(result) || !isObject(input)) return input;
  const merged: JsonObject = { ...result };
  for (const [key, value] of Object.entries(input)) merged[key] = preferInput(result[key], value);
  return merged;
}

/** The memo key of an action: `<stepId>/<action path>`. */
export const memoKey = (ctx: ActionContext): string => `${ctx.stepId}/${ctx.action}`;

/** Performs once per step execution; later runs get the recorded result. */
async function once(input: PerformInput, perform: () => Promise<JsonObject>): Promise<JsonObject> {
  const key = memoKey(input.ctx);
  const recorded = input.memo?.get(key);
  if (isObject(recorded)) return recorded;
  const result = await perform();
  await input.memo?.set(key, result);
  return result;
}

const wait: Handler = ({ value, ctx }) => {
  if (value.continue === true) return Promise.resolve({});
  const message = nonEmpty(value.message) ?? `waiting for ${quoted(ctx)} to continue`;
  return Promise.resolve({ stop: { phase: "running", reason: StepReason.Wait, message } });
};

const fail: Handler = ({ value, ctx }) =>
  Promise.resolve({
    stop: {
      phase: "failed",
      reason: "Action",
      message: nonEmpty(value.message) ?? `failed by action ${quoted(ctx)}`,
    },
  });

/**
 * Suspends the first time; on later runs it stays suspended while the engine still reports the
 * step suspending and the duration (if any) has not passed, else it is done (resumed).
 */
const suspend: Handler = async (input) => {
  const { value, ctx, now } = input;
  const key = memoKey(ctx);
  const recorded = obj(input.memo?.get(key));
  const message = nonEmpty(value.message) ?? `suspended by ${quoted(ctx)}`;
  const stop = (resumeAt?: string): ActionResult => ({
    stop: { phase: "suspending", message, ...optional("resumeAt", resumeAt) },
  });
  if (recorded === undefined) {
    const resumeAt = resumeTime(value.duration, now);
    await input.memo?.set(key, resumeAt === undefined ? {} : { resumeAt });
    return stop(resumeAt);
  }
  const resumeAt = nonEmpty(recorded.resumeAt);
  const due = resumeAt === undefined || Date.parse(resumeAt) > now.getTime();
  return input.stepPhase === "suspending" && due ? stop(resumeAt) : {};
};

function resumeTime(duration: unknown, now: Date): string | undefined {
  if (duration === undefined) return undefined;
  return new Date(now.getTime() + durationOf(duration, "duration")).toISOString();
}

const log: Handler = async (input) => {
  const level = typeof input.value.level === "number" ? input.value.level : 3;
  await once(input, async () => {
    await input.actions.log({ data: input.value.data ?? "", level }, input.ctx);
    return {};
  });
  return {};
};

const componentApply: Handler = async (input) => {
  const { value, ctx } = input;
  const component = nonEmpty(value.component) ?? nonEmpty(obj(value.value)?.name);
  if (component === undefined)
    throw new InvalidInputError(`action ${quoted(ctx)}: set "component" (or "value.name")`);
  const patch = obj(value.patch) ?? obj(obj(value.workload)?.patch);
  const result = await input.actions.applyComponent(
    {
      component,
      ...optional("value", obj(value.value)),
      ...optional("cluster", nonEmpty(value.cluster)),
      ...optional("namespace", nonEmpty(value.namespace)),
      ...(patch === undefined ? {} : { patch, patchAnnotations: input.patchAnnotations() }),
    },
    ctx,
  );
  if (value.waitHealthy === true && result.healthy === false) {
    const message = `waiting for component "${component}" to be healthy`;
    return { stop: { phase: "running", reason: StepReason.Wait, message } };
  }
  const outputs = Object.fromEntries(Object.entries(result.traits).map(([k, t]) => [k, t.value]));
  const fill: JsonObject = {
    workload: preferInput(result.workload, value.workload),
    traits: result.traits,
    output: result.workload,
    outputs,
  };
  if (result.healthy !== undefined) fill.isHealth = result.healthy;
  return { fill };
};

const apply: Handler = async ({ value, actions, ctx }) => {
  const request = {
    value: obj(value.value) ?? {},
    ...optional("cluster", nonEmpty(value.cluster)),
    ...optional("patch", obj(value.patch)),
  };
  const applied = await actions.apply(request, ctx);
  return { fill: { value: preferInput(applied, value.value) } };
};

const read: Handler = async ({ value, actions, ctx }) => {
  const wanted = obj(value.value) ?? {};
  try {
    const found = await actions.read(
      { value: wanted, ...optional("cluster", nonEmpty(value.cluster)) },
      ctx,
    );
    if (found !== undefined) return { fill: { value: preferInput(found, wanted) } };
    return { fill: { err: `${String(wanted.kind)} "${describeName(wanted)}" not found` } };
  } catch (error) {
    return { fill: { err: error instanceof Error ? error.message : String(error) } };
  }
};

function describeName(value: JsonObject): string {
  const meta = obj(value.metadata) ?? {};
  const name = nonEmpty(meta.name) ?? "";
  return nonEmpty(meta.namespace) === undefined ? name : `${String(meta.namespace)}/${name}`;
}

const list: Handler = async ({ value, actions, ctx }) => {
  const resource = obj(value.resource) ?? {};
  const filter = obj(value.filter) ?? {};
  const items = await actions.list(
    {
      resource: { apiVersion: String(resource.apiVersion), kind: String(resource.kind) },
      ...optional("namespace", nonEmpty(filter.namespace)),
      ...optional("matchingLabels", obj(filter.matchingLabels) as Record<string, string>),
      ...optional("cluster", nonEmpty(value.cluster)),
    },
    ctx,
  );
  return { fill: { list: { items } } };
};

const del: Handler = async (input) => {
  const { value, actions, ctx } = input;
  await once(input, async () => {
    const filter = obj(value.filter) as { namespace?: string } | undefined;
    const request = {
      value: obj(value.value) ?? {},
      ...optional("filter", filter),
      ...optional("cluster", nonEmpty(value.cluster)),
    };
    await actions.delete(request, ctx);
    return {};
  });
  return {};
};

function durationOf(text: unknown, field: string): number {
  const ms = typeof text === "string" ? parseGoDuration(text) : undefined;
  if (ms === undefined || ms < 0)
    throw new InvalidInputError(
      `${field}: ${JSON.stringify(text)} is not a duration (e.g. 30s, 1m30s)`,
    );
  return ms;
}

const http: Handler = async (input) => {
  const { value, actions, ctx } = input;
  const method = (nonEmpty(value.method) ?? "GET").toUpperCase();
  const request = obj(value.request) ?? {};
  const timeout =
    request.timeout === undefined ? undefined : durationOf(request.timeout, "request.timeout");
  const call = async (): Promise<JsonObject> => ({
    ...(await actions.http(
      {
        method,
        url: String(value.url),
        ...optional("body", typeof request.body === "string" ? request.body : undefined),
        ...optional("header", obj(request.header) as Record<string, string> | undefined),
        ...optional("timeoutMs", timeout),
      },
      ctx,
    )),
  });
  const response = method === "GET" || method === "HEAD" ? await call() : await once(input, call);
  return { fill: { response } };
};

const handlers: Record<PerformInput["kind"], Handler> = {
  wait,
  fail,
  suspend,
  log,
  "component-apply": componentApply,
  apply,
  read,
  list,
  delete: del,
  do: http,
};

/** Performs the action; throws what the action throws (the runner reports it). */
export function performAction(input: PerformInput): Promise<ActionResult> {
  return handlers[input.kind](input);
}
