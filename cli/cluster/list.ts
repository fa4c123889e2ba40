/**
 * `flotilla cluster list`: `local` (the hub, never stored) first, then every registered
 * cluster, as a table (NAME, ALIAS, READY, VERSION, NODES, POOLS, LAST-SEEN, CREDENTIAL,
 * ENDPOINT, LABELS) or as JSON / YAML with a `health` object per cluster. No credential
 * material is ever printed. Secrets that cannot be read as clusters are reported on stderr
 * and do not stop the listing.
 *
 * Health comes from the hub: the agents' heartbeat Leases (`flotilla-agent-<cluster>`) and
 * ClusterReports in `vela-system`. READY is the `Ready` condition the hub controller wrote on
 * the ClusterReport, except that a heartbeat older than its Lease's duration always shows
 * Unknown — so a stopped hub controller cannot leave a dead cluster looking Ready. Without a
 * condition (no hub controller judging health) READY follows the heartbeat and the report as
 * the hub would: Unknown (`ClusterNotReachable`) when the agent cannot reach the API server,
 * NotReady when the cluster has nodes and none is Ready.
 * Health that cannot be read (no permission, no ClusterReport CRD) shows as Unknown / `-`.
 */
import {
  CoordinationV1Api,
  CustomObjectsApi,
  VersionApi,
  type KubeConfig,
  type V1Lease,
} from "@kubernetes/client-node";
import { stringify } from "yaml";
import { apiStatusOf, withTimeout } from "../../core/cluster/kube.js";
import { formatLabels } from "../../core/cluster/labels.js";
import { clusterRegistry } from "../../core/cluster/registry.js";
import { LOCAL_CLUSTER, REGISTRY_NAMESPACE, type ClusterRecord } from "../../core/cluster/types.js";
import { recordOf } from "../../core/controller/lease-record.js";
import { errorText } from "../../core/controller/logger.js";
import { humanDuration } from "../app/time.js";
import { CliError, type Output } from "../output.js";
import { formatTable } from "../table.js";
import type { Hub } from "./hub.js";

/** The hub controller's default grace (hub/health), for Leases that state no duration. */
const DEFAULT_GRACE_MS = 10_000;
const TIMEOUT = withTimeout(10_000);
/** The agents' contract on the hub (hub/health/contract.ts). */
const LEASE_PREFIX = "flotilla-agent-";
const REPORTS = { group: "cluster.flotilla.dev", version: "v1alpha1", plural: "clusterreports" };

export type HealthState = "Ready" | "NotReady" | "Unknown" | "Pending";

/** One cluster's health as listed (what `-o json` prints under `health`). */
export interface ClusterHealthView {
  readonly state: HealthState;
  readonly reason: string;
  readonly message: string;
  readonly kubernetesVersion?: string;
  readonly nodes?: Readonly<Record<"total" | "ready" | "notReady", number>>;
  readonly pools?: ReadonlyArray<{ name: string } & Record<"readyNodes" | "notReadyNodes", number>>;
  /** The agent's last heartbeat (RFC 3339). */
  readonly lastSeen?: string;
}

/** One row of the listing (what `-o json` prints per cluster). */
export interface ClusterView {
  readonly name: string;
  readonly alias?: string;
  /** `Internal` for `local`, else the stored credential type. */
  readonly credential: string;
  readonly endpoint: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly createdAt?: string;
  readonly health: ClusterHealthView;
}

/** What the hub holds about one member's health, as read (either may be missing). */
export interface HealthRecord {
  readonly lease?: V1Lease;
  /** The ClusterReport as JSON. */
  readonly report?: unknown;
}

/** The value at `path` in plain JSON, or undefined. */
function at(value: unknown, ...path: string[]): unknown {
  let v = value;
  for (const key of path)
    v = typeof v === "object" && v !== null ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

const text = (v: unknown): string => (typeof v === "string" ? v : "");
const count = (v: unknown): number => (typeof v === "number" ? v : 0);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const counts = <K extends string>(v: unknown, keys: readonly K[]): Record<K, number> =>
  Object.fromEntries(keys.map((k) => [k, count(at(v, k))])) as Record<K, number>;

type Verdict = Pick<ClusterHealthView, "state" | "reason" | "message">;

function conditionVerdict(report: unknown): Verdict | undefined {
  const c = list(at(report, "status", "conditions")).find((x) => at(x, "type") === "Ready");
  if (c === undefined) return undefined;
  const [status, reason] = [at(c, "status"), text(at(c, "reason"))];
  const unknown = reason === "ClusterStatusPending" ? "Pending" : "Unknown";
  const state = status === "True" ? "Ready" : status === "False" ? "NotReady" : unknown;
  return { state, reason, message: text(at(c, "message")) };
}

/** Whether the Lease was renewed within its duration (the hub's default grace if it has none). */
function heartbeatFresh(lease: V1Lease | undefined, now: number): Verdict | undefined {
  const record = lease === undefined ? undefined : recordOf(lease);
  const renewedAt = Date.parse(record?.renewTime ?? "");
  if (Number.isNaN(renewedAt)) {
    const message = "the cluster's agent has never renewed its heartbeat Lease";
    return { state: "Unknown", reason: "NoHeartbeat", message };
  }
  const validMs = (record?.leaseDurationSeconds ?? 0) * 1000 || DEFAULT_GRACE_MS;
  if (now < renewedAt + validMs) return undefined;
  const message = `no heartbeat for longer than the Lease's ${validMs / 1000}s`;
  return { state: "Unknown", reason: "HeartbeatExpired", message };
}

/** Without a hub condition: the report decides, as the hub would (hub/health/state.ts). */
function reportVerdict(report: unknown): Verdict {
  if (at(report, "apiReady") === false) {
    const message = "the agent's heartbeat is current but it cannot reach the cluster's API server";
    return { state: "Unknown", reason: "ClusterNotReachable", message };
  }
  const nodes = counts(at(report, "nodes"), ["total", "ready"]);
  if (nodes.total > 0 && nodes.ready === 0) {
    const message = `the agent's heartbeat is current; none of the cluster's ${nodes.total} node(s) is Ready`;
    return { state: "NotReady", reason: "ClusterNotReady", message };
  }
  const message = "the agent's heartbeat is current; it reports the API server ready";
  return { state: "Ready", reason: "ClusterReady", message };
}

/** READY from the hub's condition, the heartbeat's age and the report (pure). */
function verdictOf(record: HealthRecord, now: number): Verdict {
  const stale = heartbeatFresh(record.lease, now);
  const judged = conditionVerdict(record.report);
  if (judged !== undefined) {
    // Verdicts the hub gives only while the heartbeat is current.
    const alive =
      judged.state === "Ready" ||
      judged.state === "NotReady" ||
      judged.reason === "ClusterNotReachable";
    return alive && stale !== undefined ? stale : judged;
  }
  return stale ?? reportVerdict(at(record.report, "status", "report"));
}

/** One member's health view at `now` (pure). */
export function memberHealth(record: HealthRecord, now: number): ClusterHealthView {
  const report = at(record.report, "status", "report");
  const renewTime = record.lease === undefined ? "" : recordOf(record.lease).renewTime;
  const version = text(at(report, "kubernetesVersion"));
  const nodes = at(report, "nodes");
  const pools = list(at(report, "nodePools")).filter((p) => typeof at(p, "name") === "string");
  return {
    ...verdictOf(record, now),
    ...(version === "" ? {} : { kubernetesVersion: version }),
    ...(nodes === undefined ? {} : { nodes: counts(nodes, ["total", "ready", "notReady"]) }),
    ...(report === undefined
      ? {}
      : {
          pools: pools.map((p) => ({
            name: text(at(p, "name")),
            ...counts(p, ["readyNodes", "notReadyNodes"]),
          })),
        }),
    ...(renewTime === "" ? {} : { lastSeen: renewTime }),
  };
}

/** The views to print: `local` with the hub's endpoint, then the stored clusters (pure). */
export function clusterViews(
  hubServer: string,
  records: readonly ClusterRecord[],
  health: (cluster: string) => ClusterHealthView,
  hubVersion?: string,
): ClusterView[] {
  const local: ClusterView = {
    name: LOCAL_CLUSTER,
    credential: "Internal",
    endpoint: hubServer,
    labels: {},
    health: {
      state: "Ready",
      reason: "LocalCluster",
      message: "the hub's own cluster",
      ...(hubVersion === undefined ? {} : { kubernetesVersion: hubVersion }),
    },
  };
  return [
    local,
    ...records.map((r) => ({
      name: r.name,
      ...(r.alias === undefined ? {} : { alias: r.alias }),
      credential: r.credential.type,
      endpoint: r.endpoint,
      labels: r.labels,
      ...(r.createdAt === undefined ? {} : { createdAt: r.createdAt }),
      health: health(r.name),
    })),
  ];
}

/** POOLS: the names, or how many when there are more than three. */
function poolsCell(pools: ClusterHealthView["pools"]): string {
  if (pools === undefined || pools.length === 0) return "-";
  return pools.length > 3 ? String(pools.length) : pools.map((p) => p.name).join(",");
}

function ageCell(lastSeen: string | undefined, now: number): string {
  const at = Date.parse(lastSeen ?? "");
  return Number.isNaN(at) ? "-" : humanDuration(now - at);
}

/** The table text at `now` (pure). */
export function clusterTable(views: readonly ClusterView[], now: number): string {
  return formatTable(
    "NAME ALIAS READY VERSION NODES POOLS LAST-SEEN CREDENTIAL ENDPOINT LABELS".split(" "),
    views.map(({ health: h, ...v }) => [
      v.name,
      v.alias ?? "-",
      h.state,
      h.kubernetesVersion ?? "-",
      h.nodes === undefined ? "-" : `${h.nodes.ready}/${h.nodes.total}`,
      poolsCell(h.pools),
      ageCell(h.lastSeen, now),
      v.credential,
      v.endpoint,
      formatLabels(v.labels) || "-",
    ]),
  );
}

/** Reads one health source; a failure is a warning and an empty result. */
async function tolerant<T>(
  what: string,
  warn: (line: string) => void,
  read: () => Promise<T[]>,
): Promise<T[]> {
  try {
    return await read();
  } catch (error) {
    // No ClusterReport CRD on the hub: no agent ever reported, nothing to warn about.
    if (apiStatusOf(error) !== 404) warn(`warning: cannot read ${what}: ${errorText(error)}`);
    return [];
  }
}

/** Leases and ClusterReports on the hub, by cluster name. */
async function readHealth(
  kc: KubeConfig,
  warn: (line: string) => void,
): Promise<Map<string, HealthRecord>> {
  const namespace = REGISTRY_NAMESPACE;
  const where = { ...REPORTS, namespace };
  const [leases, reports] = await Promise.all([
    tolerant(
      "the agents' heartbeat Leases",
      warn,
      async () =>
        (await kc.makeApiClient(CoordinationV1Api).listNamespacedLease({ namespace }, TIMEOUT))
          .items,
    ),
    tolerant("the ClusterReports", warn, async () =>
      list(
        at(
          await kc.makeApiClient(CustomObjectsApi).listNamespacedCustomObject(where, TIMEOUT),
          "items",
        ),
      ),
    ),
  ]);
  const byCluster = new Map<string, { lease?: V1Lease; report?: unknown }>();
  const entry = (name: string): { lease?: V1Lease; report?: unknown } =>
    byCluster.get(name) ?? byCluster.set(name, {}).get(name) ?? {};
  for (const lease of leases) {
    const name = lease.metadata?.name ?? "";
    if (name.startsWith(LEASE_PREFIX)) entry(name.slice(LEASE_PREFIX.length)).lease = lease;
  }
  for (const report of reports) entry(text(at(report, "metadata", "name"))).report = report;
  return byCluster;
}

export async function clusterList(
  hub: Hub,
  output: string,
  io: Output,
  now = Date.now(),
): Promise<void> {
  if (!["table", "json", "yaml"].includes(output)) {
    throw new CliError(`unknown output format "${output}" (use table, json or yaml)`);
  }
  const listing = await clusterRegistry({ hub: hub.kc }).list();
  for (const bad of listing.invalid) {
    io.err(`warning: Secret ${bad.name} is not a usable cluster credential: ${bad.error}`);
  }
  const [health, version] = await Promise.all([
    readHealth(hub.kc, io.err),
    hub.kc
      .makeApiClient(VersionApi)
      .getCode(TIMEOUT)
      .then((v) => v.gitVersion)
      .catch(() => undefined),
  ]);
  const views = clusterViews(
    hub.server,
    listing.clusters,
    (cluster) => memberHealth(health.get(cluster) ?? {}, now),
    version,
  );
  if (output === "json") io.out(JSON.stringify(views, null, 2));
  else if (output === "yaml") io.out(stringify(views).trimEnd());
  else io.out(clusterTable(views, now));
}
