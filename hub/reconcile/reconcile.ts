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
import { parseApplication } from "../../engine/oam/manifests.js";
import { isObject, type JsonObject } from "../../core/json.js";
import { type Application } from "../../engine/oam/types.js";
import type { DefinitionSet } from "../../engine/render/definition-set.js";
import { renderComponentAt, type RenderedObject } from "../../engine/render/render.js";
import { parseWorkflow } from "../../engine/workflow/spec.js";
import type { WorkflowStatus } from "../../engine/workflow/types.js";
import { runWorkflow, type Round, type RoundInput } from "../workflow/run.js";
import { componentTargets } from "../../engine/render/targets.js";
import { registryResolver } from "../clusters/placement.js";
import { inventoryPoolResolver } from "../../engine/render/node-pools.js";
import { checkPlacements } from "../../engine/render/placement-check.js";
import { healthyOnly } from "../clusters/placement-filter.js";
import type { ReconcileFindings } from "../status/build.js";
import { serviceKey } from "../status/services.js";
import { appliedResources } from "./findings.js";
import { deliverRound } from "./round.js";
import { newMemory, type AppMemory, type Delivery } from "../dispatch/deliver.js";
import { finalize } from "./finalize.js";
import { recordOutcome, resolveRevision, type Revisioned } from "../revision/stage.js";
import type { RevisionRef } from "../../engine/revision/revision.js";
import { appMetaOf, type HubContext, type RawApp } from "./context.js";
import { finish } from "./finish.js";
import { requeueAfter } from "./requeue.js";

const isUserError = (error: unknown): error is FlotillaError =>
  error instanceof FlotillaError && error.code === "InvalidInput";

type Stage = "Parsed" | "Policy" | "Rendered";

type Failed = { failed: { stage: Stage; message: string } };

/** A user error as the failed stage; anything else is thrown. */
function failedAs(name: Stage, error: unknown): Failed {
  if (!isUserError(error)) throw error;
  return { failed: { stage: name, message: error.message } };
}

/** Runs `fn`; a user error becomes the failed stage, anything else is thrown. */
function stage<T>(name: Stage, fn: () => T): T | Failed {
  try {
    return fn();
  } catch (error) {
    return failedAs(name, error);
  }
}

/** The findings of a reconcile that stopped before delivering anything. */
const undelivered = (generation: number) => ({
  generation,
  clusterErrors: [],
  services: [],
  applied: [],
});

const failedStage = (v: unknown): v is Failed => isObject(v) && isObject(v.failed);

export async function reconcileApplication(ctx: HubContext, key: string): Promise<ReconcileResult> {
  const cached = ctx.apps.get(key);
  if (cached === undefined) {
    ctx.memory.delete(key);
    return {};
  }
  if (cached.metadata?.deletionTimestamp !== undefined) return finalize(ctx, cached, key);
  const raw = withVersion(cached, await ctx.appApi.addFinalizer(appMetaOf(cached)));
  const generation = raw.metadata?.generation ?? 1;
  const app = stage("Parsed", () =>
    parseApplication(raw as unknown as JsonObject, `Application ${key}`),
  );
  if (failedStage(app)) return finish(ctx, raw, { ...undelivered(generation), ...app });
  const memory = memoryOf(ctx, key);
  const revisioned = await resolveRevision(ctx, raw, app, memory).catch((error: unknown) =>
    failedAs("Parsed", error),
  );
  if (failedStage(revisioned))
    return finish(ctx, raw, { ...undelivered(generation), ...revisioned });
  return deliverApp(ctx, raw, revisioned, memory);
}

async function deliverApp(
  ctx: HubContext,
  raw: RawApp,
  { app, revision }: Revisioned,
  memory: AppMemory,
): Promise<ReconcileResult> {
  const generation = raw.metadata?.generation ?? 1;
  const namespace = app.metadata.namespace ?? "default";
  const resolve = registryResolver(placeable(ctx, raw));
  const resolvePools = inventoryPoolResolver(ctx.nodePools);
  const empty = undelivered(generation);
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
    return judged(ctx, raw, { generation, revision, memory, round: all });
  }
  const input = { app, generation, revision, memory, rendered, definitions, round };
  return withWorkflow(ctx, raw, input);
}

interface WorkflowInput {
  readonly app: Application;
  readonly generation: number;
  readonly revision: RevisionRef;
  readonly memory: AppMemory;
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
  const { app, generation, revision, memory, rendered, definitions } = input;
  const run = await runWorkflow({
    app,
    appRef: {
      ...appMetaOf(raw),
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
  ctx.metrics.workflowAdvanced(previousWorkflow(raw).previous, run.status);
  for (const event of run.events) {
    if (event.type === "Warning") ctx.events.warning(raw, event.reason, event.message);
    else ctx.events.normal(raw, event.reason, event.message);
  }
  return judged(ctx, raw, {
    generation,
    revision,
    memory,
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
  readonly memory: AppMemory;
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
  await recordOutcome(ctx, j.memory, {
    namespace: appMetaOf(raw).namespace,
    revision: j.revision,
    ...(j.workflow === undefined ? {} : { workflow: j.workflow }),
    healthy: healthy && j.round.errors.length === 0,
  });
  const next = requeueAfter({
    statusMs: result.requeueAfterMs,
    workflowMs: j.requeueAfterMs,
    deliveryMs: delivery.requeueAfterMs,
    healthy,
    settled: j.workflow === undefined || j.workflow.finished,
    stateKeepMs: ctx.stateKeepMs,
    healthPollMs: ctx.healthPollMs,
  });
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
