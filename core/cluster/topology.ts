/**
 * Which clusters a topology policy targets (pure): the one implementation of KubeVela's rule
 * (`pkg/policy/topology.go`, `GetPlacementsFromTopologyPolicies`), used by the hub's
 * placement, by dry-run (without a registry) and by the in-use check behind
 * `flotilla cluster detach` / `edit`, so the three cannot disagree.
 */
import { isObject } from "../json.js";
import { matchesLabelSelector, selectorFromValue, selectorPlaceholder } from "./selector.js";
import type { LabelSelector } from "./selector.js";
import { LOCAL_CLUSTER } from "./types.js";

/** A cluster as selection sees it. */
export interface SelectableCluster {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** What a topology's properties ask for, before any cluster is looked at. */
export type TopologyChoice =
  | { readonly via: "name"; readonly names: readonly string[] }
  | {
      readonly via: "selector";
      /** `"invalid"` when malformed: it then selects nothing. */
      readonly selector: LabelSelector | "invalid";
      /** The selector as written (for messages and placeholders). */
      readonly written: unknown;
    }
  | { readonly via: "local" };

/** Which clusters a topology targets, and how it chose them. */
export interface TopologyResolution {
  readonly via: TopologyChoice["via"];
  readonly clusters: string[];
}

const given = (value: unknown): unknown => (value === null ? undefined : value);

/**
 * The choice a topology's properties make (see `resolveTopology` for the rule). Non-string
 * entries of `clusters` are dropped; `null` counts as absent, as Go's JSON decoding reads it.
 */
export function topologyChoice(properties: unknown): TopologyChoice {
  const props = isObject(properties) ? properties : {};
  if (Array.isArray(props.clusters)) {
    return { via: "name", names: props.clusters.filter((c) => typeof c === "string") };
  }
  const written = given(props.clusterLabelSelector) ?? given(props.clusterSelector);
  if (written === undefined) return { via: "local" };
  return { via: "selector", selector: selectorFromValue(written) ?? "invalid", written };
}

function selected(
  choice: Extract<TopologyChoice, { via: "selector" }>,
  clusters: readonly SelectableCluster[] | undefined,
): string[] {
  const { selector } = choice;
  if (selector === "invalid") return [];
  if (clusters === undefined) return [selectorPlaceholder(choice.written)];
  return clusters.filter((c) => matchesLabelSelector(selector, c.labels)).map((c) => c.name);
}

/**
 * The clusters a topology policy's `properties` target, with KubeVela's rule:
 * - `clusters`, when it is a list (even an empty one), names exactly the targets: a selector
 *   next to it is ignored, so `clusters: []` targets no cluster (KubeVela tests
 *   `Clusters != nil`, and Go decodes `[]` to a non-nil empty list). Names are not checked
 *   against the registry here, and non-string entries are dropped;
 * - else `clusterLabelSelector`, or the deprecated `clusterSelector`, selects every cluster of
 *   `clusters` whose labels match (a plain label map or a full LabelSelector; `{}` matches
 *   all, a malformed selector none);
 * - else the hub, `local`.
 *
 * `clusters` is every cluster a selector may pick (the hub passes its registry plus `local`).
 * Without it (dry-run: no registry), a selector yields one placeholder target named after it,
 * such as `selector(env=prod)`. Pure.
 */
export function resolveTopology(
  properties: unknown,
  clusters?: readonly SelectableCluster[],
): TopologyResolution {
  const choice = topologyChoice(properties);
  switch (choice.via) {
    case "name":
      return { via: "name", clusters: [...choice.names] };
    case "selector":
      return { via: "selector", clusters: selected(choice, clusters) };
    case "local":
      return { via: "local", clusters: [LOCAL_CLUSTER] };
  }
}

/** The parts of an Application (as listed from the API) the in-use check reads. */
export interface ApplicationLike {
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
  readonly spec?: { readonly policies?: unknown };
}

/** An application that targets a cluster, and why. */
export interface ClusterUse {
  readonly namespace: string;
  readonly name: string;
  /** The topology policy's name (`policies[i]` when unnamed; `""` without topology). */
  readonly policy: string;
  readonly via: "name" | "selector";
}

function usesOf(app: ApplicationLike, cluster: SelectableCluster): ClusterUse[] {
  const namespace = app.metadata?.namespace ?? "default";
  const name = app.metadata?.name ?? "";
  const policies = Array.isArray(app.spec?.policies) ? (app.spec.policies as unknown[]) : [];
  const topologies = policies.flatMap((p, i) =>
    isObject(p) && p.type === "topology"
      ? [{ policy: typeof p.name === "string" ? p.name : `policies[${i}]`, props: p.properties }]
      : [],
  );
  if (topologies.length === 0) {
    return cluster.name === LOCAL_CLUSTER ? [{ namespace, name, policy: "", via: "name" }] : [];
  }
  return topologies.flatMap(({ policy, props }) => {
    const { via, clusters } = resolveTopology(props, [cluster]);
    if (!clusters.includes(cluster.name)) return [];
    return [{ namespace, name, policy, via: via === "selector" ? "selector" : "name" }];
  });
}

/**
 * Every (application, topology policy) that targets `cluster`, in the order given, by the
 * rule of `resolveTopology`. An application without topology policies targets only `local`,
 * and is reported for it.
 */
export function applicationsTargeting(
  apps: readonly ApplicationLike[],
  cluster: SelectableCluster,
): ClusterUse[] {
  return apps.flatMap((app) => usesOf(app, cluster));
}
