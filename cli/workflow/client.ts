/**
 * The hub writes of `flotilla workflow` (the I/O edge): a JSON merge patch of an
 * Application's status subresource, and deleting the workflow context ConfigMap. Failures are
 * Flotilla errors via `kubeError`; an application gone meanwhile is a `NotFoundError` naming
 * it, a ConfigMap already gone is fine.
 */
import {
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
} from "@kubernetes/client-node";
import { apiStatusOf, kubeError, withTimeout } from "../../core/cluster/kube.js";
import { NotFoundError } from "../../core/errors.js";
import type { JsonObject } from "../../core/oam/types.js";
import { describeApp, type AppRef } from "../app/live-app.js";

const applications = { group: "core.oam.dev", version: "v1beta1", plural: "applications" };

export interface WorkflowClient {
  /** Merge-patches the application's status subresource with `body` (`{ status: … }`). */
  patchStatus(ref: AppRef, body: JsonObject): Promise<void>;
  /** Deletes ConfigMap `name` in `namespace`; true if it existed. */
  deleteConfigMap(namespace: string, name: string): Promise<boolean>;
}

/** A client for the hub of `hub` (its current context); per-request timeout 30 s by default. */
export function workflowClient(hub: KubeConfig, timeoutMs = 30_000): WorkflowClient {
  const custom = hub.makeApiClient(CustomObjectsApi);
  const core = hub.makeApiClient(CoreV1Api);
  const timeout = withTimeout(timeoutMs);
  const mergePatch = setHeaderOptions("Content-Type", PatchStrategy.MergePatch, timeout);
  return {
    async patchStatus(ref, body) {
      try {
        await custom.patchNamespacedCustomObjectStatus(
          { ...applications, ...ref, body },
          mergePatch,
        );
      } catch (error) {
        if (apiStatusOf(error) === 404)
          throw new NotFoundError(`${describeApp(ref)} not found`, { cause: error });
        throw kubeError(error, `patching the workflow status of ${describeApp(ref)}`);
      }
    },
    async deleteConfigMap(namespace, name) {
      try {
        await core.deleteNamespacedConfigMap({ namespace, name }, timeout);
        return true;
      } catch (error) {
        if (apiStatusOf(error) === 404) return false;
        throw kubeError(error, `deleting ConfigMap "${name}" in namespace "${namespace}"`);
      }
    },
  };
}
