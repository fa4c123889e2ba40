/**
 * The hub's writes to Application objects (the I/O edge of the reconcile): the status
 * subresource (a merge patch of the whole status), and the finalizer that holds an application
 * until what it delivered is deleted (KubeVela's name, so either controller's finalizer is
 * recognised). Finalizer edits are JSON patches guarded by the resourceVersion read, so a
 * concurrent change makes them fail with a conflict (and the reconcile retries) instead of
 * overwriting someone else's list.
 */
import {
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
} from "@kubernetes/client-node";
import { kubeError } from "../../core/cluster/kube.js";
import type { ApplicationStatusBody } from "../../engine/oam/status.js";
import { mergePatchFrom } from "../status/merge-patch.js";

export const FINALIZER = "app.oam.dev/resource-tracker-finalizer";

const where = { group: "core.oam.dev", version: "v1beta1", plural: "applications" };

export interface AppRef {
  readonly namespace: string;
  readonly name: string;
}

export interface AppObjectMeta extends AppRef {
  readonly resourceVersion?: string;
  readonly finalizers?: readonly string[];
}

export interface AppApi {
  /**
   * Merge-patches the status (lists in it are replaced whole). Given the `previous` status,
   * fields it has and `status` lacks are removed. With `resourceVersion`, only if the app is
   * still at that version (else a `ConflictError`): a user's workflow operation made since is
   * never overwritten, and `previous` is what the server holds.
   */
  writeStatus(
    app: AppObjectMeta,
    status: Partial<ApplicationStatusBody>,
    previous?: unknown,
  ): Promise<void>;
  /** Adds the finalizer when missing; returns the app's new resourceVersion when it did. */
  addFinalizer(app: AppObjectMeta): Promise<string | undefined>;
  removeFinalizer(app: AppObjectMeta): Promise<void>;
  /** Merge-patches the status subresource of the application's ApplicationRevision `revision`. */
  writeRevisionStatus(revision: AppRef, status: Record<string, unknown>): Promise<void>;
}

const label = (app: AppRef): string => `Application ${app.namespace}/${app.name}`;

export function appApi(hub: KubeConfig): AppApi {
  const api = hub.makeApiClient(CustomObjectsApi);
  const jsonPatch = setHeaderOptions("Content-Type", PatchStrategy.JsonPatch);
  const mergePatch = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);
  const patchMeta = async (
    app: AppObjectMeta,
    finalizers: string[],
  ): Promise<string | undefined> => {
    const body = [
      { op: "test", path: "/metadata/resourceVersion", value: app.resourceVersion },
      {
        op: app.finalizers === undefined ? "add" : "replace",
        path: "/metadata/finalizers",
        value: finalizers,
      },
    ];
    const updated = (await api
      .patchNamespacedCustomObject({ ...where, ...app, body }, jsonPatch)
      .catch((error: unknown) => {
        throw kubeError(error, `update the finalizers of ${label(app)}`);
      })) as { metadata?: { resourceVersion?: string } } | undefined;
    return updated?.metadata?.resourceVersion;
  };
  return {
    async writeStatus(app, status, previous) {
      const guard =
        app.resourceVersion === undefined
          ? {}
          : { metadata: { resourceVersion: app.resourceVersion } };
      const body = { ...guard, status: mergePatchFrom(previous, status) };
      await api
        .patchNamespacedCustomObjectStatus(
          { ...where, name: app.name, namespace: app.namespace, body },
          mergePatch,
        )
        .catch((error: unknown) => {
          throw kubeError(error, `write the status of ${label(app)}`);
        });
    },
    async writeRevisionStatus(revision, status) {
      await api
        .patchNamespacedCustomObjectStatus(
          { ...where, plural: "applicationrevisions", ...revision, body: { status } },
          mergePatch,
        )
        .catch((error: unknown) => {
          throw kubeError(
            error,
            `write the status of ApplicationRevision ${revision.namespace}/${revision.name}`,
          );
        });
    },
    async addFinalizer(app) {
      if (app.finalizers?.includes(FINALIZER) === true) return undefined;
      return patchMeta(app, [...(app.finalizers ?? []), FINALIZER]);
    },
    async removeFinalizer(app) {
      if (app.finalizers?.includes(FINALIZER) !== true) return;
      await patchMeta(
        app,
        app.finalizers.filter((f) => f !== FINALIZER),
      );
    },
  };
}
