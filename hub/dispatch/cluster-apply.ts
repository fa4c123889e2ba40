/**
 * Applying one cluster's rendered objects (the I/O half of dispatch), in phases: rendered
 * Namespaces; any other namespace the objects need, created when missing; CRDs, then a wait
 * until the cluster serves the kinds they define; everything else. Cluster-scoped objects lose
 * the namespace render gave them. Apply-once plans read the live object first.
 *
 * A rejected object (`InvalidInput`, `NotFound`, `Forbidden`) fails alone and the rest are
 * still applied; once the cluster itself fails (`UpstreamUnavailable`: unreachable, timing out,
 * 5xx) the remaining objects fail with that error without further requests.
 */
import { sleep, type Clock } from "../../core/controller/clock.js";
import type { FlotillaError } from "../../core/errors.js";
import type { JsonObject } from "../../core/json.js";
import type { RenderedObject } from "../../engine/render/render.js";
import {
  applyOncePaths,
  needsLive,
  objectToApply,
  type ApplyOncePolicy,
  type ApplyStage,
} from "./apply-once.js";
import { objectDigest } from "./digest.js";
import { applyOrder, isCrd, isNamespace, kindsDefinedBy } from "./order.js";
import { subjectOf } from "./resource-selector.js";
import {
  clusterOutcome,
  typedError,
  describeRef,
  refOf,
  type ClientFor,
  type ClusterResult,
  type DispatchedObject,
  type FailedObject,
  type ObjectClient,
} from "./types.js";

export interface ClusterApplyInput {
  readonly cluster: string;
  readonly objects: readonly RenderedObject[];
  readonly clientFor: ClientFor;
  readonly fieldManager: string;
  readonly clock: Clock;
  readonly applyOnce: ApplyOncePolicy | undefined;
  readonly stage: ApplyStage;
  /** How long to wait for the kinds of freshly applied CRDs to be served. */
  readonly crdTimeoutMs: number;
}

interface Run {
  readonly input: ClusterApplyInput;
  readonly client: ObjectClient;
  readonly applied: DispatchedObject[];
  readonly failed: FailedObject[];
  fatal?: FlotillaError;
}

function dispatchedOf(
  rendered: RenderedObject,
  object: JsonObject,
  policy: ApplyOncePolicy | undefined,
  applied = false,
): DispatchedObject {
  const { trait, workloadType } = subjectOf(rendered.object);
  const applyOnce =
    applyOncePaths(rendered.object, policy, "update").kind !== "apply" ||
    applyOncePaths(rendered.object, policy, "stateKeep").kind !== "apply";
  return {
    ...refOf(object),
    component: rendered.component,
    ...(trait === undefined ? {} : { trait }),
    ...(workloadType === undefined ? {} : { workloadType }),
    ...(applyOnce ? { applyOnce } : {}),
    ...(applied ? { digest: objectDigest(rendered.object) } : {}),
  };
}

function fail(run: Run, ref: DispatchedObject, error: FlotillaError): void {
  run.failed.push({ ref, error });
  if (error.code === "UpstreamUnavailable") run.fatal ??= error;
}

/** The object as the cluster takes it: no namespace on cluster-scoped kinds. */
async function placed(run: Run, object: JsonObject): Promise<JsonObject> {
  const ref = refOf(object);
  if (ref.namespace === undefined) return object;
  if ((await run.client.scope(ref.apiVersion, ref.kind)) !== "Cluster") return object;
  const metadata = { ...(object.metadata as JsonObject) };
  delete metadata.namespace;
  return { ...object, metadata };
}

async function applyOne(run: Run, rendered: RenderedObject): Promise<void> {
  if (run.fatal !== undefined) {
    run.failed.push({
      ref: dispatchedOf(rendered, rendered.object, run.input.applyOnce),
      error: run.fatal,
    });
    return;
  }
  const { client, input } = run;
  try {
    const object = await placed(run, rendered.object);
    const plan = applyOncePaths(object, input.applyOnce, input.stage);
    const live = needsLive(plan) ? await client.read(refOf(object)) : undefined;
    const toApply = objectToApply(object, live, plan);
    if (toApply !== undefined)
      await client.apply(toApply, { fieldManager: input.fieldManager, force: true });
    run.applied.push(dispatchedOf(rendered, object, input.applyOnce, true));
  } catch (error) {
    const ref = dispatchedOf(rendered, rendered.object, run.input.applyOnce);
    fail(run, ref, typedError(error, `apply ${describeRef(ref)}`));
  }
}

/** Creates each namespace the objects need that neither exists nor is rendered. */
async function ensureNamespaces(run: Run, objects: readonly RenderedObject[]): Promise<void> {
  const rendered = new Set(
    objects.filter((o) => isNamespace(o.object)).map((o) => refOf(o.object).name),
  );
  const needed = new Set<string>();
  for (const { object } of objects) {
    const { namespace, apiVersion, kind } = refOf(object);
    if (namespace === undefined || rendered.has(namespace) || needed.has(namespace)) continue;
    if ((await run.client.scope(apiVersion, kind)) !== "Cluster") needed.add(namespace);
  }
  for (const name of needed) {
    const ref = { apiVersion: "v1", kind: "Namespace", name };
    if ((await run.client.read(ref)) !== undefined) continue;
    const namespace = { apiVersion: "v1", kind: "Namespace", metadata: { name } };
    await run.client.apply(namespace, { fieldManager: run.input.fieldManager, force: true });
  }
}

/** Waits (bounded) until the cluster serves every kind the applied CRDs define. */
async function waitForCrdKinds(run: Run, crds: readonly RenderedObject[]): Promise<void> {
  const { clock, crdTimeoutMs } = run.input;
  const appliedNames = new Set(
    run.applied.filter((a) => a.kind === "CustomResourceDefinition").map((a) => a.name),
  );
  const kinds = crds
    .filter((c) => appliedNames.has(refOf(c.object).name))
    .flatMap((c) => kindsDefinedBy(c.object));
  const deadline = clock.now() + crdTimeoutMs;
  for (const { apiVersion, kind } of kinds) {
    while ((await run.client.scope(apiVersion, kind)) === undefined && clock.now() < deadline)
      await sleep(clock, 250);
  }
}

/** Runs a setup step; a failure there fails the cluster (every object not yet applied). */
async function step(run: Run, what: string, fn: () => Promise<void>): Promise<void> {
  if (run.fatal !== undefined) return;
  try {
    await fn();
  } catch (error) {
    run.fatal = typedError(error, what);
  }
}

function result(run: Run): ClusterResult {
  return { ...clusterOutcome(run.input.cluster, run.failed), applied: run.applied };
}

/** Applies one cluster's objects; never throws — failures are in the result. */
export async function applyCluster(input: ClusterApplyInput): Promise<ClusterResult> {
  const ordered = applyOrder(input.objects);
  let client: ObjectClient;
  try {
    client = input.clientFor(input.cluster);
  } catch (error) {
    const fatal = typedError(error, `cluster ${input.cluster}`);
    const failed = ordered.map((o) => ({
      ref: dispatchedOf(o, o.object, input.applyOnce),
      error: fatal,
    }));
    return { ...clusterOutcome(input.cluster, failed), applied: [] };
  }
  const run: Run = { input, client, applied: [], failed: [] };
  const namespaces = ordered.filter((o) => isNamespace(o.object));
  const crds = ordered.filter((o) => isCrd(o.object));
  const rest = ordered.filter((o) => !isNamespace(o.object) && !isCrd(o.object));
  for (const rendered of namespaces) await applyOne(run, rendered);
  await step(run, "create namespaces", () => ensureNamespaces(run, ordered));
  for (const rendered of crds) await applyOne(run, rendered);
  if (crds.length > 0) await step(run, "wait for CRDs", () => waitForCrdKinds(run, crds));
  for (const rendered of rest) await applyOne(run, rendered);
  return result(run);
}
