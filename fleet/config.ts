/**
 * The fleet's configuration: which clusters to start, how many fake nodes each has, and which
 * OpenYurt node pools an edge cluster holds. `parseFleetConfig` validates a YAML document or
 * object, applies defaults in one place and reports every problem at once.
 */
import { isObject } from "../core/json.js";
import { parse } from "yaml";
import { InvalidInputError } from "../core/errors.js";
import { labelKeyProblem, labelValueProblem } from "../core/cluster/labels.js";

export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

export interface NodePoolSpec {
  readonly name: string;
  readonly nodes: number;
  readonly type: "Edge" | "Cloud";
  readonly taints: readonly Taint[];
}

export interface ClusterSpec {
  readonly name: string;
  /** The hub runs the aggregation layer (front-proxy CA and client certificate). */
  readonly hub: boolean;
  /** Plain nodes (simulated by kwok), outside any pool. */
  readonly nodes: number;
  /**
   * Real nodes (kubelet + containerd + runc, each in a network namespace of its own) beside
   * the kwok nodes; tainted `flotilla.dev/real-node=true:NoSchedule`, so only pods that
   * tolerate it run there. Needs root and the Debian packages listed in fleet/README.md.
   */
  readonly realNodes: number;
  /** OpenYurt node pools; non-empty makes this an edge cluster (NodePool CRD installed). */
  readonly pools: readonly NodePoolSpec[];
  /** Labels the cluster is registered with on the hub (`flotilla fleet up` joins members). */
  readonly labels?: Readonly<Record<string, string>>;
}

export interface FleetConfig {
  readonly clusters: readonly ClusterSpec[];
}

/**
 * Raised for an invalid fleet configuration; `problems` lists each one with its path. It is
 * bad input (`InvalidInput`), which the CLI reports as one line.
 */
export class FleetConfigError extends InvalidInputError {
  override readonly name = "FleetConfigError";
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`invalid fleet configuration:\n  - ${problems.join("\n  - ")}`);
    this.problems = problems;
  }
}

/** Every node of a cluster: its plain nodes plus each pool's. */
export function nodeCount(cluster: Pick<ClusterSpec, "nodes" | "pools">): number {
  return cluster.nodes + cluster.pools.reduce((sum, p) => sum + p.nodes, 0);
}

/** The taint the OpenYurt edge seed puts on every node of a pool. */
export function seedPoolTaints(pool: string): Taint[] {
  return [{ key: "apps.openyurt.io/example", value: pool, effect: "NoSchedule" }];
}

/**
 * The default fleet: hub `local`, `member-1`, `member-2`, and `edge-1` with two pools; one real
 * node on `local` and one on `member-1`.
 */
export const defaultFleetConfig: FleetConfig = {
  clusters: [
    { name: "local", hub: true, nodes: 1, realNodes: 1, pools: [] },
    {
      name: "member-1",
      hub: false,
      nodes: 2,
      realNodes: 1,
      pools: [],
      labels: { region: "beijing", env: "staging" },
    },
    {
      name: "member-2",
      hub: false,
      nodes: 2,
      realNodes: 0,
      pools: [],
      labels: { region: "shanghai", env: "prod" },
    },
    {
      name: "edge-1",
      hub: false,
      nodes: 0,
      realNodes: 0,
      labels: { region: "hangzhou", env: "edge" },
      pools: ["beijing", "shanghai"].map((name) => ({
        name,
        nodes: 2,
        type: "Edge" as const,
        taints: seedPoolTaints(name),
      })),
    },
  ],
};

const dnsLabel = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const effects = new Set(["NoSchedule", "PreferNoSchedule", "NoExecute"]);
const maxNodes = 100;
const maxRealNodes = 8;

/** Parses and validates a fleet configuration from YAML text or an already parsed value. */
export function parseFleetConfig(input: unknown): FleetConfig {
  const raw: unknown = typeof input === "string" ? parse(input) : input;
  const problems: string[] = [];
  if (!isObject(raw) || !Array.isArray(raw.clusters) || raw.clusters.length === 0) {
    throw new FleetConfigError(["clusters: must be a non-empty list"]);
  }
  const clusters = raw.clusters.map((c, i) => parseCluster(c, `clusters[${i}]`, problems));
  checkUnique(
    clusters.map((c) => c.name),
    "clusters",
    problems,
  );
  const hubs = clusters.filter((c) => c.hub);
  if (hubs.length > 1)
    problems.push(`clusters: at most one hub, found ${hubs.map((h) => h.name).join(", ")}`);
  const local = clusters.find((c) => c.name === "local");
  if (local !== undefined && !local.hub) problems.push(`clusters: "local" is reserved for the hub`);
  if (problems.length > 0) throw new FleetConfigError(problems);
  return { clusters };
}

function parseCluster(value: unknown, at: string, problems: string[]): ClusterSpec {
  if (!isObject(value)) {
    problems.push(`${at}: must be an object with a name`);
    return { name: "", hub: false, nodes: 0, realNodes: 0, pools: [] };
  }
  const name = checkName(value.name, `${at}.name`, problems);
  const hub = value.hub === undefined ? name === "local" : value.hub === true;
  if (value.hub !== undefined && typeof value.hub !== "boolean")
    problems.push(`${at}.hub: must be true or false`);
  const pools = parsePools(value.pools, `${at}.pools`, problems);
  const nodes = checkCount(value.nodes, `${at}.nodes`, problems, {
    fallback: pools.length > 0 ? 0 : 2,
  });
  const realNodes = checkCount(value.realNodes, `${at}.realNodes`, problems, {
    fallback: 0,
    max: maxRealNodes,
  });
  if (nodeCount({ nodes, pools }) + realNodes === 0) {
    problems.push(`${at}: needs at least one node (in nodes or in a pool)`);
  }
  const labels = parseClusterLabels(value.labels, `${at}.labels`, problems);
  return { name, hub, nodes, realNodes, pools, ...(labels === undefined ? {} : { labels }) };
}

function parseClusterLabels(
  value: unknown,
  at: string,
  problems: string[],
): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) {
    problems.push(`${at}: must be a map of label keys to string values`);
    return undefined;
  }
  const labels: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    const problem =
      labelKeyProblem(key) ??
      (typeof v === "string" ? labelValueProblem(v) : "value must be a string");
    if (problem === undefined) labels[key] = v as string;
    else problems.push(`${at}.${key}: ${problem}`);
  }
  return labels;
}

function parsePools(value: unknown, at: string, problems: string[]): NodePoolSpec[] {
  const raw = value ?? [];
  if (!Array.isArray(raw)) problems.push(`${at}: must be a list`);
  const pools = Array.isArray(raw) ? raw.map((p, i) => parsePool(p, `${at}[${i}]`, problems)) : [];
  checkUnique(
    pools.map((p) => p.name),
    at,
    problems,
  );
  return pools;
}

function parsePool(value: unknown, at: string, problems: string[]): NodePoolSpec {
  const pool = isObject(value) ? value : {};
  if (!isObject(value)) problems.push(`${at}: must be an object with a name`);
  const name = checkName(pool.name, `${at}.name`, problems);
  const nodes = checkCount(pool.nodes, `${at}.nodes`, problems, { fallback: 2 });
  const type = pool.type ?? "Edge";
  if (type !== "Edge" && type !== "Cloud") problems.push(`${at}.type: must be Edge or Cloud`);
  const taints =
    pool.taints === undefined
      ? seedPoolTaints(name)
      : parseTaints(pool.taints, `${at}.taints`, problems);
  return { name, nodes, type: type === "Cloud" ? "Cloud" : "Edge", taints };
}

function parseTaints(value: unknown, at: string, problems: string[]): Taint[] {
  if (!Array.isArray(value)) {
    problems.push(`${at}: must be a list`);
    return [];
  }
  return value.flatMap((t: unknown, i): Taint[] => {
    const taint = isObject(t) ? t : {};
    const { key, value, effect } = taint;
    const valueOk = value === undefined || typeof value === "string";
    if (typeof key !== "string" || !effects.has(effect as string) || !valueOk) {
      problems.push(
        `${at}[${i}]: needs a string key, an optional string value and an effect (NoSchedule, PreferNoSchedule, NoExecute)`,
      );
      return [];
    }
    const withValue = typeof value === "string" ? { value } : {};
    return [{ key, ...withValue, effect: effect as Taint["effect"] }];
  });
}

function checkName(value: unknown, at: string, problems: string[]): string {
  if (typeof value !== "string" || !dnsLabel.test(value)) {
    problems.push(
      `${at}: must be a DNS label (lower-case letters, digits and "-"), got ${JSON.stringify(value)}`,
    );
    return typeof value === "string" ? value : "";
  }
  return value;
}

function checkCount(
  value: unknown,
  at: string,
  problems: string[],
  { fallback, max = maxNodes }: { fallback: number; max?: number },
): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > max) {
    problems.push(`${at}: must be a whole number from 0 to ${max}, got ${JSON.stringify(value)}`);
    return fallback;
  }
  return value;
}

function checkUnique(names: string[], at: string, problems: string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name) && name !== "") problems.push(`${at}: duplicate name "${name}"`);
    seen.add(name);
  }
}
