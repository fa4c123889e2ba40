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
import { componentTargets } from "../../core/render/targets.js";
import { checkPlacements, registryPoolResolver, registryResolver } from "../clusters/placement.js";
import { healthyOnly } from "../health/placement-filter.js";
import { buildStatus, type ReconcileFindings } from "../status/build.js";
import { serviceGroups, serviceKey } from "../status/services.js";
import { appliedResources, clusterErrors, deployParallelism } from "./findings.js";
import { deliver, newMemory } from "./deliver.js";
import { finalize } from "./finalize.js";
import type { HubContext, RawApp } from "./context.js";
import { withClusterHealth } from "./cluster-health.js";
import { serviceStatuses } from "./health.js";

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
  const raw = ctx.apps.get(key);
  if (raw === undefined) {
    ctx.memory.delete(key);
    return {};
  }
  if (raw.metadata?.deletionTimestamp !== undefined) return finalize(ctx, raw, key);
  await ctx.appApi.addFinalizer(metaOf(raw));
  const generation = raw.metadata?.generation ?? 1;
  const app = stage("Parsed", () =>
    parseApplication(raw as unknown as JsonObject, `Application ${key}`),
  );
  if (failedStage(app))
    return finish(ctx, raw, { generation, ...app, clusterErrors: [], services: [], applied: [] });
  return deliverApp(ctx, raw, app, key);
}

async function deliverApp(
  ctx: HubContext,
  raw: RawApp,
  app: Application,
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
      revision: generation,
      resolveClusters: resolve,
      resolvePools,
    }),
  );
  if (failedStage(rendered)) return finish(ctx, raw, { ...empty, ...rendered });

  let memory = ctx.memory.get(key);
  if (memory === undefined) {
    memory = newMemory(ctx.clock);
    ctx.memory.set(key, memory);
  }
  const delivery = await deliver({
    app,
    generation,
    rendered,
    memory,
    clientFor: ctx.clientFor,
    tracker: ctx.tracker,
    clock: ctx.clock,
    stateKeepMs: ctx.stateKeepMs,
    parallelism: deployParallelism(app),
  });
  const errors = clusterErrors(delivery.results);
  const properties = new Map(
    componentTargets(app, resolve, resolvePools).map((t) => [
      serviceKey({ component: t.component, ...t.target }),
      t.spec.properties,
    ]),
  );
  const live = await serviceStatuses(
    {
      engine: ctx.engine,
      definitions,
      clientFor: ctx.clientFor,
      app,
      properties: (g) => properties.get(serviceKey(g)),
      failedClusters: new Map(errors.map((e) => [e.cluster, e.message])),
    },
    serviceGroups(rendered),
  );
  const services = withClusterHealth(live, {
    health: ctx.health,
    nodePools: ctx.nodePools,
    rendered,
  });
  const findings: ReconcileFindings = {
    generation,
    clusterErrors: errors,
    services,
    applied: appliedResources(delivery.entries),
    revision: {
      name: `${app.metadata.name}-v${generation}`,
      revision: generation,
      revisionHash: "",
    },
  };
  const result = await finish(ctx, raw, findings);
  const healthy = services.every((s) => s.healthy);
  const next = Math.min(
    delivery.requeueAfterMs ?? Infinity,
    healthy ? ctx.stateKeepMs : ctx.healthPollMs,
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
    await ctx.appApi.writeStatus(metaOf(raw), status);
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
