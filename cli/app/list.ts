/**
 * `flotilla ls [-n ns | -A]`: the applications as `vela ls` shows them, one row per component
 * (APP, COMPONENT, TYPE, TRAITS, PHASE, HEALTHY, STATUS, CREATED-TIME; NAMESPACE first with
 * `-A`). A component delivered to several targets (clusters, namespaces, replica keys) is
 * healthy only when every target reports it healthy; its STATUS joins the targets' messages.
 */
import type { ServiceStatus } from "../../engine/oam/status.js";
import type { Output } from "../output.js";
import { formatTable } from "../table.js";
import type { ApplicationsClient } from "./applications.js";
import { statusView, type LiveApplication } from "./live-app.js";
import { localTimeWithZone } from "./time.js";

/** Health of one component over all its targets: "" when none reported yet. */
export function componentHealth(
  services: readonly ServiceStatus[],
  component: string,
): { healthy: string; status: string } {
  const mine = services.filter((s) => s.name === component);
  if (mine.length === 0) return { healthy: "", status: "" };
  const healthy = mine.every((s) => s.healthy) ? "healthy" : "unhealthy";
  const messages = mine.filter((s) => (s.message ?? "") !== "");
  const distinct = new Set(messages.map((s) => s.message));
  if (distinct.size <= 1 && messages.length === mine.length) {
    return { healthy, status: messages[0]?.message ?? "" };
  }
  // Different messages (or some targets without one): say which target says what.
  const where = (s: ServiceStatus): string =>
    [s.cluster, s.namespace, s.replicaKey].filter((p) => p !== undefined && p !== "").join("/");
  return { healthy, status: messages.map((s) => `${where(s)}: ${s.message ?? ""}`).join("; ") };
}

/** `vela ls`'s APP cell: the name on the first row, tree connectors below it. */
const appCell = (name: string, index: number, count: number): string => {
  if (index === 0) return name;
  return index === count - 1 ? "└─" : "├─";
};

function rowsOf(app: LiveApplication): string[][] {
  const view = statusView(app);
  const phase = view.phase ?? "";
  const created = localTimeWithZone(app.metadata.creationTimestamp);
  const components = app.spec.components ?? [];
  if (components.length === 0) return [[app.metadata.name, "", "", "", phase, "", "", created]];
  return components.map((c, i) => {
    const { healthy, status } = componentHealth(view.services, c.name);
    const traits = (c.traits ?? []).map((t) => t.type).join(",");
    const name = appCell(app.metadata.name, i, components.length);
    return [name, c.name, c.type, traits, phase, healthy, status, created];
  });
}

const headers = [
  "APP",
  "COMPONENT",
  "TYPE",
  "TRAITS",
  "PHASE",
  "HEALTHY",
  "STATUS",
  "CREATED-TIME",
];

/** The table (pure); applications in namespace, then name order. */
export function applicationTable(
  apps: readonly LiveApplication[],
  options: { allNamespaces: boolean },
): string {
  const sorted = [...apps].sort(
    (a, b) =>
      a.metadata.namespace.localeCompare(b.metadata.namespace) ||
      a.metadata.name.localeCompare(b.metadata.name),
  );
  if (!options.allNamespaces) return formatTable(headers, sorted.flatMap(rowsOf));
  return formatTable(
    ["NAMESPACE", ...headers],
    sorted.flatMap((app) => rowsOf(app).map((row) => [app.metadata.namespace, ...row])),
  );
}

export interface ListInput {
  readonly apps: ApplicationsClient;
  /** undefined: all namespaces. */
  readonly namespace: string | undefined;
  readonly io: Output;
}

export async function appList(input: ListInput): Promise<void> {
  const apps = await input.apps.list(input.namespace);
  input.io.out(applicationTable(apps, { allNamespaces: input.namespace === undefined }));
}
