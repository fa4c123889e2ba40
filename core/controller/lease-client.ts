/**
 * The three Lease requests leader election makes (read, create, replace), on client-node's
 * `CoordinationV1Api`, with errors mapped by kube.ts: a missing Lease reads as undefined, a
 * replace whose resourceVersion is stale fails with a `ConflictError`. `leader.ts` runs the
 * loop around them.
 */
import {
  CoordinationV1Api,
  type KubeConfig,
  type V1Lease,
  type V1LeaseSpec,
} from "@kubernetes/client-node";
import { apiStatusOf, kubeError, withTimeout } from "../cluster/kube.js";
import type { LeaseRecord } from "./lease-record.js";

export interface LeaseClient {
  /** The Lease, or undefined when it does not exist. */
  read(): Promise<V1Lease | undefined>;
  /** Creates the Lease with `record`; `ConflictError` when it exists meanwhile. */
  create(record: LeaseRecord): Promise<V1Lease>;
  /** Writes `record` over `lease` at its resourceVersion; `ConflictError` when it changed. */
  replace(lease: V1Lease, record: LeaseRecord): Promise<V1Lease>;
}

export interface LeaseClientOptions {
  /** Reaches the API server that holds the Lease. */
  readonly kubeconfig: KubeConfig;
  readonly namespace: string;
  readonly name: string;
  /** Per-request timeout. */
  readonly timeoutMs: number;
}

/** Our record's timestamps are MicroTime text; client-node passes them through unchanged. */
const specOf = (record: LeaseRecord): V1LeaseSpec => ({ ...record }) as unknown as V1LeaseSpec;

/** A client for one Lease; no I/O until a method is called. */
export function leaseClient(options: LeaseClientOptions): LeaseClient {
  const api = options.kubeconfig.makeApiClient(CoordinationV1Api);
  const { namespace, name, timeoutMs } = options;
  const what = `Lease ${namespace}/${name}`;
  const failed = (action: string) => (error: unknown) => {
    throw kubeError(error, `${action} ${what}`);
  };
  return {
    read: () =>
      api.readNamespacedLease({ namespace, name }, withTimeout(timeoutMs)).catch((error) => {
        if (apiStatusOf(error) === 404) return undefined;
        throw kubeError(error, `reading ${what}`);
      }),
    create: (record) => {
      const body: V1Lease = { metadata: { name, namespace }, spec: specOf(record) };
      return api
        .createNamespacedLease({ namespace, body }, withTimeout(timeoutMs))
        .catch(failed("creating"));
    },
    replace: (lease, record) => {
      const body: V1Lease = { ...lease, spec: specOf(record) };
      return api
        .replaceNamespacedLease({ namespace, name, body }, withTimeout(timeoutMs))
        .catch(failed("updating"));
    },
  };
}
