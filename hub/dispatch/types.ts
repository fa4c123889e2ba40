/**
 * The dispatch layer's vocabulary: references to objects in a cluster, what dispatch reports
 * per cluster (partial failure is data, house style §7), and the narrow client it needs from
 * each cluster (`clientFor(cluster)` returns one; `objectClient` in `object-client.ts` is the
 * real implementation).
 */
import { kubeError } from "../../core/cluster/kube.js";
import type { FlotillaError } from "../../core/errors.js";
import { isObject, nonEmpty, str, type JsonObject } from "../../core/json.js";

/** One object in one cluster (the cluster is implied by where the reference is used). */
export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  /** Absent for cluster-scoped objects. */
  readonly namespace?: string;
  readonly name: string;
}

/** A dispatched object with the OAM origin the resource tracker records. */
export interface DispatchedObject extends ObjectRef {
  readonly component: string;
  /** `trait.oam.dev/type` of an auxiliary object (a trait, or `AuxiliaryWorkload`). */
  readonly trait?: string;
  /** `workload.oam.dev/type` of a component's workload. */
  readonly workloadType?: string;
  /** True when an apply-once rule or whole-application apply-once covered the object. */
  readonly applyOnce?: boolean;
  /** Digest of the rendered object, set when it was applied (`objectDigest`). */
  readonly digest?: string;
}

/** An object an operation failed on in one cluster, and why. */
export interface ObjectFailure<T> {
  readonly ref: T;
  readonly error: FlotillaError;
}

export type FailedObject = ObjectFailure<DispatchedObject>;

/**
 * How an operation over objects (apply, delete) went in one cluster, as data (house style §7):
 * ok, or not ok with the first error and every object it failed on. The operation adds the
 * objects it did (`applied`, `deleted`).
 */
export type ClusterOutcome<T> =
  | { readonly cluster: string; readonly ok: true }
  | {
      readonly cluster: string;
      readonly ok: false;
      readonly error: FlotillaError;
      readonly failed: ReadonlyArray<ObjectFailure<T>>;
    };

/** The outcome in `cluster` given the objects that failed there (pure). */
export function clusterOutcome<T>(
  cluster: string,
  failed: ReadonlyArray<ObjectFailure<T>>,
): ClusterOutcome<T> {
  const first = failed[0];
  return first === undefined
    ? { cluster, ok: true }
    : { cluster, ok: false, error: first.error, failed };
}

/**
 * What dispatch did in one cluster. `applied` lists objects that are in their desired state
 * (applied, or left alone because apply-once allowed their drift); on failure, `failed` lists
 * every other object of the cluster, so `applied` + `failed` is always everything rendered
 * for it. `error` is the first failure.
 */
export type ClusterResult = ClusterOutcome<DispatchedObject> & {
  readonly applied: readonly DispatchedObject[];
};

/**
 * Told how long an operation (apply, delete) took in one cluster and whether it went well;
 * the hub's dispatch histogram (hub/metrics) listens. Never throws.
 */
export type ClusterTiming = (timing: {
  readonly cluster: string;
  readonly operation: "apply" | "delete";
  readonly ok: boolean;
  readonly seconds: number;
}) => void;

export type ResourceScope = "Namespaced" | "Cluster";

export interface ApplyOptions {
  readonly fieldManager: string;
  readonly force: boolean;
}

/**
 * What dispatch and garbage collection need from one cluster. Every method throws Flotilla's
 * typed errors: `UpstreamUnavailableError` when the cluster cannot be reached or fails (5xx),
 * `InvalidInputError` when it rejects an object (400/422) or does not serve its kind.
 */
export interface ObjectClient {
  /** Whether the cluster serves `kind` in `apiVersion`, and at which scope. */
  scope(apiVersion: string, kind: string): Promise<ResourceScope | undefined>;
  /** Server-side apply; returns the live object. */
  apply(object: JsonObject, options: ApplyOptions): Promise<JsonObject>;
  /** The live object, or undefined when it does not exist. */
  read(ref: ObjectRef): Promise<JsonObject | undefined>;
  /** Deletes in the background; false when the object was already gone. */
  delete(ref: ObjectRef): Promise<boolean>;
  /** Objects of a kind (in `namespace`, or everywhere), optionally by label selector. */
  list(query: ListQuery): Promise<JsonObject[]>;
}

export interface ListQuery {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  /** A label selector in Kubernetes' text form (`a=b,c=d`). */
  readonly labelSelector?: string;
}

/** Gives the client for a cluster; may throw (an unknown cluster) — that cluster then fails. */
export type ClientFor = (cluster: string) => ObjectClient;

/** The reference of a manifest (pure). Missing apiVersion, kind or name read as "". */
export function refOf(object: JsonObject): ObjectRef {
  const meta = isObject(object.metadata) ? object.metadata : {};
  const namespace = nonEmpty(meta.namespace);
  return {
    apiVersion: str(object.apiVersion) ?? "",
    kind: str(object.kind) ?? "",
    ...(namespace === undefined ? {} : { namespace }),
    name: str(meta.name) ?? "",
  };
}

/** `Deployment demo/web` or `ClusterRole reader`, for messages. */
export function describeRef(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace === undefined ? "" : `${ref.namespace}/`}${ref.name}`;
}

/** `error` as a Flotilla error whose message starts with `what` (`kubeError`'s mapping). */
export const typedError = kubeError;
