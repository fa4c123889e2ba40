/**
 * `flotilla cluster labels add|del`, `cluster alias` and `cluster rename`: edits of one
 * registered cluster's credential Secret on the hub. Input is validated before the hub is
 * contacted; `local` cannot be edited (it is not stored).
 */
import { formatLabels, parseLabelKeys, parseLabels } from "../../core/cluster/labels.js";
import { clusterRegistry } from "../../core/cluster/registry.js";
import { clusterUsage } from "../../core/cluster/usage.js";
import type { ClusterRecord } from "../../core/cluster/types.js";
import { InvalidInputError } from "../../core/errors.js";
import type { Output } from "../output.js";
import type { Hub } from "./hub.js";

function printLabels(record: ClusterRecord, io: Output): void {
  io.out(`Cluster "${record.name}" labels: ${formatLabels(record.labels) || "(none)"}`);
}

export async function clusterLabelsAdd(
  hub: Hub,
  name: string,
  text: string,
  io: Output,
): Promise<void> {
  const add = parseLabels(text);
  const record = await clusterRegistry({ hub: hub.kc }).update(name, (r) => ({
    ...r,
    labels: { ...r.labels, ...add },
  }));
  printLabels(record, io);
}

export async function clusterLabelsDel(
  hub: Hub,
  name: string,
  text: string,
  io: Output,
): Promise<void> {
  const keys = parseLabelKeys(text);
  const record = await clusterRegistry({ hub: hub.kc }).update(name, (r) => {
    const missing = keys.filter((k) => !Object.hasOwn(r.labels, k));
    if (missing.length > 0) {
      throw new InvalidInputError(
        `cluster "${name}" has no label ${missing.map((k) => `"${k}"`).join(", ")}`,
      );
    }
    return {
      ...r,
      labels: Object.fromEntries(Object.entries(r.labels).filter(([k]) => !keys.includes(k))),
    };
  });
  printLabels(record, io);
}

/** Sets the alias; an empty alias removes it. */
export async function clusterAlias(
  hub: Hub,
  name: string,
  alias: string,
  io: Output,
): Promise<void> {
  await clusterRegistry({ hub: hub.kc }).update(name, (r) => {
    const rest = Object.fromEntries(Object.entries(r).filter(([k]) => k !== "alias"));
    return (alias === "" ? rest : { ...rest, alias }) as ClusterRecord;
  });
  io.out(
    alias === ""
      ? `Cluster "${name}" has no alias now.`
      : `Cluster "${name}" is aliased "${alias}".`,
  );
}

/** Renames; warns about applications that still name the old cluster in their topology. */
export async function clusterRename(hub: Hub, from: string, to: string, io: Output): Promise<void> {
  const record = await clusterRegistry({ hub: hub.kc }).rename(from, to);
  io.out(`Cluster "${from}" renamed to "${to}".`);
  const uses = await clusterUsage({ hub: hub.kc }, { name: from, labels: record.labels });
  for (const use of uses.filter((u) => u.via === "name")) {
    io.err(
      `warning: application ${use.namespace}/${use.name} (policy ${use.policy}) still lists cluster ` +
        `"${from}"; change it to "${to}"`,
    );
  }
}
