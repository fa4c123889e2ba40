/**
 * The text of `flotilla status <app>` without flags (pure), laid out as `vela status`: About
 * (name, namespace, creation time, phase, revision), the conditions that are not True (why an
 * application is stuck), the Workflow when the application has one (cli/workflow/lines.ts:
 * mode, phase, flags and every step reached), then Services: per component and target its
 * cluster, namespace, replica key, type, health with the message, and its traits' health.
 */
import type { ApplicationCondition, ServiceStatus } from "../../engine/oam/status.js";
import { latestRevisionOf, publishVersionOf } from "../../engine/revision/revision.js";
import { formatTable } from "../table.js";
import { workflowLines } from "../workflow/lines.js";
import { workflowView } from "../workflow/view.js";
import type { LiveApplication, StatusView } from "./live-app.js";
import { localTimeWithZone } from "./time.js";

const SUCCEED = "✅";
const FAIL = "❌";

function aboutLines(app: LiveApplication, view: StatusView): string[] {
  const rows: Array<[string, string]> = [
    ["Name:", app.metadata.name],
    ["Namespace:", app.metadata.namespace],
    ["Created at:", localTimeWithZone(app.metadata.creationTimestamp) || "-"],
    ["Status:", view.phase ?? "- (not reconciled yet)"],
  ];
  const revision = revisionText(app);
  if (revision !== undefined) rows.push(["Revision:", revision]);
  if (app.metadata.deletionTimestamp !== undefined) {
    rows.push(["Deleting:", `since ${localTimeWithZone(app.metadata.deletionTimestamp)}`]);
  }
  return ["About:", "", ...rows.map(([label, value]) => `  ${label.padEnd(13)}${value}`)];
}

/** `shop-v3 (publishVersion alpha1)`: the revision the hub delivers, as `status.latestRevision` says. */
function revisionText(app: LiveApplication): string | undefined {
  const latest = latestRevisionOf(app.status);
  if (latest === undefined) return undefined;
  const version = publishVersionOf(app.metadata);
  return version === undefined ? latest.name : `${latest.name} (publishVersion ${version})`;
}

function conditionLines(conditions: readonly ApplicationCondition[]): string[] {
  const failing = conditions.filter((c) => c.status !== "True");
  if (failing.length === 0) return [];
  const table = formatTable(
    ["TYPE", "STATUS", "REASON", "MESSAGE"],
    failing.map((c) => [c.type, c.status, c.reason ?? "", c.message ?? ""]),
  );
  return ["", "Conditions:", "", ...table.split("\n").map((l) => `  ${l}`)];
}

function traitLines(service: ServiceStatus): string[] {
  const traits = service.traits ?? [];
  if (traits.length === 0) return ["    No trait applied"];
  return [
    "    Traits:",
    ...traits.map((t) => {
      const message = t.message === undefined || t.message === "" ? "" : `: ${t.message}`;
      return `      ${t.healthy ? SUCCEED : FAIL} ${t.type}${message}`;
    }),
  ];
}

function serviceLines(service: ServiceStatus, type: string): string[] {
  const replica =
    service.replicaKey === undefined || service.replicaKey === ""
      ? ""
      : `  ReplicaKey: ${service.replicaKey}`;
  const health = service.healthy ? "Healthy" : "Unhealthy";
  const message = (service.message ?? "").replaceAll("\n", "\n\t");
  return [
    `  - Name: ${service.name}${replica}`,
    `    Cluster: ${service.cluster || "local"}  Namespace: ${service.namespace}`,
    `    Type: ${type}`,
    `    ${health}${message === "" ? "" : ` ${message}`}`,
    ...traitLines(service),
    "",
  ];
}

/** The summary's lines. */
export function summaryLines(app: LiveApplication, view: StatusView): string[] {
  const typeOf = (name: string): string =>
    app.spec.components?.find((c) => c.name === name)?.type ?? "-";
  const services =
    view.services.length === 0
      ? ["  No service reported yet.", ""]
      : view.services.flatMap((s) => serviceLines(s, typeOf(s.name)));
  const workflow = workflowView(app.status);
  return [
    ...aboutLines(app, view),
    ...conditionLines(view.conditions),
    ...(workflow === undefined ? [] : ["", ...workflowLines(workflow)]),
    "",
    "Services:",
    "",
    ...services,
  ].slice(0, -1);
}
