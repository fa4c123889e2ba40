/**
 * Cluster labels as users type them (`k=v,k2=v2` to add, `k,k2` to delete), validated with
 * Kubernetes' label rules, and cluster names validated as Secret names; the DNS-1123 label and
 * subdomain checks behind them are exported for other names. Pure; every problem is reported
 * at once in one `InvalidInputError` that names the bad entries.
 */
import { InvalidInputError } from "../errors.js";
import { LOCAL_CLUSTER } from "./types.js";

/** Label keys under this prefix are KubeVela's and Flotilla's own (credential type, …). */
export const RESERVED_LABEL_PREFIX = "cluster.core.oam.dev";

const labelName = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Whether `value` is a DNS-1123 label (a Service name or a namespace): at most 63 lower-case
 * letters, digits and '-', starting and ending with a letter or digit.
 */
export const isDnsLabel = (value: string): boolean => value.length <= 63 && dnsLabel.test(value);

/** Why `value` is not a DNS-1123 subdomain (lower case, dots between labels), or undefined. */
export function subdomainProblem(value: string): string | undefined {
  if (value.length === 0) return "must not be empty";
  if (value.length > 253) return "must be at most 253 characters";
  if (!value.split(".").every((part) => dnsLabel.test(part))) {
    return "must consist of lower case letters, digits, '-' and '.', and start and end with a letter or digit";
  }
  return undefined;
}

/** Why `key` is not a valid (and unreserved) label key, or undefined. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined) {
    const problem = subdomainProblem(prefix);
    if (problem !== undefined) return `prefix "${prefix}" ${problem}`;
  }
  if (key.startsWith(RESERVED_LABEL_PREFIX)) {
    return `keys starting with "${RESERVED_LABEL_PREFIX}" are reserved`;
  }
  if (name.length === 0 || name.length > 63) return "name part must have 1 to 63 characters";
  if (!labelName.test(name)) {
    return "name part must consist of letters, digits, '-', '_' and '.', and start and end with a letter or digit";
  }
  return undefined;
}

/** Why `value` is not a valid label value, or undefined (the empty value is valid). */
export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return "must be at most 63 characters";
  if (value !== "" && !labelName.test(value)) {
    return "must consist of letters, digits, '-', '_' and '.', and start and end with a letter or digit";
  }
  return undefined;
}

const entries = (text: string): string[] =>
  text
    .split(",")
    .map((e) => e.trim())
    .filter((e) => e !== "");

function fail(what: string, problems: string[]): never {
  throw new InvalidInputError(`invalid ${what}: ${problems.join("; ")}`);
}

function entryProblem(entry: string, seen: Set<string>): string | undefined {
  const eq = entry.indexOf("=");
  if (eq < 0) return `"${entry}" is not key=value`;
  const key = entry.slice(0, eq);
  const value = entry.slice(eq + 1);
  const problem = labelKeyProblem(key);
  if (problem !== undefined) return `"${entry}": key ${problem}`;
  const valueProblem = labelValueProblem(value);
  if (valueProblem !== undefined) return `"${entry}": value ${valueProblem}`;
  if (seen.has(key)) return `"${entry}": key "${key}" is given more than once`;
  seen.add(key);
  return undefined;
}

/**
 * Parses `k=v,k2=v2` (spaces around entries ignored). Throws `InvalidInputError` naming every
 * bad entry, or when there is no entry at all.
 */
export function parseLabels(text: string): Record<string, string> {
  const list = entries(text);
  if (list.length === 0) fail("labels", ["no key=value given"]);
  const seen = new Set<string>();
  const problems = list.flatMap((e) => entryProblem(e, seen) ?? []);
  if (problems.length > 0) fail("labels", problems);
  return Object.fromEntries(
    list.map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]),
  );
}

/** Parses `k,k2` (label keys to delete); throws `InvalidInputError` naming every bad key. */
export function parseLabelKeys(text: string): string[] {
  const list = entries(text);
  if (list.length === 0) fail("label keys", ["no key given"]);
  const problems = list.flatMap((k) => {
    const problem = labelKeyProblem(k);
    return problem === undefined ? [] : [`"${k}": ${problem}`];
  });
  if (problems.length > 0) fail("label keys", problems);
  return [...new Set(list)];
}

/** Labels as one `k=v,k2=v2` string, keys sorted; "" when there are none. */
export function formatLabels(labels: Readonly<Record<string, string>>): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(",");
}

/**
 * Throws `InvalidInputError` unless `name` can name a registered cluster: a DNS-1123
 * subdomain (it is the credential Secret's name) other than the reserved `local`.
 */
export function assertClusterName(name: string): void {
  if (name === LOCAL_CLUSTER) {
    throw new InvalidInputError(
      `cannot use "${LOCAL_CLUSTER}" as a cluster name: it is reserved for the hub itself`,
    );
  }
  const problem = subdomainProblem(name);
  if (problem !== undefined)
    throw new InvalidInputError(`invalid cluster name "${name}": ${problem}`);
}
