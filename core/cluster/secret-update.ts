/**
 * Writing a changed `ClusterRecord` back into its existing credential Secret (pure): the
 * fields Flotilla manages are replaced, everything else on the Secret is kept (other
 * annotations, data keys KubeVela knows and Flotilla does not, such as `proxy-url`), so a
 * Secret written by `vela cluster join` survives Flotilla's edits.
 */
import { secretFromRecord, type SecretObject } from "./secret.js";
import { ALIAS_ANNOTATION, type ClusterRecord } from "./types.js";

const managedData = new Set(["endpoint", "ca.crt", "tls.crt", "tls.key", "token"]);

function without<T>(
  record: Record<string, T> | undefined,
  drop: (key: string) => boolean,
): Record<string, T> {
  return Object.fromEntries(Object.entries(record ?? {}).filter(([k]) => !drop(k)));
}

/**
 * `existing` updated to store `record`: labels become the record's (user labels plus the
 * credential and endpoint type), the alias annotation follows the record, managed data keys
 * are replaced; name, namespace, resourceVersion and unmanaged keys are kept.
 */
export function updatedSecret(existing: SecretObject, record: ClusterRecord): SecretObject {
  const fresh = secretFromRecord(record);
  const annotations = {
    ...without(existing.metadata?.annotations, (k) => k === ALIAS_ANNOTATION),
    ...(fresh.metadata?.annotations ?? {}),
  };
  return {
    ...existing,
    metadata: {
      ...existing.metadata,
      labels: fresh.metadata?.labels ?? {},
      annotations,
    },
    data: { ...without(existing.data, (k) => managedData.has(k)), ...(fresh.data ?? {}) },
  };
}

/** A copy of `existing` under a new name, ready to create (no server-set metadata). */
export function renamedSecret(existing: SecretObject, name: string): SecretObject {
  const meta = existing.metadata ?? {};
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name,
      ...(meta.namespace === undefined ? {} : { namespace: meta.namespace }),
      ...(meta.labels === undefined ? {} : { labels: meta.labels }),
      ...(meta.annotations === undefined ? {} : { annotations: meta.annotations }),
    },
    ...(existing.type === undefined ? {} : { type: existing.type }),
    data: existing.data ?? {},
  };
}
