/**
 * Where each component goes and in which shape, as far as the application alone says (pure).
 *
 * Delivery happens in deploy units, as KubeVela's `deploy` workflow steps: each unit names
 * policies. With `deploy` steps in the workflow, each step is a unit with the policies it
 * names, in step order. Without them (KubeVela's default workflow), each topology policy makes
 * one unit together with every override policy; with no topology there is one unit, to the
 * hub. Replication policies join every default unit (a Flotilla convenience; with an explicit
 * workflow they count only where named).
 *
 * In a unit: topology policies give the clusters and namespace (`local`, the hub, in the
 * application's namespace when there is none), override policies patch the components in
 * order, replication policies give the replica keys of the components their `selector` names.
 * Which clusters a topology targets is core's `resolveTopology` (KubeVela's rule). Cluster
 * selectors need the cluster registry: the hub passes a resolver; without one (dry-run) a
 * selector yields one placeholder target named after it, such as `selector(purpose=test)`, so
 * the output shows what would go there.
 *
 * A topology with `nodePools` / `nodePoolSelector` targets, in each of its clusters, each
 * matched edge node pool (see node-pools.ts), with the pool as `replicaKey`: pool targets take
 * the place of replication keys, so a replication policy selecting a component of the same
 * unit is an error naming it.
 */
import { resolveTopology } from "../../core/cluster/topology.js";
import { isObject, type JsonObject } from "../../core/json.js";
import {
  type Application,
  type ApplicationComponent,
  type ApplicationPolicy,
  type WorkflowStep,
} from "../oam/types.js";
import type { RenderTarget } from "./context.js";
import {
  offlinePoolResolver,
  targetsNodePools,
  type NodePoolPlacement,
  type PoolResolver,
} from "./node-pools.js";
import { applyOverride, overrideSpec } from "./override.js";
import { RenderError } from "./render-error.js";

export interface ComponentTarget {
  readonly component: string;
  /** The component as this unit delivers it (overrides applied). */
  readonly spec: ApplicationComponent;
  readonly target: RenderTarget;
  /** The `deploy` workflow step whose unit delivers this pair; absent for default units. */
  readonly unit?: string;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

function deploySteps(steps: readonly WorkflowStep[]): WorkflowStep[] {
  return steps.flatMap((s) => (s.type === "deploy" ? [s] : deploySteps(s.subSteps ?? [])));
}

/** One deploy unit: the policies it delivers with, and its `deploy` step (absent: default). */
export interface DeployUnit {
  readonly step?: string;
  readonly policies: ApplicationPolicy[];
}

/** The deploy units, in delivery order (pure). */
export function deployUnits(app: Application): DeployUnit[] {
  const policies = app.spec.policies ?? [];
  const steps = deploySteps(app.spec.workflow?.steps ?? []);
  if (steps.length > 0) {
    return steps.map((s) => ({
      step: s.name,
      policies: strings(s.properties?.policies).flatMap((n) =>
        policies.filter((p) => p.name === n),
      ),
    }));
  }
  const ofType = (type: string): ApplicationPolicy[] => policies.filter((p) => p.type === type);
  const shared = [...ofType("override"), ...ofType("replication")];
  const topologies = ofType("topology");
  const units = topologies.length === 0 ? [shared] : topologies.map((t) => [t, ...shared]);
  return units.map((unit) => ({ policies: unit }));
}

/** Turns a topology policy's properties into cluster names (the hub's registry lookup). */
export type ClusterResolver = (topology: JsonObject) => string[];

/**
 * Without the registry (dry-run): core's `resolveTopology` with no clusters to select from, so
 * a selector yields one placeholder target named after it (pure).
 */
export const offlineResolver: ClusterResolver = (props) => resolveTopology(props).clusters;

interface Placement {
  readonly cluster: string;
  readonly namespace: string;
  /** Set when the topology targets node pools: one placement per matched pool. */
  readonly pool?: NodePoolPlacement;
}

/** How a unit's topologies are resolved (the hub's registry, or offline placeholders). */
interface Resolvers {
  readonly clusters: ClusterResolver;
  readonly pools: PoolResolver;
}

const propsOf = (p: ApplicationPolicy): JsonObject => (isObject(p.properties) ? p.properties : {});

function placements(
  app: Application,
  policies: ApplicationPolicy[],
  resolve: Resolvers,
): Placement[] {
  const appNamespace = app.metadata.namespace ?? "default";
  const topologies = policies.filter((p) => p.type === "topology");
  if (topologies.length === 0) return [{ cluster: "local", namespace: appNamespace }];
  return topologies.flatMap((t) => {
    const props = propsOf(t);
    const namespace = typeof props.namespace === "string" ? props.namespace : appNamespace;
    return resolve
      .clusters(props)
      .flatMap((cluster): Placement[] =>
        targetsNodePools(props)
          ? resolve.pools(cluster, props).map((pool) => ({ cluster, namespace, pool }))
          : [{ cluster, namespace }],
      );
  });
}

function replicaKeys(component: string, policies: ApplicationPolicy[]): string[] {
  const keys = policies
    .filter((p) => p.type === "replication")
    .filter((p) => strings(p.properties?.selector).includes(component))
    .flatMap((p) => strings(p.properties?.keys));
  return keys.length > 0 ? keys : [""];
}

/** Both would set `context.replicaKey`: a unit may not replicate components it delivers to pools. */
function checkPoolsWithoutReplication(
  app: Application,
  policies: ApplicationPolicy[],
  components: readonly ApplicationComponent[],
): void {
  const pooled = policies.find((p) => p.type === "topology" && targetsNodePools(propsOf(p)));
  if (pooled === undefined) return;
  const names = components.map((c) => c.name);
  const replication = policies.find(
    (p) =>
      p.type === "replication" && strings(p.properties?.selector).some((n) => names.includes(n)),
  );
  if (replication === undefined) return;
  throw new RenderError(
    { application: app.metadata.name, policy: replication.name },
    `replication cannot be combined with the node pools of topology policy "${pooled.name}" in the same deploy unit: each pool is already a copy with context.replicaKey set to the pool's name (deliver the replicated components in another deploy step, or drop one of the two)`,
  );
}

function targetsOf(
  place: Placement,
  component: string,
  policies: ApplicationPolicy[],
): RenderTarget[] {
  const where = { cluster: place.cluster, namespace: place.namespace };
  if (place.pool === undefined) {
    return replicaKeys(component, policies).map((replicaKey) => ({ ...where, replicaKey }));
  }
  return [{ ...where, replicaKey: place.pool.name, pool: place.pool }];
}

function unitTargets(app: Application, unit: DeployUnit, resolve: Resolvers): ComponentTarget[] {
  const { policies } = unit;
  const step = unit.step === undefined ? {} : { unit: unit.step };
  const components = policies
    .filter((p) => p.type === "override")
    .reduce((list, p) => applyOverride(list, overrideSpec(p.properties)), app.spec.components);
  checkPoolsWithoutReplication(app, policies, components);
  return placements(app, policies, resolve).flatMap((place) =>
    components.flatMap((spec) =>
      targetsOf(place, spec.name, policies).map((target) => ({
        component: spec.name,
        spec,
        target,
        ...step,
      })),
    ),
  );
}

/**
 * Every (component, target) pair, units in order; when two units deliver the same component
 * to the same target, the first wins. Throws `RenderError` when a unit combines node pools and
 * replication of the same component.
 */
export function componentTargets(
  app: Application,
  resolve: ClusterResolver = offlineResolver,
  resolvePools: PoolResolver = offlinePoolResolver,
): ComponentTarget[] {
  const resolvers = { clusters: resolve, pools: resolvePools };
  const all = deployUnits(app).flatMap((unit) => unitTargets(app, unit, resolvers));
  const key = (t: ComponentTarget): string =>
    `${t.target.cluster}/${t.target.namespace}/${t.target.replicaKey}/${t.component}`;
  const seen = new Set<string>();
  return all.filter((t) => !seen.has(key(t)) && seen.add(key(t)) !== undefined);
}
