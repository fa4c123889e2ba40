/**
 * The hub reads and writes of `flotilla workflow` (the I/O edge): a JSON merge patch of an
 * Application's status subresource, deleting the workflow context ConfigMap, listing the
 * application's revisions and a JSON patch of the application (rollback). Failures are
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
import { ConflictError, NotFoundError } from "../../core/errors.js";
import type { JsonObject } from "../../core/json.js";
import {
  APP_NAME_LABEL,
  summarizeRevision,
  type RevisionSummary,
} from "../../engine/revision/revision.js";
import type { JsonPatchOp } from "./rollback.js";
import { describeApp, type AppRef } from "../app/live-app.js";

const applications = { group: "core.oam.dev", version: "v1beta1", plural: "applications" };
const revisions = { group: "core.oam.dev", version: "v1beta1", plural: "applicationrevisions" };

export interface WorkflowClient {
  /** The ApplicationRevisions of the application (`[]` without the CRD). */
  listRevisions(ref: AppRef): Promise<RevisionSummary[]>;
  /**
   * Applies a JSON patch to the application; a failed `test` (it changed meanwhile) is a
   * `ConflictError` naming it.
   */
  patchApplication(ref: AppRef, ops: readonly JsonPatchOp[]): Promise<void>;
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
  const jsonPatch = setHeaderOptions("Content-Type", PatchStrategy.JsonPatch, timeout);
  return {
    async listRevisions(ref) {
      const query = {
        ...revisions,
        namespace: ref.namespace,
        labelSelector: `${APP_NAME_LABEL}=${ref.name}`,
      };
      try {
        const list = (await custom.listNamespacedCustomObject(query, timeout)) as {
          items?: JsonObject[];
        };
        return (list.items ?? []).flatMap((o) => summarizeRevision(o) ?? []);
      } catch (error) {
        if (apiStatusOf(error) === 404) return [];
        throw kubeError(error, `listing the revisions of ${describeApp(ref)}`);
      }
    },
    async patchApplication(ref, ops) {
      try {
        await custom.patchNamespacedCustomObject(
          { ...applications, ...ref, body: ops as JsonPatchOp[] },
          jsonPatch,
        );
      } catch (error) {
        const code = apiStatusOf(error);
        if (code === 404)
          throw new NotFoundError(`${describeApp(ref)} not found`, { cause: error });
        if (code === 409 || code === 422)
          throw new ConflictError(`${describeApp(ref)} changed meanwhile; run the command again`, {
            cause: error,
          });
        throw kubeError(error, `patching ${describeApp(ref)}`);
      }
    },
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
