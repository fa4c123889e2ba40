/**
 * The hub's reconcile of one Application, level-based (house style §3): read the app from the
 * informer cache, then parse → placement → render → deliver (dispatch, tracker, garbage) →
 * health → status. A stage that fails on the user's input (an `InvalidInputError`: a bad
 * manifest, an unknown definition, a selector matching nothing) stops before delivery, so
 * nothing already delivered is touched; the status and an event say what is wrong, and the
 * app is reconciled again when it or a definition or a cluster changes. Anything else (the hub
 * API failing) is thrown, and the controller retries with backoff.
 */
import type { ReconcileResult } from "../../core/controller/controller.js";
import { FlotillaError } from "../../core/errors.js";
import { parseApplication } from "../../core/oam/manifests.js";
import type { ApplicationStatusBody } from "../../core/oam/status.js";
import { isObject, type Application, type JsonObject } from "../../core/oam/types.js";
import type { DefinitionSet } from "../../core/render/definition-set.js";
import { renderComponentAt, type RenderedObject } from "../../core/render/render.js";
import { parseWorkflow } from "../../core/workflow/spec.js";
import type { WorkflowStatus } from "../../core/workflow/types.js";
import { runWorkflow, type Round, type RoundInput } from "../workflow/run.js";
import { componentTargets } from "../../core/render/targets.js";
import { checkPlacements, registryPoolResolver, registryResolver } from "../clusters/placement.js";
import { healthyOnly } from "../health/placement-filter.js";
import { buildStatus, type ReconcileFindings } from "../status/build.js";
import { serviceKey } from "../status/services.js";
import { appliedResources } from "./findings.js";
import { deliverRound } from "./round.js";
import { newMemory, type AppMemory, type Delivery } from "./deliver.js";
import { finalize } from "./finalize.js";
import { recordOutcome, resolveRevision, type Revisioned } from "./revision.js";
import type { RevisionRef } from "../../core/revision/revision.js";
import type { HubContext, RawApp } from "./context.js";

/** How soon a reconcile whose status write met a newer version runs again. */
const CONFLICT_RETRY_MS = 200;

const isUserError = (error: unknown): error is FlotillaError =>
  error instanceof FlotillaError && error.code === "InvalidInput";

type Stage = "Parsed" | "Policy" | "Rendered";

/** Runs `fn`; a user error becomes the failed stage, anything else is thrown. */
function stage<T>(name: Stage, fn: () => T): T | { failed: { stage: Stage; message: string } } {
  try {
    return fn();
  } catch (error) {
    if (!isUserError(error)) throw error;
    return { failed: { stage: name, message: error.message } };
  }
}

const failedStage = (v: unknown): v is { failed: { stage: Stage; message: string } } =>
  isObject(v) && isObject(v.failed);

export async function reconcileApplication(ctx: HubContext, key: string): Promise<ReconcileResult> {
  const cached = ctx.apps.get(key);
  if (cached === undefined) {
    ctx.memory.delete(key);
    return {};
  }
  if (cached.metadata?.deletionTimestamp !== undefined) return finalize(ctx, cached, key);
  const raw = withVersion(cached, await ctx.appApi.addFinalizer(metaOf(cached)));
  const generation = raw.metadata?.generation ?? 1;
  const app = stage("Parsed", () =>
    parseApplication(raw as unknown as JsonObject, `Application ${key}`),
  );
  if (failedStage(app))
    return finish(ctx, raw, { generation, ...app, clusterErrors: [], services: [], applied: [] });
  const revisioned = await resolveRevision(ctx, raw, app, memoryOf(ctx, key)).catch(
    (error: unknown) => {
      if (!isUserError(error)) throw error;
      return { failed: { stage: "Parsed" as const, message: error.message } };
    },
  );
  if (failedStage(revisioned))
    return finish(ctx, raw, {
      generation,
      ...revisioned,
      clusterErrors: [],
      services: [],
      applied: [],
    });
  return deliverApp(ctx, raw, revisioned, key);
}

async function deliverApp(
  ctx: HubContext,
  raw: RawApp,
  { app, revision }: Revisioned,
  key: string,
): Promise<ReconcileResult> {
  const generation = raw.metadata?.generation ?? 1;
  const namespace = app.metadata.namespace ?? "default";
  const resolve = registryResolver(placeable(ctx, raw));
  const resolvePools = registryPoolResolver(ctx.nodePools);
  const empty = { generation, clusterErrors: [], services: [], applied: [] };
  const placed = stage("Policy", () => checkPlacements(app, resolve, ctx.nodePools));
  if (failedStage(placed)) return finish(ctx, raw, { ...empty, ...placed });
  const definitions = ctx.definitions(namespace);
  const rendered = stage("Rendered", () =>
    ctx.renderCache.render({
      engine: ctx.engine,
      definitions,
      app,
      revision: revision.revision,
      resolveClusters: resolve,
      resolvePools,
    }),
  );
  if (failedStage(rendered)) return finish(ctx, raw, { ...empty, ...rendered });

  const plan = stage("Rendered", () => parseWorkflow(app));
  if (failedStage(plan)) return finish(ctx, raw, { ...empty, ...plan });
  const memory = memoryOf(ctx, key);
  const properties = new Map(
    componentTargets(app, resolve, resolvePools).map((t) => [
      serviceKey({ component: t.component, ...t.target }),
      t.spec.properties,
    ]),
  );
  const round = (input: RoundInput): Promise<Round> =>
    deliverRound({ ctx, app, generation, memory, definitions, properties }, input);
  if (plan === undefined) {
    const all = await round({
      deliver: rendered,
      report: rendered,
      extraEntries: [],
      collectGarbage: true,
    });
    return judged(ctx, raw, { generation, revision, round: all });
  }
  return withWorkflow(ctx, raw, { app, generation, revision, rendered, definitions, round });
}

interface WorkflowInput {
  readonly app: Application;
  readonly generation: number;
  readonly revision: RevisionRef;
  readonly rendered: readonly RenderedObject[];
  readonly definitions: DefinitionSet;
  readonly round: (input: RoundInput) => Promise<Round>;
}

/** Delivery driven by `spec.workflow` (hub/workflow/run.ts). */
async function withWorkflow(
  ctx: HubContext,
  raw: RawApp,
  input: WorkflowInput,
): Promise<ReconcileResult> {
  const { app, generation, revision, rendered, definitions } = input;
  const run = await runWorkflow({
    app,
    appRef: {
      ...metaOf(raw),
      ...(raw.metadata?.uid === undefined ? {} : { uid: raw.metadata.uid }),
    },
    ...previousWorkflow(raw),
    revision: revision.name,
    generation,
    source: {
      rendered,
      renderAt: (component, target) =>
        renderComponentAt(
          { engine: ctx.engine, definitions, app, revision: revision.revision },
          component,
          target,
        ),
    },
    definitions,
    cue: ctx.engine,
    clientFor: ctx.clientFor,
    clock: ctx.clock,
    log: ctx.log,
    deliverRound: input.round,
  });
  for (const event of run.events) {
    if (event.type === "Warning") ctx.events.warning(raw, event.reason, event.message);
    else ctx.events.normal(raw, event.reason, event.message);
  }
  return judged(ctx, raw, {
    generation,
    revision,
    round: run.round,
    workflow: run.status,
    ...(run.requeueAfterMs === undefined ? {} : { requeueAfterMs: run.requeueAfterMs }),
  });
}

function memoryOf(ctx: HubContext, key: string): AppMemory {
  let memory = ctx.memory.get(key);
  if (memory === undefined) {
    memory = newMemory(ctx.clock);
    ctx.memory.set(key, memory);
  }
  return memory;
}

function previousWorkflow(raw: RawApp): { previous?: WorkflowStatus } {
  const status = isObject(raw.status) ? raw.status : {};
  return isObject(status.workflow)
    ? { previous: status.workflow as unknown as WorkflowStatus }
    : {};
}

interface Judged {
  readonly generation: number;
  readonly revision: RevisionRef;
  readonly round: Round;
  readonly workflow?: WorkflowStatus;
  readonly requeueAfterMs?: number;
}

async function judged(ctx: HubContext, raw: RawApp, j: Judged): Promise<ReconcileResult> {
  const delivery = j.round.detail as Delivery;
  const findings: ReconcileFindings = {
    generation: j.generation,
    clusterErrors: j.round.errors,
    services: j.round.services,
    applied: appliedResources(delivery.entries),
    revision: j.revision,
    ...(j.workflow === undefined ? {} : { workflow: j.workflow }),
  };
  const result = await finish(ctx, raw, findings);
  const healthy = j.round.services.every((s) => s.healthy);
  await recordOutcome(ctx, memoryOf(ctx, keyOf(raw)), {
    namespace: metaOf(raw).namespace,
    revision: j.revision,
    ...(j.workflow === undefined ? {} : { workflow: j.workflow }),
    healthy: healthy && j.round.errors.length === 0,
  });
  const settled = j.workflow === undefined || j.workflow.finished;
  const next = Math.min(
    j.requeueAfterMs ?? Infinity,
    delivery.requeueAfterMs ?? Infinity,
    healthy && settled ? ctx.stateKeepMs : ctx.healthPollMs,
  );
  return { ...result, requeueAfterMs: next };
}

/**
 * The clusters placement may choose from: all registered ones, or with
 * `--skip-unhealthy-clusters` only Ready ones plus those the app already runs on (dropping
 * those would garbage-collect it from a cluster that is merely unreachable).
 */
function placeable(ctx: HubContext, raw: RawApp) {
  if (!ctx.skipUnhealthyClusters) return ctx.clusters();
  const previous = raw.status as { services?: Array<{ cluster?: unknown }> } | undefined;
  const placed = new Set(
    (previous?.services ?? []).flatMap((s) => (typeof s.cluster === "string" ? [s.cluster] : [])),
  );
  return healthyOnly(ctx.clusters(), ctx.health, { skipUnhealthy: true }, placed);
}

/** The app as it is after our own finalizer write (its new resourceVersion). */
const withVersion = (raw: RawApp, resourceVersion: string | undefined): RawApp =>
  resourceVersion === undefined ? raw : { ...raw, metadata: { ...raw.metadata, resourceVersion } };

const keyOf = (raw: RawApp): string =>
  `${raw.metadata?.namespace ?? "default"}/${raw.metadata?.name ?? ""}`;

const metaOf = (raw: RawApp) => ({
  namespace: raw.metadata?.namespace ?? "default",
  name: raw.metadata?.name ?? "",
  ...(raw.metadata?.resourceVersion === undefined
    ? {}
    : { resourceVersion: raw.metadata.resourceVersion }),
  ...(raw.metadata?.finalizers === undefined ? {} : { finalizers: raw.metadata.finalizers }),
});

/** Writes the status when it changed, and records events for a phase change or a failure. */
async function finish(
  ctx: HubContext,
  raw: RawApp,
  findings: ReconcileFindings,
): Promise<ReconcileResult> {
  const previous = raw.status as Partial<ApplicationStatusBody> | undefined;
  const status = buildStatus(previous, findings, new Date(ctx.clock.now()).toISOString());
  if (JSON.stringify(status) !== JSON.stringify(previous)) {
    // Guarded by the version read: a conflict means the app changed since (a user's workflow
    // operation, or our own last write not cached yet); look again shortly, from fresh data.
    const written = await ctx.appApi.writeStatus(metaOf(raw), status, previous).then(
      () => true,
      (error: unknown) => {
        if (error instanceof FlotillaError && error.code === "Conflict") return false;
        throw error;
      },
    );
    if (!written) return { requeueAfterMs: CONFLICT_RETRY_MS };
  }
  if (findings.failed !== undefined) {
    ctx.events.warning(raw, `${findings.failed.stage}Failed`, findings.failed.message);
    ctx.log.info("application not delivered", {
      app: `${metaOf(raw).namespace}/${metaOf(raw).name}`,
      stage: findings.failed.stage,
      error: findings.failed.message,
    });
  } else if (previous?.status !== status.status) {
    ctx.events.normal(raw, phaseReason(status.status), phaseMessage(status));
  }
  for (const e of findings.clusterErrors) {
    ctx.events.warning(raw, "DispatchFailed", `cluster ${e.cluster}: ${e.message}`);
  }
  return {};
}

const phaseReason = (phase: string): string => phase.charAt(0).toUpperCase() + phase.slice(1);

function phaseMessage(status: ApplicationStatusBody): string {
  const clusters = [...new Set(status.services.map((s) => s.cluster))].join(", ");
  return `phase ${status.status}${clusters === "" ? "" : ` on ${clusters}`}`;
}
