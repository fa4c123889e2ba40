/**
 * What `status --tree` says about one live object (pure): its APPLY_TIME (the latest
 * managedFields entry of the hub's field manager `flotilla`) and its DETAIL, the columns
 * `kubectl get` would print, as `Name: value` pairs joined by two spaces, the way KubeVela's
 * tree shows them: workloads' ready counts, a Service's type and addresses, a HelmRepository's
 * URL, and for other objects their `Ready` condition and its message; always the age.
 */
import { isObject, type JsonObject } from "../../core/json.js";
import { ageOf, localTime } from "./time.js";

/** The hub's field manager (hub/dispatch's FIELD_MANAGER). */
export const HUB_FIELD_MANAGER = "flotilla";

const objectAt = (value: unknown, key: string): JsonObject => {
  const found = isObject(value) ? value[key] : undefined;
  return isObject(found) ? found : {};
};
const num = (value: unknown): number => (typeof value === "number" ? value : 0);
const text = (value: unknown, fallback = "<none>"): string =>
  typeof value === "string" && value !== "" ? value : fallback;

/** The latest time the hub applied `object`, as `2006-01-02 15:04:05` local time; "" if never. */
export function applyTimeOf(object: JsonObject): string {
  const fields = objectAt(object, "metadata").managedFields;
  const times = (Array.isArray(fields) ? fields : [])
    .filter((f) => isObject(f) && f.manager === HUB_FIELD_MANAGER && typeof f.time === "string")
    .map((f) => String((f as JsonObject).time))
    .sort();
  return localTime(times[times.length - 1]);
}

type Pairs = Array<[string, string]>;

function deploymentPairs(spec: JsonObject, status: JsonObject): Pairs {
  const desired = typeof spec.replicas === "number" ? spec.replicas : 1;
  return [
    ["Ready", `${num(status.readyReplicas)}/${desired}`],
    ["Up-to-date", String(num(status.updatedReplicas))],
    ["Available", String(num(status.availableReplicas))],
  ];
}

function daemonSetPairs(status: JsonObject): Pairs {
  return [
    ["Desired", String(num(status.desiredNumberScheduled))],
    ["Current", String(num(status.currentNumberScheduled))],
    ["Ready", String(num(status.numberReady))],
    ["Up-to-date", String(num(status.updatedNumberScheduled))],
    ["Available", String(num(status.numberAvailable))],
  ];
}

function servicePorts(spec: JsonObject): string {
  const ports = Array.isArray(spec.ports) ? spec.ports.filter(isObject) : [];
  const each = ports.map((p) => {
    const node = typeof p.nodePort === "number" ? `:${p.nodePort}` : "";
    return `${num(p.port)}${node}/${text(p.protocol, "TCP")}`;
  });
  return each.length > 0 ? each.join(",") : "<none>";
}

function servicePairs(spec: JsonObject, status: JsonObject): Pairs {
  const ingress = objectAt(status, "loadBalancer").ingress;
  const external = [
    ...(Array.isArray(spec.externalIPs) ? spec.externalIPs.map(String) : []),
    ...(Array.isArray(ingress)
      ? ingress.filter(isObject).map((i) => text(i.ip ?? i.hostname))
      : []),
  ];
  const externalName = spec.type === "ExternalName" ? text(spec.externalName) : undefined;
  return [
    ["Type", text(spec.type, "ClusterIP")],
    ["Cluster-IP", text(spec.clusterIP)],
    ["External-IP", externalName ?? (external.length > 0 ? external.join(",") : "<none>")],
    ["Port(s)", servicePorts(spec)],
  ];
}

/**
 * `Ready: <status>  Status: <message>` from the Ready condition, when the object has one (no
 * `Status` when the condition has no message).
 */
function readyPairs(status: JsonObject): Pairs {
  const conditions = Array.isArray(status.conditions) ? status.conditions.filter(isObject) : [];
  const ready = conditions.find((c) => c.type === "Ready");
  if (ready === undefined) return [];
  const message = text(ready.message, "");
  return [
    ["Ready", text(ready.status, "Unknown")],
    ...(message === "" ? [] : [["Status", message]]),
  ] as Pairs;
}

const age = (object: JsonObject, now: number): Pairs => {
  const value = ageOf(objectAt(object, "metadata").creationTimestamp, now);
  return value === undefined ? [] : [["Age", value]];
};

/** The pairs of one object, in `kubectl get`'s column order for its kind. */
function pairsOf(object: JsonObject, now: number): Pairs {
  const spec = objectAt(object, "spec");
  const status = objectAt(object, "status");
  switch (object.kind) {
    case "Deployment":
      return [...deploymentPairs(spec, status), ...age(object, now)];
    case "StatefulSet":
      return [
        ["Ready", `${num(status.readyReplicas)}/${num(spec.replicas ?? 1)}`],
        ...age(object, now),
      ];
    case "DaemonSet":
      return [...daemonSetPairs(status), ...age(object, now)];
    case "Service":
      return [...servicePairs(spec, status), ...age(object, now)];
    case "HelmRepository":
      return [["URL", text(spec.url)], ...age(object, now), ...readyPairs(status)];
    default:
      return [...readyPairs(status), ...age(object, now)];
  }
}

/** The DETAIL text of a live object at time `now` (ms since the epoch). */
export function detailOf(object: JsonObject, now: number): string {
  return pairsOf(object, now)
    .map(([name, value]) => `${name}: ${value}`)
    .join("  ");
}
