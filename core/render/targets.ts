/**
 * Where each component goes, as far as the application alone says (pure): the topology
 * policies' explicit `clusters` and `namespace`, and replication policies' `keys` for the
 * components their `selector` names. Without a topology the target is the hub, `local`, in
 * the application's namespace. When the workflow has `deploy` steps, only the policies they
 * name count, in step order; otherwise every topology and replication policy does.
 * Cluster selectors need the cluster registry and are resolved by the hub, not here.
 */
import { isObject, type Application, type ApplicationPolicy } from "../oam/types.js";
import type { RenderTarget } from "./context.js";

export interface ComponentTarget {
  readonly component: string;
  readonly target: RenderTarget;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** The policies that apply, in the order deploy steps name them. */
export function activePolicies(app: Application): ApplicationPolicy[] {
  const policies = app.spec.policies ?? [];
  const deploySteps = (app.spec.workflow?.steps ?? []).filter((s) => s.type === "deploy");
  if (deploySteps.length === 0) return policies;
  const named = deploySteps.flatMap((s) => strings(s.properties?.policies));
  return named.flatMap((n) => policies.filter((p) => p.name === n));
}

function placements(
  app: Application,
  policies: ApplicationPolicy[],
): Array<{ cluster: string; namespace: string }> {
  const appNamespace = app.metadata.namespace ?? "default";
  const topologies = policies.filter((p) => p.type === "topology");
  if (topologies.length === 0) return [{ cluster: "local", namespace: appNamespace }];
  return topologies.flatMap((t) => {
    const props = isObject(t.properties) ? t.properties : {};
    const namespace = typeof props.namespace === "string" ? props.namespace : appNamespace;
    const clusters = strings(props.clusters);
    return (clusters.length > 0 ? clusters : ["local"]).map((cluster) => ({ cluster, namespace }));
  });
}

function replicaKeys(component: string, policies: ApplicationPolicy[]): string[] {
  const keys = policies
    .filter((p) => p.type === "replication")
    .filter((p) => strings(p.properties?.selector).includes(component))
    .flatMap((p) => strings(p.properties?.keys));
  return keys.length > 0 ? keys : [""];
}

/** Every (component, target) pair, placements first, then replica keys. */
export function componentTargets(app: Application): ComponentTarget[] {
  const policies = activePolicies(app);
  const all = placements(app, policies).flatMap((place) =>
    app.spec.components.flatMap((component) =>
      replicaKeys(component.name, policies).map((replicaKey) => ({
        component: component.name,
        target: { ...place, replicaKey },
      })),
    ),
  );
  const key = (t: ComponentTarget): string =>
    `${t.target.cluster}/${t.target.namespace}/${t.target.replicaKey}/${t.component}`;
  return all.filter((t, i) => all.findIndex((u) => key(u) === key(t)) === i);
}
