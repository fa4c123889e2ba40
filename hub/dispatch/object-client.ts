/**
 * `objectClient(kubeconfig)`: the real `ObjectClient` for one cluster, on client-node's
 * `KubernetesObjectApi` (its discovery cache, authentication and transport).
 *
 * Why a subclass: `KubernetesObjectApi.patch`/`read` pass objects through client-node's typed
 * models, which silently drop every field the models do not know (a newer API field, a typo
 * the server should reject) and turn timestamps into `Date`s. Dispatch must send exactly what
 * was rendered and read back exactly what the server holds, so requests here carry the JSON
 * as is and successful responses are parsed as plain JSON.
 */
import {
  ApiException,
  HttpMethod,
  PatchStrategy,
  ServerConfiguration,
  createConfiguration,
  type KubeConfig,
  type KubernetesObject,
} from "@kubernetes/client-node";
import { kubeError, withTimeout } from "../../core/cluster/kube.js";
import { PlainObjectApi } from "../../core/cluster/plain-object-api.js";
import { InvalidInputError } from "../../core/errors.js";
import { isObject, type JsonObject } from "../../core/json.js";
import {
  describeRef,
  refOf,
  type ApplyOptions,
  type ListQuery,
  type ObjectClient,
  type ObjectRef,
  type ResourceScope,
} from "./types.js";

export interface ObjectClientOptions {
  /** Per-request timeout; default 30 s. */
  readonly timeoutMs?: number;
}

interface RequestSpec {
  readonly method: HttpMethod;
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly contentType?: string;
  readonly body?: string;
}

class RawObjectApi extends PlainObjectApi {
  /** The resource's scope, or undefined when the cluster does not serve the kind. */
  async scopeOf(apiVersion: string, kind: string): Promise<ResourceScope | undefined> {
    try {
      const resource = await this.resource(apiVersion, kind);
      if (resource === undefined) return undefined;
      return resource.namespaced ? "Namespaced" : "Cluster";
    } catch (error) {
      // A group or version the cluster does not serve answers discovery with 404.
      if (error instanceof ApiException && error.code === 404) return undefined;
      throw error;
    }
  }

  /** The kind's API resource; undefined when its group or version is not served (404). */
  private served(apiVersion: string, kind: string) {
    return this.resource(apiVersion, kind).catch((error: unknown) => {
      if (error instanceof ApiException && error.code === 404) return undefined;
      throw error;
    });
  }

  /** The collection path of a kind (in a namespace when given and namespaced). */
  async collectionPath(query: ListQuery): Promise<string | undefined> {
    const resource = await this.served(query.apiVersion, query.kind);
    if (resource === undefined) return undefined;
    const parts = [this.apiVersionPath(query.apiVersion)];
    if (resource.namespaced && query.namespace !== undefined)
      parts.push("namespaces", encodeURIComponent(query.namespace));
    parts.push(resource.name);
    return parts.join("/");
  }

  /** The URL path of `ref`, or undefined when the cluster does not serve its kind. */
  async pathOf(ref: ObjectRef): Promise<string | undefined> {
    const resource = await this.served(ref.apiVersion, ref.kind);
    if (resource === undefined) return undefined;
    const parts = [this.apiVersionPath(ref.apiVersion)];
    if (resource.namespaced) parts.push("namespaces", encodeURIComponent(ref.namespace ?? ""));
    parts.push(resource.name, encodeURIComponent(ref.name));
    return parts.join("/");
  }

  async send(spec: RequestSpec): Promise<JsonObject> {
    const context = this.configuration.baseServer.makeRequestContext(spec.path, spec.method);
    context.setHeaderParam("Accept", "application/json");
    for (const [name, value] of Object.entries(spec.query ?? {}))
      context.setQueryParam(name, value);
    if (spec.body !== undefined) {
      context.setHeaderParam("Content-Type", spec.contentType ?? "application/json");
      context.setBody(spec.body);
    }
    return this.requestPromise<KubernetesObject>(context) as Promise<JsonObject>;
  }
}

/** A client for the cluster `kubeconfig`'s current context points at. No I/O until used. */
export function objectClient(
  kubeconfig: KubeConfig,
  options: ObjectClientOptions = {},
): ObjectClient {
  const cluster = kubeconfig.getCurrentCluster();
  if (cluster === null) throw new InvalidInputError("kubeconfig has no current cluster");
  const api = new RawObjectApi(
    createConfiguration({
      baseServer: new ServerConfiguration(cluster.server, {}),
      authMethods: { default: kubeconfig },
      middleware: withTimeout(options.timeoutMs ?? 30_000).middleware,
    }),
  );
  return new PlainObjectClient(api);
}

/** Runs `call`, its failures mapped to typed errors (kube.ts) that say what was attempted. */
const typed = <T>(what: string, call: () => Promise<T>): Promise<T> =>
  call().catch((error: unknown) => {
    throw kubeError(error, what);
  });

/** The `ObjectClient` over one cluster's `RawObjectApi` (its only state). */
class PlainObjectClient implements ObjectClient {
  readonly #api: RawObjectApi;

  constructor(api: RawObjectApi) {
    this.#api = api;
  }

  scope(apiVersion: string, kind: string): Promise<ResourceScope | undefined> {
    return typed(`discover ${kind} in ${apiVersion}`, () => this.#api.scopeOf(apiVersion, kind));
  }

  apply(object: JsonObject, options: ApplyOptions): Promise<JsonObject> {
    const what = `apply ${describeRef(refOf(object))}`;
    return typed(what, async () =>
      this.#api.send({
        method: HttpMethod.PATCH,
        path: await this.#pathOrFail(refOf(object), what),
        query: { fieldManager: options.fieldManager, force: String(options.force) },
        contentType: PatchStrategy.ServerSideApply,
        body: JSON.stringify(object),
      }),
    );
  }

  read(ref: ObjectRef): Promise<JsonObject | undefined> {
    return typed(`read ${describeRef(ref)}`, async () => {
      const path = await this.#api.pathOf(ref);
      if (path === undefined) return undefined;
      return this.#api.send({ method: HttpMethod.GET, path }).catch(absentOn404);
    });
  }

  delete(ref: ObjectRef): Promise<boolean> {
    return typed(`delete ${describeRef(ref)}`, async () => {
      const path = await this.#api.pathOf(ref);
      if (path === undefined) return false;
      const query = { propagationPolicy: "Background" };
      const done = await this.#api
        .send({ method: HttpMethod.DELETE, path, query })
        .catch(absentOn404);
      return done !== undefined;
    });
  }

  list(query: ListQuery): Promise<JsonObject[]> {
    return typed(`list ${query.kind} in ${query.apiVersion}`, async () => {
      const path = await this.#api.collectionPath(query);
      if (path === undefined) return [];
      const selector = query.labelSelector ?? "";
      const list = await this.#api.send({
        method: HttpMethod.GET,
        path,
        ...(selector === "" ? {} : { query: { labelSelector: selector } }),
      });
      return itemsOf(list, query);
    });
  }

  async #pathOrFail(ref: ObjectRef, what: string): Promise<string> {
    const path = await this.#api.pathOf(ref);
    if (path === undefined)
      throw new InvalidInputError(
        `${what}: the cluster serves no ${ref.kind} in ${ref.apiVersion}`,
      );
    return path;
  }
}

/** A list's items, with the apiVersion and kind the API server leaves out of each item. */
function itemsOf(list: JsonObject, query: ListQuery): JsonObject[] {
  const items = Array.isArray(list.items) ? list.items : [];
  return items.flatMap((item) =>
    isObject(item) ? [{ apiVersion: query.apiVersion, kind: query.kind, ...item }] : [],
  );
}

function absentOn404(error: unknown): undefined {
  if (error instanceof ApiException && error.code === 404) return undefined;
  throw error;
}
