/**
 * `flotilla cluster list`: `local` (the hub, never stored) first, then every registered
 * cluster, as a table (NAME, ALIAS, CREDENTIAL, ENDPOINT, LABELS) or as JSON / YAML. No
 * credential material is ever printed. Secrets that cannot be read as clusters are reported
 * on stderr and do not stop the listing.
 */
import { stringify } from "yaml";
import { formatLabels } from "../../core/cluster/labels.js";
import { clusterRegistry } from "../../core/cluster/registry.js";
import { LOCAL_CLUSTER, type ClusterRecord } from "../../core/cluster/types.js";
import { CliError, type Output } from "../output.js";
import { formatTable } from "../table.js";
import type { Hub } from "./hub.js";

/** One row of the listing (what `-o json` prints per cluster). */
export interface ClusterView {
  readonly name: string;
  readonly alias?: string;
  /** `Internal` for `local`, else the stored credential type. */
  readonly credential: string;
  readonly endpoint: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly createdAt?: string;
}

/** The views to print: `local` with the hub's endpoint, then the stored clusters (pure). */
export function clusterViews(hubServer: string, records: readonly ClusterRecord[]): ClusterView[] {
  const local: ClusterView = {
    name: LOCAL_CLUSTER,
    credential: "Internal",
    endpoint: hubServer,
    labels: {},
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
    })),
  ];
}

/** The table text (pure). */
export function clusterTable(views: readonly ClusterView[]): string {
  return formatTable(
    ["NAME", "ALIAS", "CREDENTIAL", "ENDPOINT", "LABELS"],
    views.map((v) => [
      v.name,
      v.alias ?? "-",
      v.credential,
      v.endpoint,
      formatLabels(v.labels) || "-",
    ]),
  );
}

export async function clusterList(hub: Hub, output: string, io: Output): Promise<void> {
  if (!["table", "json", "yaml"].includes(output)) {
    throw new CliError(`unknown output format "${output}" (use table, json or yaml)`);
  }
  const listing = await clusterRegistry({ hub: hub.kc }).list();
  for (const bad of listing.invalid) {
    io.err(`warning: Secret ${bad.name} is not a usable cluster credential: ${bad.error}`);
  }
  const views = clusterViews(hub.server, listing.clusters);
  if (output === "json") io.out(JSON.stringify(views, null, 2));
  else if (output === "yaml") io.out(stringify(views).trimEnd());
  else io.out(clusterTable(views));
}
