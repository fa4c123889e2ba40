/**
 * The cluster registry on the hub: one credential Secret per member cluster in `vela-system`,
 * in KubeVela's layout (see secret.ts), so `vela cluster list` and Flotilla agree. Every call
 * goes to the hub's API server (no cache); writes use the Secret's resourceVersion and retry
 * on a concurrent change. `local` (the hub itself) is never stored: asking for it is an
 * `InvalidInputError`. Errors: `NotFoundError` (no such cluster), `ConflictError` (name
 * taken), `UpstreamUnavailableError` (hub unreachable), others as kube.ts maps them.
 */
import { CoreV1Api, type KubeConfig, type V1Secret } from "@kubernetes/client-node";
import { ConflictError, InvalidInputError, NotFoundError } from "../errors.js";
import { apiStatusOf, ensureNamespace, kubeError, withTimeout } from "./kube.js";
import { assertClusterName } from "./labels.js";
import {
  isClusterSecret,
  recordFromSecret,
  secretFromRecord,
  type SecretObject,
} from "./secret.js";
import { renamedSecret, updatedSecret } from "./secret-update.js";
import {
  CREDENTIAL_TYPE_LABEL,
  LOCAL_CLUSTER,
  REGISTRY_NAMESPACE,
  type ClusterRecord,
} from "./types.js";

export interface ClusterRegistryOptions {
  /** Reaches the hub's API server. */
  readonly hub: KubeConfig;
  /** Per-request timeout; default 30 s. */
  readonly timeoutMs?: number;
}

/** A credential Secret that could not be read as a cluster (listed, not fatal). */
export interface InvalidClusterSecret {
  readonly name: string;
  readonly error: string;
}

export interface ClusterListing {
  /** Sorted by name. */
  readonly clusters: readonly ClusterRecord[];
  readonly invalid: readonly InvalidClusterSecret[];
}

export interface ClusterRegistry {
  /** Every stored cluster (not `local`); broken Secrets are reported in `invalid`. */
  list(): Promise<ClusterListing>;
  /** The cluster `name`; `NotFoundError` when it is not registered. */
  get(name: string): Promise<ClusterRecord>;
  /** Stores a new cluster (creating `vela-system` if needed); `ConflictError` when taken. */
  create(record: ClusterRecord): Promise<ClusterRecord>;
  /** Read-modify-write of one cluster; `change` must keep the name. Retries on conflicts. */
  update(name: string, change: (record: ClusterRecord) => ClusterRecord): Promise<ClusterRecord>;
  /** Moves the Secret to a new name, keeping everything else; `ConflictError` when taken. */
  rename(from: string, to: string): Promise<ClusterRecord>;
  /** Removes the cluster's Secret; `NotFoundError` when it is not registered. */
  delete(name: string): Promise<void>;
}

const UPDATE_ATTEMPTS = 5;
const namespace = REGISTRY_NAMESPACE;

function assertNotLocal(name: string): void {
  if (name === LOCAL_CLUSTER) {
    throw new InvalidInputError(
      `"${LOCAL_CLUSTER}" is the hub itself: it is not stored in the registry and cannot be changed`,
    );
  }
}

function toRecords(items: readonly V1Secret[]): ClusterListing {
  const clusters: ClusterRecord[] = [];
  const invalid: InvalidClusterSecret[] = [];
  for (const item of items) {
    try {
      clusters.push(recordFromSecret(item));
    } catch (error) {
      invalid.push({ name: item.metadata?.name ?? "", error: (error as Error).message });
    }
  }
  clusters.sort((a, b) => a.name.localeCompare(b.name));
  return { clusters, invalid };
}

/** Creates the registry client; no I/O until a method is called. */
export function clusterRegistry(options: ClusterRegistryOptions): ClusterRegistry {
  return new SecretRegistry(options);
}

/** The registry over the hub's credential Secrets; its only state is the API client. */
class SecretRegistry implements ClusterRegistry {
  readonly #hub: KubeConfig;
  readonly #timeoutMs: number | undefined;
  readonly #core: CoreV1Api;
  readonly #timeout: ReturnType<typeof withTimeout>;

  constructor(options: ClusterRegistryOptions) {
    this.#hub = options.hub;
    this.#timeoutMs = options.timeoutMs;
    this.#core = options.hub.makeApiClient(CoreV1Api);
    this.#timeout = withTimeout(options.timeoutMs ?? 30_000);
  }

  async list(): Promise<ClusterListing> {
    const query = { namespace, labelSelector: CREDENTIAL_TYPE_LABEL };
    const secrets = await this.#core.listNamespacedSecret(query, this.#timeout).catch((error) => {
      throw kubeError(error, `listing clusters on the hub`);
    });
    return toRecords(secrets.items);
  }

  async get(name: string): Promise<ClusterRecord> {
    return recordFromSecret(await this.#readSecret(name));
  }

  async create(record: ClusterRecord): Promise<ClusterRecord> {
    assertClusterName(record.name);
    await ensureNamespace(this.#hub, namespace, this.#timeoutMs);
    return recordFromSecret(await this.#createSecret(secretFromRecord(record), record.name));
  }

  async update(
    name: string,
    change: (record: ClusterRecord) => ClusterRecord,
  ): Promise<ClusterRecord> {
    for (let attempt = 1; attempt <= UPDATE_ATTEMPTS; attempt++) {
      const updated = await this.#updateOnce(name, change);
      if (updated !== undefined) return updated;
    }
    throw new ConflictError(
      `cluster "${name}" kept changing; ${UPDATE_ATTEMPTS} attempts to update it failed`,
    );
  }

  /** Creates the new Secret, then deletes the old one (or the new one again if that fails). */
  async rename(from: string, to: string): Promise<ClusterRecord> {
    assertClusterName(to);
    const existing = await this.#readSecret(from);
    const body = renamedSecret(existing, to);
    const created = await this.#createSecret(body, to).catch((error) => {
      throw error instanceof ConflictError
        ? new ConflictError(`cannot rename "${from}" to "${to}": ${error.message}`)
        : error;
    });
    try {
      await this.#deleteSecret(existing);
    } catch (error) {
      await this.#deleteSecret(created).catch(() => undefined);
      throw error;
    }
    return recordFromSecret(created);
  }

  async delete(name: string): Promise<void> {
    await this.#deleteSecret(await this.#readSecret(name));
  }

  async #readSecret(name: string): Promise<V1Secret> {
    assertNotLocal(name);
    const secret = await this.#core
      .readNamespacedSecret({ name, namespace }, this.#timeout)
      .catch((error) => {
        if (apiStatusOf(error) === 404)
          throw new NotFoundError(`no cluster "${name}" is registered`);
        throw kubeError(error, `reading cluster "${name}" from the hub`);
      });
    if (!isClusterSecret(secret)) {
      throw new NotFoundError(
        `no cluster "${name}" is registered (Secret ${namespace}/${name} has no ${CREDENTIAL_TYPE_LABEL} label)`,
      );
    }
    return secret;
  }

  async #createSecret(body: SecretObject, name: string): Promise<V1Secret> {
    return this.#core
      .createNamespacedSecret({ namespace, body: body as V1Secret }, this.#timeout)
      .catch((error) => {
        if (apiStatusOf(error) === 409)
          throw new ConflictError(`a cluster named "${name}" is already registered`);
        throw kubeError(error, `storing cluster "${name}" on the hub`);
      });
  }

  async #deleteSecret(secret: V1Secret): Promise<void> {
    const name = secret.metadata?.name ?? "";
    const uid = secret.metadata?.uid;
    const precondition = uid ? { body: { preconditions: { uid } } } : {};
    await this.#core
      .deleteNamespacedSecret({ name, namespace, ...precondition }, this.#timeout)
      .catch((error) => {
        if (apiStatusOf(error) === 404)
          throw new NotFoundError(`no cluster "${name}" is registered`);
        throw kubeError(error, `deleting cluster "${name}" from the hub`);
      });
  }

  /** One read-modify-write; undefined when the Secret changed meanwhile (409). */
  async #updateOnce(
    name: string,
    change: (r: ClusterRecord) => ClusterRecord,
  ): Promise<ClusterRecord | undefined> {
    const existing = await this.#readSecret(name);
    const next = change(recordFromSecret(existing));
    if (next.name !== name)
      throw new InvalidInputError(`update cannot rename "${name}"; use rename`);
    const body = updatedSecret(existing, next) as V1Secret;
    try {
      const replaced = await this.#core.replaceNamespacedSecret(
        { name, namespace, body },
        this.#timeout,
      );
      return recordFromSecret(replaced);
    } catch (error) {
      if (apiStatusOf(error) === 409) return undefined;
      throw kubeError(error, `updating cluster "${name}" on the hub`);
    }
  }
}
