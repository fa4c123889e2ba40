/**
 * Keeps the registry in step with the credential Secrets in `vela-system` on the hub: a list
 * + watch (`core/kube/reflector.ts`: resumes from the last resourceVersion, re-lists on 410 Gone,
 * restarts with backoff after failures) filtered to Secrets carrying the credential-type
 * label. Every change, including a removal a re-list finds, goes to the registry, so a missed
 * event never leaves a stale record for longer than one re-list.
 */
import type { SecretObject } from "../../core/cluster/secret.js";
import { CREDENTIAL_TYPE_LABEL, REGISTRY_NAMESPACE } from "../../core/cluster/types.js";
import type { Clock, Logger } from "../deps.js";
import type { KubeClient } from "../../core/kube/client.js";
import { Reflector } from "../../core/kube/reflector.js";
import type { SecretSink } from "./cluster-cache.js";

export interface SecretWatch {
  /** Starts listing and watching; resolves after the first attempt (see `synced`). */
  start(): Promise<void>;
  /** True once a list has been applied (readiness). */
  synced(): boolean;
  stop(): Promise<void>;
}

export interface SecretWatchOptions {
  /** The hub, with the gateway's own credential. */
  readonly client: KubeClient;
  readonly sink: SecretSink;
  readonly log: Logger;
  readonly clock: Clock;
}

export function watchClusterSecrets(options: SecretWatchOptions): SecretWatch {
  const { sink } = options;
  const reflector = new Reflector<SecretObject>({
    client: options.client,
    path: `/api/v1/namespaces/${REGISTRY_NAMESPACE}/secrets`,
    selectors: { labelSelector: CREDENTIAL_TYPE_LABEL },
    transform: (object) => object,
    onChange: (change) =>
      change.kind === "upsert" ? sink.upsertSecret(change.value) : sink.deleteSecret(change.value),
    clock: options.clock,
    log: options.log,
  });
  return {
    start: () => reflector.start(),
    synced: () => reflector.synced(),
    stop: () => Promise.resolve(reflector.stop()),
  };
}
