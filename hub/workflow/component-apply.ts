/**
 * `op.#ApplyComponent` on the hub: the component's objects for each of its targets (from the
 * application's render, or rendered afresh for an inline `value:` or a target the policies do
 * not place it on), the step's patch applied to the workload, dispatched like any delivery,
 * then the workload and the auxiliary objects read back live (so the template sees the
 * status and server-set fields such as a Service's clusterIP).
 */
import { InvalidInputError } from "../../core/errors.js";
import type { JsonObject } from "../../core/json.js";
import type { ApplicationComponent } from "../../engine/oam/types.js";
import type { RenderTarget } from "../../engine/render/context.js";
import { applyPatch } from "../../engine/render/patch.js";
import type { RenderedObject } from "../../engine/render/render.js";
import type {
  ActionContext,
  ApplyComponentRequest,
  ApplyComponentResult,
} from "../../engine/workflow/cue/actions.js";
import { refOf } from "../dispatch/types.js";
import { labelsOf, serviceKey } from "../status/services.js";
import { entryKey } from "../tracker/entries.js";
import type { WorkflowApplied } from "./release.js";

export interface ComponentSource {
  /** The application's full render (every component, every target). */
  readonly rendered: readonly RenderedObject[];
  /** Renders one component for one target (inline components, unplaced targets). */
  readonly renderAt: (component: ApplicationComponent, target: RenderTarget) => RenderedObject[];
}

const isWorkload = (r: RenderedObject): boolean =>
  labelsOf(r.object)["workload.oam.dev/type"] !== undefined;

function componentSpec(request: ApplyComponentRequest, ctx: ActionContext): ApplicationComponent {
  if (request.value !== undefined) {
    const name = typeof request.value.name === "string" ? request.value.name : request.component;
    return { ...(request.value as unknown as ApplicationComponent), name };
  }
  const spec = ctx.app.spec.components.find((c) => c.name === request.component);
  if (spec === undefined)
    throw new InvalidInputError(
      `component "${request.component}" is not in application "${ctx.app.metadata.name}"`,
    );
  return spec;
}

/** The objects to apply: rendered ones matching the request, else a fresh render. */
export function componentObjects(
  source: ComponentSource,
  request: ApplyComponentRequest,
  ctx: ActionContext,
): RenderedObject[] {
  const spec = componentSpec(request, ctx);
  const matches = (r: RenderedObject): boolean =>
    r.component === spec.name &&
    (request.cluster === undefined || r.target.cluster === request.cluster) &&
    (request.namespace === undefined || r.target.namespace === request.namespace);
  const found = request.value === undefined ? source.rendered.filter(matches) : [];
  const objects =
    found.length > 0
      ? found
      : source.renderAt(spec, {
          cluster: request.cluster ?? "local",
          namespace: request.namespace ?? ctx.app.metadata.namespace ?? "default",
          replicaKey: "",
        });
  return request.patch === undefined ? objects : patched(objects, request, ctx);
}

function patched(
  objects: RenderedObject[],
  request: ApplyComponentRequest,
  ctx: ActionContext,
): RenderedObject[] {
  return objects.map((r) => {
    if (!isWorkload(r)) return r;
    try {
      return { ...r, object: applyPatch(r.object, request.patch, request.patchAnnotations ?? []) };
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new InvalidInputError(
        `step "${ctx.stepName}": the workload patch of component "${r.component}" does not apply: ${why}`,
      );
    }
  });
}

/** What the workflow context records of the apply, one entry per target. */
export function appliedRecords(
  objects: readonly RenderedObject[],
  applied: ReadonlyArray<{ cluster: string; applied: WorkflowApplied["objects"] }>,
): WorkflowApplied[] {
  const byTarget = new Map<string, { first: RenderedObject; refs: Set<string> }>();
  for (const r of objects) {
    const key = serviceKey({ component: r.component, ...r.target });
    const group = byTarget.get(key) ?? { first: r, refs: new Set<string>() };
    group.refs.add(entryKey({ cluster: r.target.cluster, ...refOf(r.object) }));
    byTarget.set(key, group);
  }
  return [...byTarget.values()].map(({ first, refs }) => {
    const { cluster, namespace, replicaKey } = first.target;
    const done = applied.find((a) => a.cluster === cluster)?.applied ?? [];
    return {
      cluster,
      namespace,
      replicaKey,
      component: first.component,
      objects: done.filter((d) => refs.has(entryKey({ cluster, ...d }))),
    };
  });
}

/** The action's result from the live objects of the first target (`read` gives each). */
export async function componentResult(
  objects: readonly RenderedObject[],
  read: (r: RenderedObject) => Promise<JsonObject | undefined>,
): Promise<ApplyComponentResult> {
  const first = objects[0];
  const targetOf = (r: RenderedObject): string => serviceKey({ component: "", ...r.target });
  const mine = first === undefined ? [] : objects.filter((r) => targetOf(r) === targetOf(first));
  const traits: Record<string, { value: JsonObject }> = {};
  let workload: JsonObject = {};
  for (const r of mine) {
    const live = (await read(r)) ?? r.object;
    if (isWorkload(r)) workload = live;
    const resource = labelsOf(r.object)["trait.oam.dev/resource"];
    if (typeof resource === "string") traits[resource] = { value: live };
  }
  return { workload, traits };
}
