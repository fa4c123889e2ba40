/**
 * The hub's `WorkflowActions` (core/workflow/cue/actions.ts): what CUE workflow steps do, done
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
import type { ActionContext, WorkflowActions } from "../../engine/workflow/cue/actions.js";
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

export function hubActions(options: HubActionsOptions): WorkflowActions {
  const { clientFor } = options;
  return {
    async applyComponent(request, ctx) {
      const objects = componentObjects(options.source, request, ctx);
      const results = await dispatch({ clientFor, objects, clock: options.clock });
      const failed = results.find((r) => !r.ok);
      if (failed !== undefined && !failed.ok) throw failed.error;
      for (const record of appliedRecords(objects, results)) options.record(record);
      return componentResult(objects, (r) => clientFor(r.target.cluster).read(refOf(r.object)));
    },
    async apply(request, ctx) {
      const cluster = clusterOf(request.cluster);
      const client = clientFor(cluster);
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
    },
    async read(request, ctx) {
      const client = clientFor(clusterOf(request.cluster));
      return client.read(refOf(await namespaced(client, request.value, ctx)));
    },
    list(request, ctx) {
      const client = clientFor(clusterOf(request.cluster));
      const selector = formatLabels(request.matchingLabels ?? {});
      return client.list({
        ...request.resource,
        namespace: request.namespace ?? ctx.app.metadata.namespace ?? "default",
        ...(selector === "" ? {} : { labelSelector: selector }),
      });
    },
    async delete(request, ctx) {
      const cluster = clusterOf(request.cluster);
      const client = clientFor(cluster);
      const targets =
        request.filter === undefined
          ? [request.value]
          : await filtered(client, request.value, request.filter, ctx);
      for (const object of targets) {
        const full = await namespaced(client, object, ctx);
        await client.delete(refOf(full));
        options.forget(cluster, full);
      }
    },
    http: httpActions().http,
    log(entry, ctx) {
      options.log.info("workflow step log", {
        app: `${ctx.app.metadata.namespace ?? "default"}/${ctx.app.metadata.name}`,
        step: ctx.stepName,
        level: entry.level,
        data: typeof entry.data === "string" ? entry.data : JSON.stringify(entry.data),
      });
    },
  };
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
