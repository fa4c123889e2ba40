/**
 * Which clusters an Application's topology policies target (pure), with KubeVela's rules
 * (`pkg/policy/topology.go`): a policy with `clusters` targets exactly those names; otherwise
 * `clusterLabelSelector` (or the deprecated `clusterSelector`) selects every registered cluster
 * whose labels match (an empty selector matches all); a policy with neither targets `local`.
 * Selectors are either a plain `{key: value}` map (KubeVela's form) or a Kubernetes
 * LabelSelector (`matchLabels` + `matchExpressions` with In, NotIn, Exists, DoesNotExist).
 * A malformed selector matches no cluster. Used by `cluster detach` and the hub controller.
 */
import { isObject } from "../json.js";
import { LOCAL_CLUSTER } from "./types.js";

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: string;
  readonly values?: readonly string[];
}

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

/** A cluster as selection sees it. */
export interface SelectableCluster {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** The parts of an Application (as listed from the API) this module reads. */
export interface ApplicationLike {
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
  readonly spec?: { readonly policies?: unknown };
}

/** One topology policy's placement: explicit names, a selector, or (neither) the hub. */
export interface TopologyPlacement {
  readonly policy: string;
  readonly clusters?: readonly string[];
  /** `"invalid"` when the selector is malformed: it then selects nothing. */
  readonly selector?: LabelSelector | "invalid";
}

/** An application that targets a cluster, and why. */
export interface ClusterUse {
  readonly namespace: string;
  readonly name: string;
  readonly policy: string;
  readonly via: "name" | "selector";
}

function requirementMatches(
  req: LabelSelectorRequirement,
  labels: Record<string, string>,
): boolean {
  const has = Object.hasOwn(labels, req.key);
  const values = req.values ?? [];
  switch (req.operator) {
    case "In":
      return has && values.includes(labels[req.key] ?? "");
    case "NotIn":
      return !has || !values.includes(labels[req.key] ?? "");
    case "Exists":
      return has;
    case "DoesNotExist":
      return !has;
    default:
      return false;
  }
}

/** True when `labels` satisfy every matchLabels entry and every matchExpressions requirement. */
export function matchesLabelSelector(
  selector: LabelSelector,
  labels: Readonly<Record<string, string>>,
): boolean {
  const plain = { ...labels };
  const matchLabels = Object.entries(selector.matchLabels ?? {});
  return (
    matchLabels.every(([k, v]) => plain[k] === v) &&
    (selector.matchExpressions ?? []).every((req) => requirementMatches(req, plain))
  );
}

const isStringMap = (v: unknown): v is Record<string, string> =>
  isObject(v) && Object.values(v).every((x) => typeof x === "string");

const operators = new Set(["In", "NotIn", "Exists", "DoesNotExist"]);
const isStringList = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((x) => typeof x === "string");

/** A valid requirement: In/NotIn need values, Exists/DoesNotExist take none. */
function requirementOf(value: unknown): LabelSelectorRequirement | undefined {
  if (!isObject(value) || typeof value.key !== "string" || typeof value.operator !== "string") {
    return undefined;
  }
  const values = value.values ?? [];
  if (!operators.has(value.operator) || !isStringList(values)) return undefined;
  const needsValues = value.operator === "In" || value.operator === "NotIn";
  if (needsValues !== values.length > 0) return undefined;
  return { key: value.key, operator: value.operator, ...(needsValues ? { values } : {}) };
}

function fullSelectorOf(value: Record<string, unknown>): LabelSelector | "invalid" {
  const { matchLabels, matchExpressions, ...rest } = value;
  if (Object.keys(rest).length > 0) return "invalid";
  if (matchLabels !== undefined && !isStringMap(matchLabels)) return "invalid";
  if (matchExpressions !== undefined && !Array.isArray(matchExpressions)) return "invalid";
  const requirements = (matchExpressions ?? []).map(requirementOf);
  if (requirements.some((r) => r === undefined)) return "invalid";
  return {
    ...(matchLabels ? { matchLabels } : {}),
    matchExpressions: requirements as LabelSelectorRequirement[],
  };
}

/**
 * A selector from a policy property: undefined when absent, `"invalid"` when malformed.
 * A map of strings is KubeVela's `matchLabels` shorthand.
 */
export function selectorFromValue(value: unknown): LabelSelector | "invalid" | undefined {
  if (value === undefined || value === null) return undefined;
  if (isStringMap(value)) return { matchLabels: value };
  return isObject(value) ? fullSelectorOf(value) : "invalid";
}

function placementOf(policy: Record<string, unknown>, index: number): TopologyPlacement {
  const name = typeof policy.name === "string" ? policy.name : `policies[${index}]`;
  const props = isObject(policy.properties) ? policy.properties : {};
  if (Array.isArray(props.clusters)) {
    return { policy: name, clusters: props.clusters.filter((c) => typeof c === "string") };
  }
  const selector =
    selectorFromValue(props.clusterLabelSelector) ?? selectorFromValue(props.clusterSelector);
  return selector === undefined ? { policy: name } : { policy: name, selector };
}

/** The placement of each topology policy of `app` (others are ignored). */
export function topologyPlacements(app: ApplicationLike): TopologyPlacement[] {
  const policies = Array.isArray(app.spec?.policies) ? (app.spec.policies as unknown[]) : [];
  return policies.flatMap((p, i) =>
    isObject(p) && p.type === "topology" ? [placementOf(p, i)] : [],
  );
}

/** How `placement` targets `cluster`: by name, by selector, or not at all (undefined). */
export function placementTargets(
  placement: TopologyPlacement,
  cluster: SelectableCluster,
): "name" | "selector" | undefined {
  if (placement.clusters !== undefined) {
    return placement.clusters.includes(cluster.name) ? "name" : undefined;
  }
  if (placement.selector === undefined) return cluster.name === LOCAL_CLUSTER ? "name" : undefined;
  if (placement.selector === "invalid") return undefined;
  return matchesLabelSelector(placement.selector, cluster.labels) ? "selector" : undefined;
}

/**
 * Every (application, topology policy) that targets `cluster`, in the order given. An
 * application without topology policies targets only `local`, and is reported for it.
 */
export function applicationsTargeting(
  apps: readonly ApplicationLike[],
  cluster: SelectableCluster,
): ClusterUse[] {
  return apps.flatMap((app) => {
    const namespace = app.metadata?.namespace ?? "default";
    const name = app.metadata?.name ?? "";
    const placements = topologyPlacements(app);
    if (placements.length === 0) {
      return cluster.name === LOCAL_CLUSTER ? [{ namespace, name, policy: "", via: "name" }] : [];
    }
    return placements.flatMap((p) => {
      const via = placementTargets(p, cluster);
      return via === undefined ? [] : [{ namespace, name, policy: p.policy, via }];
    });
  });
}
