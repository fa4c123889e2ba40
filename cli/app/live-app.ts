/**
 * An Application as the CLI reads it back from the hub, and its `status` read defensively
 * (pure). The hub controller writes `status` as engine/oam/status.ts describes, but an
 * application may have no status yet, or one written by another controller (KubeVela keeps
 * `appliedResources` in ResourceTrackers, not in `status`): missing lists read as empty and
 * malformed entries are skipped, so the commands show what there is instead of failing.
 */
import type {
  AppliedResource,
  ApplicationCondition,
  ServiceStatus,
} from "../../engine/oam/status.js";
import { isObject, type JsonObject } from "../../core/json.js";
import { type ApplicationComponent } from "../../engine/oam/types.js";

/** Where an application lives. */
export interface AppRef {
  readonly name: string;
  readonly namespace: string;
}

/** The parts of a stored Application the commands use. */
export interface LiveApplication {
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly creationTimestamp?: string;
    readonly deletionTimestamp?: string;
    readonly generation?: number;
    readonly resourceVersion?: string;
    readonly finalizers?: readonly string[];
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly spec: { readonly components?: readonly ApplicationComponent[] };
  readonly status?: JsonObject;
}

/** The status fields the commands show; lists are never undefined. */
export interface StatusView {
  /** The phase (`status.status`); undefined before the hub wrote one. */
  readonly phase?: string;
  readonly conditions: readonly ApplicationCondition[];
  readonly services: readonly ServiceStatus[];
  readonly appliedResources: readonly AppliedResource[];
}

const entries = <T>(value: unknown, valid: (entry: JsonObject) => boolean): T[] =>
  Array.isArray(value) ? (value.filter((e) => isObject(e) && valid(e)) as T[]) : [];

const isString = (v: unknown): v is string => typeof v === "string";

/** The status of `app`, with absent or malformed parts read as empty. */
export function statusView(app: LiveApplication): StatusView {
  const status = app.status ?? {};
  return {
    ...(isString(status.status) && status.status !== "" ? { phase: status.status } : {}),
    conditions: entries(status.conditions, (c) => isString(c.type) && isString(c.status)),
    services: entries(status.services, (s) => isString(s.name)),
    appliedResources: entries(
      status.appliedResources,
      (r) => isString(r.apiVersion) && isString(r.kind) && isString(r.name),
    ),
  };
}

/** `application "x" … namespace "ns"` phrases, so every message names both the same way. */
export const describeApp = (ref: AppRef): string =>
  `application "${ref.name}" in namespace "${ref.namespace}"`;
