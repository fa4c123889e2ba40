/**
 * The hub's `WorkflowActions` (engine/workflow/cue/actions.ts): what CUE workflow steps do, done
 * against the hub (`cluster` absent or "") or a member through the gateway (`clientFor`).
 * Objects without a namespace go to the application's namespace when their kind is
 * namespaced. What a step applies is recorded (`record`) so the hub tracks it; what it
 * deletes is forgotten (`forget`). HTTP comes from `httpActions()`.
 */
import { formatLabels } from "../../core/cluster/labels.js";
import type { Clock } from "../../core/controller/clock.js";
import type { Logger } from "../../core/controller/logger.js";
import { InvalidInputError } from "../../core/errors.js";
import { isObject, type JsonObject } from "../../core/json.js";
import { applyPatch } from "../../engine/render/patch.js";
import type {
  ActionContext,
  ApplyComponentRequest,
  ApplyComponentResult,
  ApplyRequest,
  DeleteRequest,
  ListRequest,
  LogEntry,
  ReadRequest,
  WorkflowActions,
} from "../../engine/workflow/cue/actions.js";
import { httpActions } from "../../engine/workflow/cue/http-actions.js";
import { dispatch, FIELD_MANAGER } from "../dispatch/dispatch.js";
import { refOf, type ClientFor, type ObjectClient } from "../dispatch/types.js";
import {
  appliedRecords,
  componentObjects,
  componentResult,
  type ComponentSource,
} from "./component-apply.js";
import type { WorkflowApplied } from "./release.js";

export interface HubActionsOptions {
  readonly clientFor: ClientFor;
  readonly source: ComponentSource;
  readonly clock: Clock;
  readonly log: Logger;
  readonly record: (applied: WorkflowApplied) => void;
  readonly forget: (cluster: string, object: JsonObject) => void;
}

const clusterOf = (cluster: string | undefined): string =>
  cluster === undefined || cluster === "" ? "local" : cluster;

/** `object` with the application's namespace when its kind is namespaced and it has none. */
async function namespaced(
  client: ObjectClient,
  object: JsonObject,
  ctx: ActionContext,
): Promise<JsonObject> {
  const meta = isObject(object.metadata) ? object.metadata : {};
  if (typeof meta.namespace === "string" && meta.namespace !== "") return object;
  const scope = await client.scope(String(object.apiVersion), String(object.kind));
  if (scope !== "Namespaced") return object;
  const namespace = ctx.app.metadata.namespace ?? "default";
  return { ...object, metadata: { ...meta, namespace } };
}

/** The actions over `options`; each is a module function of the options, request and context. */
export function hubActions(options: HubActionsOptions): WorkflowActions {
  return {
    applyComponent: (request, ctx) => applyComponent(options, request, ctx),
    apply: (request, ctx) => applyObject(options, request, ctx),
    read: (request, ctx) => readObject(options.clientFor, request, ctx),
    list: (request, ctx) => listObjects(options.clientFor, request, ctx),
    delete: (request, ctx) => deleteObjects(options, request, ctx),
    http: httpActions().http,
    log: (entry, ctx) => logEntry(options.log, entry, ctx),
  };
}

/** Dispatches a component's objects (any failure throws) and records what was applied. */
async function applyComponent(
  options: HubActionsOptions,
  request: ApplyComponentRequest,
  ctx: ActionContext,
): Promise<ApplyComponentResult> {
  const { clientFor } = options;
  const objects = componentObjects(options.source, request, ctx);
  const results = await dispatch({ clientFor, objects, clock: options.clock });
  const failed = results.find((r) => !r.ok);
  if (failed !== undefined && !failed.ok) throw failed.error;
  for (const record of appliedRecords(objects, results)) options.record(record);
  return componentResult(objects, (r) => clientFor(r.target.cluster).read(refOf(r.object)));
}

/** Applies one object (patched first when asked) and records it. */
async function applyObject(
  options: HubActionsOptions,
  request: ApplyRequest,
  ctx: ActionContext,
): Promise<JsonObject> {
  const cluster = clusterOf(request.cluster);
  const client = options.clientFor(cluster);
  const base =
    request.patch === undefined ? request.value : applyPatch(request.value, request.patch, []);
  const object = await namespaced(client, base, ctx);
  const live = await client.apply(object, { fieldManager: FIELD_MANAGER, force: true });
  const ref = refOf(object);
  options.record({
    cluster,
    namespace: ref.namespace ?? "",
    replicaKey: "",
    component: "",
    objects: [{ ...ref, component: "" }],
  });
  return live;
}

async function readObject(
  clientFor: ClientFor,
  request: ReadRequest,
  ctx: ActionContext,
): Promise<JsonObject | undefined> {
  const client = clientFor(clusterOf(request.cluster));
  return client.read(refOf(await namespaced(client, request.value, ctx)));
}

function listObjects(
  clientFor: ClientFor,
  request: ListRequest,
  ctx: ActionContext,
): Promise<JsonObject[]> {
  const client = clientFor(clusterOf(request.cluster));
  const selector = formatLabels(request.matchingLabels ?? {});
  return client.list({
    ...request.resource,
    namespace: request.namespace ?? ctx.app.metadata.namespace ?? "default",
    ...(selector === "" ? {} : { labelSelector: selector }),
  });
}

/** Deletes the object, or those the filter lists, and forgets each. */
async function deleteObjects(
  options: HubActionsOptions,
  request: DeleteRequest,
  ctx: ActionContext,
): Promise<void> {
  const cluster = clusterOf(request.cluster);
  const client = options.clientFor(cluster);
  const targets =
    request.filter === undefined
      ? [request.value]
      : await filtered(client, request.value, request.filter, ctx);
  for (const object of targets) {
    const full = await namespaced(client, object, ctx);
    await client.delete(refOf(full));
    options.forget(cluster, full);
  }
}

function logEntry(log: Logger, entry: LogEntry, ctx: ActionContext): void {
  log.info("workflow step log", {
    app: `${ctx.app.metadata.namespace ?? "default"}/${ctx.app.metadata.name}`,
    step: ctx.stepName,
    level: entry.level,
    data: typeof entry.data === "string" ? entry.data : JSON.stringify(entry.data),
  });
}

async function filtered(
  client: ObjectClient,
  value: JsonObject,
  filter: { namespace?: string; matchingLabels?: Record<string, string> },
  ctx: ActionContext,
): Promise<JsonObject[]> {
  const selector = formatLabels(filter.matchingLabels ?? {});
  if (typeof value.apiVersion !== "string" || typeof value.kind !== "string")
    throw new InvalidInputError(
      `step "${ctx.stepName}": op.#Delete with a filter needs value.apiVersion and value.kind`,
    );
  return client.list({
    apiVersion: value.apiVersion,
    kind: value.kind,
    namespace: filter.namespace ?? ctx.app.metadata.namespace ?? "default",
    ...(selector === "" ? {} : { labelSelector: selector }),
  });
}
