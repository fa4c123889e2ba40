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

/** The writes through the hub's `CustomObjectsApi`; no I/O until a method is called. */
export function appApi(hub: KubeConfig): AppApi {
  return new HubAppApi(hub.makeApiClient(CustomObjectsApi));
}

const jsonPatch = setHeaderOptions("Content-Type", PatchStrategy.JsonPatch);
const mergePatch = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

/** The `AppApi` over one API client (its only state). */
class HubAppApi implements AppApi {
  readonly #api: CustomObjectsApi;

  constructor(api: CustomObjectsApi) {
    this.#api = api;
  }

  async writeStatus(
    app: AppObjectMeta,
    status: Partial<ApplicationStatusBody>,
    previous?: unknown,
  ): Promise<void> {
    const guard =
      app.resourceVersion === undefined
        ? {}
        : { metadata: { resourceVersion: app.resourceVersion } };
    const body = { ...guard, status: mergePatchFrom(previous, status) };
    const { name, namespace } = app;
    await this.#api
      .patchNamespacedCustomObjectStatus({ ...where, name, namespace, body }, mergePatch)
      .catch((error: unknown) => {
        throw kubeError(error, `write the status of ${label(app)}`);
      });
  }

  async writeRevisionStatus(revision: AppRef, status: Record<string, unknown>): Promise<void> {
    const object = { ...where, plural: "applicationrevisions", ...revision, body: { status } };
    await this.#api
      .patchNamespacedCustomObjectStatus(object, mergePatch)
      .catch((error: unknown) => {
        throw kubeError(
          error,
          `write the status of ApplicationRevision ${revision.namespace}/${revision.name}`,
        );
      });
  }

  async addFinalizer(app: AppObjectMeta): Promise<string | undefined> {
    if (app.finalizers?.includes(FINALIZER) === true) return undefined;
    return this.#patchFinalizers(app, [...(app.finalizers ?? []), FINALIZER]);
  }

  async removeFinalizer(app: AppObjectMeta): Promise<void> {
    if (app.finalizers?.includes(FINALIZER) !== true) return;
    await this.#patchFinalizers(
      app,
      app.finalizers.filter((f) => f !== FINALIZER),
    );
  }

  /** Sets the finalizer list if the app is still at its resourceVersion; the new version. */
  async #patchFinalizers(app: AppObjectMeta, finalizers: string[]): Promise<string | undefined> {
    const body = [
      { op: "test", path: "/metadata/resourceVersion", value: app.resourceVersion },
      {
        op: app.finalizers === undefined ? "add" : "replace",
        path: "/metadata/finalizers",
        value: finalizers,
      },
    ];
    const updated = (await this.#api
      .patchNamespacedCustomObject({ ...where, ...app, body }, jsonPatch)
      .catch((error: unknown) => {
        throw kubeError(error, `update the finalizers of ${label(app)}`);
      })) as { metadata?: { resourceVersion?: string } } | undefined;
    return updated?.metadata?.resourceVersion;
  }
}
