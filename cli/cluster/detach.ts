/**
 * `flotilla cluster detach <name>`: removes a cluster from the registry. Refused while an
 * Application on the hub targets it (by name or by a label selector that matches it), unless
 * `--force`; the refusal lists the applications. The cluster's agent loses its hub identity
 * first (`removeAgentAccess`: working and bootstrap ServiceAccounts, Roles, the bootstrap
 * token Secret, Lease, ClusterReport), so a failure leaves the cluster registered and detach
 * can simply be run again.
 */
import { clusterRegistry } from "../../core/cluster/registry.js";
import type { ClusterUse } from "../../core/cluster/topology.js";
import { clusterUsage } from "../../core/cluster/usage.js";
import { ConflictError } from "../../core/errors.js";
import { removeAgentAccess } from "../../core/install/agent-access.js";
import type { Output } from "../output.js";
import type { Hub } from "./hub.js";

/** `ns/name (policy p, by name|by labels)`, one per use (pure). */
export function describeUses(uses: readonly ClusterUse[]): string {
  return uses
    .map(
      (u) =>
        `${u.namespace}/${u.name} (policy ${u.policy}, ${u.via === "name" ? "by name" : "by labels"})`,
    )
    .join(", ");
}

export async function clusterDetach(
  hub: Hub,
  name: string,
  options: { force?: boolean },
  io: Output,
): Promise<void> {
  const registry = clusterRegistry({ hub: hub.kc });
  const record = await registry.get(name);
  const uses = await clusterUsage({ hub: hub.kc }, record);
  if (uses.length > 0 && options.force !== true) {
    throw new ConflictError(
      `cluster "${name}" is in use by application(s) ${describeUses(uses)}; ` +
        "change their topology policies first, or detach anyway with --force",
    );
  }
  if (uses.length > 0)
    io.err(`warning: detaching "${name}" although ${describeUses(uses)} target it`);
  await removeAgentAccess({ hub: hub.kc, cluster: name });
  await registry.delete(name);
  io.out(`Cluster "${name}" detached.`);
}
