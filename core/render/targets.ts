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
 * Cluster selectors need the cluster registry: the hub passes a resolver; without one (dry-run)
 * a selector-only topology yields one placeholder target named after the selector, such as
 * `selector(purpose=test)`, so the output shows what would go there.
 */
import {
  isObject,
  type Application,
  type ApplicationComponent,
  type ApplicationPolicy,
  type JsonObject,
  type WorkflowStep,
} from "../oam/types.js";
import type { RenderTarget } from "./context.js";
import { applyOverride, overrideSpec } from "./override.js";

export interface ComponentTarget {
  readonly component: string;
  /** The component as this unit delivers it (overrides applied). */
  readonly spec: ApplicationComponent;
  readonly target: RenderTarget;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

function deploySteps(steps: readonly WorkflowStep[]): WorkflowStep[] {
  return steps.flatMap((s) => (s.type === "deploy" ? [s] : deploySteps(s.subSteps ?? [])));
}

/** The policies of each deploy unit, in delivery order (pure). */
export function deployUnits(app: Application): ApplicationPolicy[][] {
  const policies = app.spec.policies ?? [];
  const steps = deploySteps(app.spec.workflow?.steps ?? []);
  if (steps.length > 0) {
    return steps.map((s) =>
      strings(s.properties?.policies).flatMap((n) => policies.filter((p) => p.name === n)),
    );
  }
  const ofType = (type: string): ApplicationPolicy[] => policies.filter((p) => p.type === type);
  const shared = [...ofType("override"), ...ofType("replication")];
  const topologies = ofType("topology");
  return topologies.length === 0 ? [shared] : topologies.map((t) => [t, ...shared]);
}

/** Turns a topology policy's properties into cluster names (the hub's registry lookup). */
export type ClusterResolver = (topology: JsonObject) => string[];

const labelText = (labels: unknown): string =>
  isObject(labels)
    ? Object.entries(labels)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(",")
    : "";

/** Explicit `clusters`; else a placeholder naming the selector; else the hub (pure). */
export const offlineResolver: ClusterResolver = (props) => {
  const clusters = strings(props.clusters);
  if (clusters.length > 0) return clusters;
  const selector = isObject(props.clusterSelector) ? props.clusterSelector : {};
  // clusterSelector is either KubeVela's plain label map or a full LabelSelector.
  const full = "matchLabels" in selector || "matchExpressions" in selector;
  const labels = labelText(props.clusterLabelSelector ?? (full ? selector.matchLabels : selector));
  const expressions = Array.isArray(selector.matchExpressions) ? "+expressions" : "";
  if (labels !== "" || expressions !== "") return [`selector(${labels}${expressions})`];
  return ["local"];
};

function placements(
  app: Application,
  policies: ApplicationPolicy[],
  resolve: ClusterResolver,
): Array<{ cluster: string; namespace: string }> {
  const appNamespace = app.metadata.namespace ?? "default";
  const topologies = policies.filter((p) => p.type === "topology");
  if (topologies.length === 0) return [{ cluster: "local", namespace: appNamespace }];
  return topologies.flatMap((t) => {
    const props = isObject(t.properties) ? t.properties : {};
    const namespace = typeof props.namespace === "string" ? props.namespace : appNamespace;
    return resolve(props).map((cluster) => ({ cluster, namespace }));
  });
}

function replicaKeys(component: string, policies: ApplicationPolicy[]): string[] {
  const keys = policies
    .filter((p) => p.type === "replication")
    .filter((p) => strings(p.properties?.selector).includes(component))
    .flatMap((p) => strings(p.properties?.keys));
  return keys.length > 0 ? keys : [""];
}

function unitTargets(
  app: Application,
  policies: ApplicationPolicy[],
  resolve: ClusterResolver,
): ComponentTarget[] {
  const components = policies
    .filter((p) => p.type === "override")
    .reduce((list, p) => applyOverride(list, overrideSpec(p.properties)), app.spec.components);
  return placements(app, policies, resolve).flatMap((place) =>
    components.flatMap((spec) =>
      replicaKeys(spec.name, policies).map((replicaKey) => ({
        component: spec.name,
        spec,
        target: { ...place, replicaKey },
      })),
    ),
  );
}

/**
 * Every (component, target) pair, units in order; when two units deliver the same component
 * to the same target, the first wins.
 */
export function componentTargets(
  app: Application,
  resolve: ClusterResolver = offlineResolver,
): ComponentTarget[] {
  const all = deployUnits(app).flatMap((policies) => unitTargets(app, policies, resolve));
  const key = (t: ComponentTarget): string =>
    `${t.target.cluster}/${t.target.namespace}/${t.target.replicaKey}/${t.component}`;
  const seen = new Set<string>();
  return all.filter((t) => !seen.has(key(t)) && seen.add(key(t)) !== undefined);
}
