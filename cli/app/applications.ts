/**
 * Applications (`applications.core.oam.dev/v1beta1`) on the hub: read, list, apply, delete.
 * Responses are plain JSON (client-node's custom-object calls do not convert them). Failures
 * are Flotilla errors via `kubeError`; a missing application is a `NotFoundError` that names
 * the application and its namespace.
 */
import {
  CustomObjectsApi,
  setHeaderOptions,
  type ConfigurationOptions,
  type KubeConfig,
} from "@kubernetes/client-node";
import { apiStatusOf, kubeError, withTimeout } from "../../core/cluster/kube.js";
import { NotFoundError } from "../../core/errors.js";
import type { Application } from "../../engine/oam/types.js";
import type { AppRef, LiveApplication } from "./live-app.js";

/** Server-side apply's field manager for `flotilla up`. */
export const CLI_FIELD_MANAGER = "flotilla-cli";

const resource = { group: "core.oam.dev", version: "v1beta1", plural: "applications" } as const;

export interface ApplicationsClient {
  /** The application; `NotFoundError` when there is none. */
  get(ref: AppRef): Promise<LiveApplication>;
  /** The application, or undefined when there is none. */
  find(ref: AppRef): Promise<LiveApplication | undefined>;
  /** Applications of one namespace, or of all when `namespace` is undefined; `[]` without the CRD. */
  list(namespace: string | undefined): Promise<LiveApplication[]>;
  /** Server-side applies `app` (its `metadata.namespace` must be set); returns what is stored. */
  apply(app: Application): Promise<LiveApplication>;
  /** Requests deletion (the hub's finalizer may keep it a while); `NotFoundError` when absent. */
  delete(ref: AppRef): Promise<void>;
}

export interface ApplicationsClientOptions {
  /** Per-request timeout; default 30 s. */
  readonly timeoutMs?: number;
}

const notFound = (ref: AppRef, cause: unknown): NotFoundError =>
  new NotFoundError(`application "${ref.name}" not found in namespace "${ref.namespace}"`, {
    cause,
  });

/** What each call needs: the custom-object API and a fresh per-request timeout. */
interface Calls {
  readonly api: CustomObjectsApi;
  readonly timeout: () => ConfigurationOptions;
}

async function getApp(c: Calls, ref: AppRef): Promise<LiveApplication> {
  try {
    return (await c.api.getNamespacedCustomObject(
      { ...resource, ...ref },
      c.timeout(),
    )) as LiveApplication;
  } catch (error) {
    if (apiStatusOf(error) === 404) throw notFound(ref, error);
    throw kubeError(error, `reading application "${ref.name}" in namespace "${ref.namespace}"`);
  }
}

function findApp(c: Calls, ref: AppRef): Promise<LiveApplication | undefined> {
  return getApp(c, ref).catch((error: unknown) => {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  });
}

async function listApps(c: Calls, namespace: string | undefined): Promise<LiveApplication[]> {
  try {
    const list = (await (namespace === undefined
      ? c.api.listClusterCustomObject(resource, c.timeout())
      : c.api.listNamespacedCustomObject({ ...resource, namespace }, c.timeout()))) as {
      items?: LiveApplication[];
    };
    return list.items ?? [];
  } catch (error) {
    // No Application CRD: nothing to list, as `vela ls` says.
    if (apiStatusOf(error) === 404) return [];
    const where = namespace === undefined ? "all namespaces" : `namespace "${namespace}"`;
    throw kubeError(error, `listing applications in ${where}`);
  }
}

async function applyApp(c: Calls, app: Application): Promise<LiveApplication> {
  const ref = { name: app.metadata.name, namespace: app.metadata.namespace ?? "default" };
  // Server-side apply (the body is JSON, which is YAML): see up.ts for why.
  const applyPatch = setHeaderOptions("Content-Type", "application/apply-patch+yaml", c.timeout());
  const request = { ...resource, ...ref, body: app, fieldManager: CLI_FIELD_MANAGER };
  try {
    return (await c.api.patchNamespacedCustomObject(
      { ...request, force: true },
      applyPatch,
    )) as LiveApplication;
  } catch (error) {
    throw kubeError(error, `applying application "${ref.name}" in namespace "${ref.namespace}"`);
  }
}

async function deleteApp(c: Calls, ref: AppRef): Promise<void> {
  try {
    await c.api.deleteNamespacedCustomObject(
      { ...resource, ...ref, propagationPolicy: "Background" },
      c.timeout(),
    );
  } catch (error) {
    if (apiStatusOf(error) === 404) throw notFound(ref, error);
    throw kubeError(error, `deleting application "${ref.name}" in namespace "${ref.namespace}"`);
  }
}

/** A client for the hub of `hub` (its current context). No I/O until a method is called. */
export function applicationsClient(
  hub: KubeConfig,
  options: ApplicationsClientOptions = {},
): ApplicationsClient {
  const c: Calls = {
    api: hub.makeApiClient(CustomObjectsApi),
    timeout: () => withTimeout(options.timeoutMs ?? 30_000),
  };
  return {
    get: (ref) => getApp(c, ref),
    find: (ref) => findApp(c, ref),
    list: (namespace) => listApps(c, namespace),
    apply: (app) => applyApp(c, app),
    delete: (ref) => deleteApp(c, ref),
  };
}
