/**
 * Pure conversion between a `ClusterRecord` and its credential Secret on the hub (KubeVela's
 * layout: `data.endpoint`, `data["ca.crt"]`, `data["tls.crt"]` + `data["tls.key"]` or
 * `data.token`, the credential type as a label, the alias as an annotation, user labels as
 * the Secret's other labels).
 */
import { InvalidInputError } from "../errors.js";
import {
  ALIAS_ANNOTATION,
  CREDENTIAL_TYPE_LABEL,
  ENDPOINT_TYPE_LABEL,
  REGISTRY_NAMESPACE,
  type ClusterCredential,
  type ClusterRecord,
} from "./types.js";

/** The parts of a core/v1 Secret this module reads and writes. */
export interface SecretObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    creationTimestamp?: string | Date;
    resourceVersion?: string;
  };
  type?: string;
  data?: Record<string, string>;
}

const systemLabels = new Set([CREDENTIAL_TYPE_LABEL, ENDPOINT_TYPE_LABEL]);
const b64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");
const unb64 = (text: string | undefined): string | undefined =>
  text === undefined ? undefined : Buffer.from(text, "base64").toString("utf8");

function credentialData(credential: ClusterCredential): Record<string, string> {
  return credential.type === "X509Certificate"
    ? { "tls.crt": b64(credential.certPem), "tls.key": b64(credential.keyPem) }
    : { token: b64(credential.token) };
}

/** The Secret that stores `record` (pure). */
export function secretFromRecord(record: ClusterRecord): SecretObject {
  const data: Record<string, string> = {
    endpoint: b64(record.endpoint),
    ...credentialData(record.credential),
  };
  if (record.caPem !== undefined) data["ca.crt"] = b64(record.caPem);
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: record.name,
      namespace: REGISTRY_NAMESPACE,
      labels: {
        ...record.labels,
        [CREDENTIAL_TYPE_LABEL]: record.credential.type,
        [ENDPOINT_TYPE_LABEL]: "Const",
      },
      ...(record.alias === undefined ? {} : { annotations: { [ALIAS_ANNOTATION]: record.alias } }),
    },
    type: "Opaque",
    data,
  };
}

/** True when the Secret is a cluster credential (has the credential-type label). */
export function isClusterSecret(secret: SecretObject): boolean {
  return secret.metadata?.labels?.[CREDENTIAL_TYPE_LABEL] !== undefined;
}

function credentialOf(name: string, type: string, data: Record<string, string>): ClusterCredential {
  if (type === "X509Certificate") {
    const certPem = unb64(data["tls.crt"]);
    const keyPem = unb64(data["tls.key"]);
    if (certPem && keyPem) return { type, certPem, keyPem };
    throw new InvalidInputError(`cluster "${name}": X509Certificate secret lacks tls.crt/tls.key`);
  }
  if (type === "ServiceAccountToken") {
    const token = unb64(data.token);
    if (token) return { type, token };
    throw new InvalidInputError(`cluster "${name}": ServiceAccountToken secret lacks token`);
  }
  throw new InvalidInputError(
    `cluster "${name}": unsupported credential type "${type}" (X509Certificate or ServiceAccountToken)`,
  );
}

/** Optional fields of the record, present only when the Secret has them. */
function optionalParts(secret: SecretObject): Partial<ClusterRecord> {
  const meta = secret.metadata ?? {};
  const alias = meta.annotations?.[ALIAS_ANNOTATION];
  const caPem = unb64(secret.data?.["ca.crt"]);
  const created = meta.creationTimestamp;
  const createdAt = created instanceof Date ? created.toISOString() : created;
  return {
    ...(alias ? { alias } : {}),
    ...(caPem ? { caPem } : {}),
    ...(createdAt ? { createdAt } : {}),
  };
}

/** The record a credential Secret describes; `InvalidInputError` names what is missing. */
export function recordFromSecret(secret: SecretObject): ClusterRecord {
  const meta = secret.metadata ?? {};
  const name = meta.name ?? "";
  const data = secret.data ?? {};
  const endpoint = unb64(data.endpoint)?.trim().replace(/\/+$/, "");
  if (!endpoint) throw new InvalidInputError(`cluster "${name}": secret has no endpoint`);
  const labels = Object.fromEntries(
    Object.entries(meta.labels ?? {}).filter(([k]) => !systemLabels.has(k)),
  );
  const type = meta.labels?.[CREDENTIAL_TYPE_LABEL] ?? "";
  return {
    name,
    endpoint,
    credential: credentialOf(name, type, data),
    labels,
    ...optionalParts(secret),
  };
}
