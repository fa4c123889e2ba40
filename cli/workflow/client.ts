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
  type ConfigurationOptions,
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

/** What each call needs: the two APIs and the request options per content type. */
interface Calls {
  readonly custom: CustomObjectsApi;
  readonly core: CoreV1Api;
  readonly timeout: ConfigurationOptions;
  readonly mergePatch: ConfigurationOptions;
  readonly jsonPatch: ConfigurationOptions;
}

async function listRevisions(c: Calls, ref: AppRef): Promise<RevisionSummary[]> {
  const query = {
    ...revisions,
    namespace: ref.namespace,
    labelSelector: `${APP_NAME_LABEL}=${ref.name}`,
  };
  try {
    const list = (await c.custom.listNamespacedCustomObject(query, c.timeout)) as {
      items?: JsonObject[];
    };
    return (list.items ?? []).flatMap((o) => summarizeRevision(o) ?? []);
  } catch (error) {
    if (apiStatusOf(error) === 404) return [];
    throw kubeError(error, `listing the revisions of ${describeApp(ref)}`);
  }
}

async function patchApplication(c: Calls, ref: AppRef, ops: readonly JsonPatchOp[]): Promise<void> {
  try {
    await c.custom.patchNamespacedCustomObject(
      { ...applications, ...ref, body: ops as JsonPatchOp[] },
      c.jsonPatch,
    );
  } catch (error) {
    const code = apiStatusOf(error);
    if (code === 404) throw new NotFoundError(`${describeApp(ref)} not found`, { cause: error });
    if (code === 409 || code === 422)
      throw new ConflictError(`${describeApp(ref)} changed meanwhile; run the command again`, {
        cause: error,
      });
    throw kubeError(error, `patching ${describeApp(ref)}`);
  }
}

async function patchStatus(c: Calls, ref: AppRef, body: JsonObject): Promise<void> {
  try {
    await c.custom.patchNamespacedCustomObjectStatus(
      { ...applications, ...ref, body },
      c.mergePatch,
    );
  } catch (error) {
    if (apiStatusOf(error) === 404)
      throw new NotFoundError(`${describeApp(ref)} not found`, { cause: error });
    throw kubeError(error, `patching the workflow status of ${describeApp(ref)}`);
  }
}

async function deleteConfigMap(c: Calls, namespace: string, name: string): Promise<boolean> {
  try {
    await c.core.deleteNamespacedConfigMap({ namespace, name }, c.timeout);
    return true;
  } catch (error) {
    if (apiStatusOf(error) === 404) return false;
    throw kubeError(error, `deleting ConfigMap "${name}" in namespace "${namespace}"`);
  }
}

/** A client for the hub of `hub` (its current context); per-request timeout 30 s by default. */
export function workflowClient(hub: KubeConfig, timeoutMs = 30_000): WorkflowClient {
  const timeout = withTimeout(timeoutMs);
  const c: Calls = {
    custom: hub.makeApiClient(CustomObjectsApi),
    core: hub.makeApiClient(CoreV1Api),
    timeout,
    mergePatch: setHeaderOptions("Content-Type", PatchStrategy.MergePatch, timeout),
    jsonPatch: setHeaderOptions("Content-Type", PatchStrategy.JsonPatch, timeout),
  };
  return {
    listRevisions: (ref) => listRevisions(c, ref),
    patchApplication: (ref, ops) => patchApplication(c, ref, ops),
    patchStatus: (ref, body) => patchStatus(c, ref, body),
    deleteConfigMap: (namespace, name) => deleteConfigMap(c, namespace, name),
  };
}
