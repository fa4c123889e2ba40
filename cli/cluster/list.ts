/**
 * `flotilla cluster list`: `local` (the hub, never stored) first, then every registered
 * cluster, as a table (NAME, ALIAS, READY, VERSION, NODES, POOLS, LAST-SEEN, CREDENTIAL,
 * ENDPOINT, LABELS) or as JSON / YAML with a `health` object per cluster. NODES is
 * `ready/total`, then ` (R real, K kwok)` when the agent counts simulated nodes and there are
 * any (`nodesCell`); `health.nodes` carries `real` and `kwok` then. No credential
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
import { agentName, CLUSTER_REPORT } from "../../core/cluster/agent-contract.js";
import { formatLabels } from "../../core/cluster/labels.js";
import { nodesCell } from "../../core/cluster/node-kind.js";
import { clusterRegistry } from "../../core/cluster/registry.js";
import { LOCAL_CLUSTER, REGISTRY_NAMESPACE, type ClusterRecord } from "../../core/cluster/types.js";
import { errorText } from "../../core/controller/logger.js";
import { humanDuration } from "../app/time.js";
import { CliError, type Output } from "../output.js";
import { formatTable } from "../table.js";
import {
  at,
  list,
  memberHealth,
  text,
  type ClusterHealthView,
  type HealthRecord,
} from "./health-view.js";
import type { Hub } from "./hub.js";

const TIMEOUT = withTimeout(10_000);

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
      h.nodes === undefined ? "-" : nodesCell(h.nodes),
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
  const { group, version, plural } = CLUSTER_REPORT;
  const where = { group, version, plural, namespace };
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
    const prefix = agentName("");
    if (name.startsWith(prefix)) entry(name.slice(prefix.length)).lease = lease;
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
