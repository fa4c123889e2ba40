/**
 * The OAM CustomResourceDefinitions the hub serves (Application, the four definition kinds
 * and ResourceTracker, all `core.oam.dev/v1beta1` as KubeVela's): reading them from the chart
 * (`charts/flotilla/crds/`) and installing them on a cluster.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import {
  ApiException,
  ApiextensionsV1Api,
  loadYaml,
  type KubeConfig,
  type V1CustomResourceDefinition,
} from "@kubernetes/client-node";
import { apiStatusOf } from "./kube.js";
import { sleep, systemClock, type Clock } from "../controller/clock.js";
import { silentLogger, type Logger } from "../controller/logger.js";
import {
  ConflictError,
  FlotillaError,
  InvalidInputError,
  UpstreamUnavailableError,
} from "../errors.js";
import { chartCrdsDir } from "../assets.js";
import { isObject } from "../json.js";
import { parseYamlDocuments } from "../yaml.js";

/**
 * Every CRD in the `.yaml`/`.yml` files of `dir` (default: the chart's), in file-name order.
 * A document that is not an `apiextensions.k8s.io/v1` CustomResourceDefinition with a name is
 * an `InvalidInputError` naming the file.
 */
export async function loadCrds(
  dir: string = chartCrdsDir(),
): Promise<V1CustomResourceDefinition[]> {
  const files = (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort();
  const perFile = await Promise.all(
    files.map(async (file) => {
      const source = path.join(dir, file);
      const documents = parseYamlDocuments(await readFile(source, "utf8"), source);
      return documents.map(({ value: doc, where }) => {
        if (doc.kind !== "CustomResourceDefinition") {
          throw new InvalidInputError(
            `${where}: expected only CustomResourceDefinitions, found ${String(doc.kind)}`,
          );
        }
        const ok =
          doc.apiVersion === "apiextensions.k8s.io/v1" &&
          doc.kind === "CustomResourceDefinition" &&
          isObject(doc.metadata) &&
          typeof doc.metadata.name === "string";
        if (!ok) throw new InvalidInputError(`${source}: not a named apiextensions.k8s.io/v1 CRD`);
        // Into client-node's model (`x-kubernetes-*` keys become `x_kubernetes_*`): its
        // serializer sends only the fields the model knows, under their wire names.
        return loadYaml<V1CustomResourceDefinition>(JSON.stringify(doc));
      });
    }),
  );
  return perFile.flat();
}

export type CrdAction = "created" | "updated" | "unchanged";

export interface InstallCrdsOptions {
  readonly kubeconfig: KubeConfig;
  /** Default: the chart's CRDs (`loadCrds()`). */
  readonly crds?: readonly V1CustomResourceDefinition[];
  /** Replace CRDs that already exist with the given ones; default false (leave them). */
  readonly update?: boolean;
  readonly log?: Logger;
  readonly clock?: Clock;
  /** How long to wait for all CRDs to be Established; default 60 s. */
  readonly timeoutMs?: number;
}

export interface InstalledCrd {
  readonly name: string;
  readonly action: CrdAction;
}

/** What went wrong, for a message: the Kubernetes Status message when the server sent one. */
function reasonOf(error: unknown): string {
  if (!(error instanceof ApiException))
    return error instanceof Error ? error.message : String(error);
  const body: unknown = error.body;
  try {
    const status: unknown = typeof body === "string" ? JSON.parse(body) : body;
    if (typeof status === "object" && status !== null && "message" in status)
      return `HTTP ${error.code}: ${String(status.message)}`;
  } catch {
    // not JSON: the status code alone
  }
  return `HTTP ${error.code}`;
}

/** A failed API call as a Flotilla error: a rejected CRD is bad input, the rest upstream. */
function apiFailure(error: unknown, what: string): FlotillaError {
  if (error instanceof FlotillaError) return error;
  const status = apiStatusOf(error);
  const message = `${what}: ${reasonOf(error)}`;
  if (status === 400 || status === 422) return new InvalidInputError(message, { cause: error });
  if (status === 409) return new ConflictError(message, { cause: error });
  return new UpstreamUnavailableError(message, { cause: error });
}

async function readCrd(
  api: ApiextensionsV1Api,
  name: string,
): Promise<V1CustomResourceDefinition | undefined> {
  try {
    return await api.readCustomResourceDefinition({ name });
  } catch (error) {
    if (apiStatusOf(error) === 404) return undefined;
    throw apiFailure(error, `reading CRD ${name}`);
  }
}

/** Creates `crd` when absent; replaces it only when `update`. */
async function ensureCrd(
  api: ApiextensionsV1Api,
  crd: V1CustomResourceDefinition,
  update: boolean,
): Promise<CrdAction> {
  const name = crd.metadata?.name ?? "";
  const existing = await readCrd(api, name);
  try {
    if (existing === undefined) {
      await api.createCustomResourceDefinition({ body: crd });
      return "created";
    }
    if (!update) return "unchanged";
    const resourceVersion = existing.metadata?.resourceVersion;
    const body = { ...crd, metadata: { ...crd.metadata, resourceVersion } };
    await api.replaceCustomResourceDefinition({ name, body });
    return "updated";
  } catch (error) {
    // Created by someone else between our read and our create: it exists, as wanted.
    if (existing === undefined && apiStatusOf(error) === 409) return "unchanged";
    throw apiFailure(error, `${existing === undefined ? "creating" : "updating"} CRD ${name}`);
  }
}

const condition = (crd: V1CustomResourceDefinition | undefined, type: string) =>
  crd?.status?.conditions?.find((c) => c.type === type);

/** Polls until `name` is Established; rejected names (NamesAccepted False) fail at once. */
async function waitEstablished(
  api: ApiextensionsV1Api,
  name: string,
  clock: Clock,
  deadline: number,
): Promise<void> {
  for (;;) {
    const crd = await readCrd(api, name);
    if (condition(crd, "Established")?.status === "True") return;
    const names = condition(crd, "NamesAccepted");
    if (names?.status === "False")
      throw new ConflictError(`CRD ${name}: names not accepted: ${names.message ?? names.reason}`);
    if (clock.now() >= deadline)
      throw new UpstreamUnavailableError(`CRD ${name} was not Established in time`);
    await sleep(clock, 200);
  }
}

/**
 * Makes sure the CRDs exist on the cluster of `kubeconfig` and are Established (served).
 * Idempotent: a CRD that exists is left as it is ("unchanged") unless `update` is set, then
 * it is replaced ("updated"). Errors are Flotilla errors: `InvalidInputError` when the API
 * server rejects a CRD, `ConflictError` when its names clash with another CRD's,
 * `UpstreamUnavailableError` when the cluster cannot be reached or is too slow.
 */
export async function installCrds(options: InstallCrdsOptions): Promise<InstalledCrd[]> {
  const api = options.kubeconfig.makeApiClient(ApiextensionsV1Api);
  const log = options.log ?? silentLogger;
  const clock = options.clock ?? systemClock;
  const crds = options.crds ?? (await loadCrds());
  const installed: InstalledCrd[] = [];
  for (const crd of crds) {
    const name = crd.metadata?.name ?? "";
    const action = await ensureCrd(api, crd, options.update === true);
    if (action !== "unchanged") log.info(`CRD ${action}`, { crd: name });
    installed.push({ name, action });
  }
  const deadline = clock.now() + (options.timeoutMs ?? 60_000);
  await Promise.all(installed.map(({ name }) => waitEstablished(api, name, clock, deadline)));
  return installed;
}
