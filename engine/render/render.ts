/**
 * `renderApplication`: the whole application, every component for every target, as plain
 * objects with KubeVela's labels, in a stable order (targets sorted by cluster, namespace and
 * replica key; within a target, components in application order, each workload before its
 * auxiliary objects). Objects that two replicas render identically (same kind, namespace and
 * name) are kept once per target. Workloads rendered for an edge node pool are named and
 * placed for it (pool-placement.ts) before that comparison. Pure given the CUE engine.
 */
import type { CueEngine } from "../cue/engine.js";
import type { JsonObject } from "../../core/json.js";
import type { Application, ApplicationComponent } from "../oam/types.js";
import { renderComponent, type RenderedComponent } from "./component.js";
import type { RenderTarget } from "./context.js";
import type { DefinitionSet } from "./definition-set.js";
import { stampObject } from "./labels.js";
import { validatePolicies } from "./policies.js";
import { convertEnvBinding } from "./env-binding.js";
import type { PoolResolver } from "./node-pools.js";
import { placeOnPool, skipsNodePoolPlacement } from "./pool-placement.js";
import { componentTargets, type ClusterResolver } from "./targets.js";

export interface RenderInput {
  readonly engine: CueEngine;
  readonly definitions: DefinitionSet;
  readonly app: Application;
  /** Application revision number (1 for a first render). */
  readonly revision?: number;
  /** Cluster selector resolution (the hub's registry); default: offline placeholders. */
  readonly resolveClusters?: ClusterResolver;
  /** Node pool resolution (the agents' reports); default: named pools and placeholders. */
  readonly resolvePools?: PoolResolver;
}

export interface RenderedObject {
  readonly target: RenderTarget;
  readonly component: string;
  readonly object: JsonObject;
  /** The `deploy` workflow step that delivers the object; absent for default units. */
  readonly unit?: string;
}

const compareTargets = (a: RenderTarget, b: RenderTarget): number =>
  a.cluster.localeCompare(b.cluster) ||
  a.namespace.localeCompare(b.namespace) ||
  a.replicaKey.localeCompare(b.replicaKey);

function identity(target: RenderTarget, object: JsonObject): string {
  const meta = (object.metadata ?? {}) as JsonObject;
  const where = `${target.cluster}/${target.namespace}`;
  return `${where}|${String(object.apiVersion)}|${String(object.kind)}|${String(meta.namespace)}|${String(meta.name)}`;
}

export function renderApplication(input: RenderInput): RenderedObject[] {
  validatePolicies(input.engine, input.definitions, input.app);
  const revision = input.revision ?? 1;
  // env-binding (KubeVela 1.1) is delivered as the topology + override policies that replaced it.
  const app = convertEnvBinding(input.app);
  const pairs = componentTargets(app, input.resolveClusters, input.resolvePools).sort((a, b) =>
    compareTargets(a.target, b.target),
  );
  const seen = new Set<string>();
  const result: RenderedObject[] = [];
  for (const { spec, target, unit } of pairs) {
    for (const rendered of renderComponentAt({ ...input, revision }, spec, target)) {
      const key = identity(target, rendered.object);
      if (seen.has(key)) continue;
      seen.add(key);
      result.push(unit === undefined ? rendered : { ...rendered, unit });
    }
  }
  return result;
}

/**
 * One component rendered for one target, stamped with KubeVela's labels and placed on the
 * target's node pool (what a workflow step's `op.#ApplyComponent` applies).
 */
export function renderComponentAt(
  input: RenderInput,
  component: ApplicationComponent,
  target: RenderTarget,
): RenderedObject[] {
  const revision = input.revision ?? 1;
  const rendered = renderComponent({ ...input, component, target, revision });
  const objects = stamped(input.app, rendered, target, revision);
  return onPool(input.app, component.name, objects, target).map((object) => ({
    target,
    component: component.name,
    object,
  }));
}

function stamped(
  app: Application,
  rendered: RenderedComponent,
  target: RenderTarget,
  revision: number,
): JsonObject[] {
  const base = {
    appName: app.metadata.name,
    appNamespace: app.metadata.namespace ?? "default",
    component: rendered.name,
    revision: `${app.metadata.name}-v${revision}`,
    namespace: target.namespace,
  };
  return [
    stampObject(rendered.workload, { ...base, workloadType: rendered.type }),
    ...rendered.auxiliaries.map((aux) =>
      stampObject(aux.object, { ...base, resource: [aux.from, aux.name] }),
    ),
  ];
}

/** The objects as delivered to the target's node pool, if it is one. */
function onPool(
  app: Application,
  component: string,
  objects: JsonObject[],
  target: RenderTarget,
): JsonObject[] {
  const pool = target.pool;
  if (pool === undefined) return objects;
  const place = !skipsNodePoolPlacement(app, component);
  return objects.map((o) => placeOnPool(o, pool, place));
}
