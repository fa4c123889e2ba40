/**
 * Label selectors over clusters and node pools (pure): read from a policy property, matched
 * against labels, and written as placeholder text. A selector is either a plain
 * `{key: value}` map (KubeVela's form) or a Kubernetes LabelSelector (`matchLabels` +
 * `matchExpressions` with In, NotIn, Exists, DoesNotExist); a malformed one reads as
 * `"invalid"` and matches nothing. Topology policies use them through topology.ts.
 */
import { isObject } from "../json.js";

/** One `matchExpressions` entry: `key` `operator` (In, NotIn, Exists, DoesNotExist) `values`. */
export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: string;
  readonly values?: readonly string[];
}

/** A Kubernetes LabelSelector: every matchLabels entry and every requirement must hold. */
export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
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

const labelText = (labels: unknown): string =>
  isObject(labels)
    ? Object.entries(labels)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(",")
    : "";

/**
 * A selector as placeholder text: `k=v,…` plus `+expressions` when it has matchExpressions;
 * `""` for an empty or absent one. Accepts KubeVela's plain label map or a LabelSelector.
 */
export function selectorText(value: unknown): string {
  const selector = isObject(value) ? value : {};
  const full = "matchLabels" in selector || "matchExpressions" in selector;
  const labels = labelText(full ? selector.matchLabels : selector);
  const expressions = Array.isArray(selector.matchExpressions) ? "+expressions" : "";
  return `${labels}${expressions}`;
}

/**
 * What stands for a selector's matches when they cannot be known (dry-run has no registry and
 * no pool reports): `selector(k=v,…[+expressions])`, or `selector(*)` for one matching all.
 */
export function selectorPlaceholder(value: unknown): string {
  const text = selectorText(value);
  return `selector(${text === "" ? "*" : text})`;
}
