/**
 * One delivery round of a reconcile: dispatch the objects asked for (through `deliver`: its
 * memory, tracker and garbage collection), then judge the services to report — live health
 * by each definition's health policy, with cluster health (stale entries, node pools) added.
 */
import type { JsonObject } from "../../core/json.js";
import type { Application } from "../../engine/oam/types.js";
import type { DefinitionSet } from "../../engine/render/definition-set.js";
import type { RenderedObject } from "../../engine/render/render.js";
import { serviceGroups, serviceKey } from "../status/services.js";
import type { Round, RoundInput } from "../workflow/run.js";
import { withClusterHealth } from "../status/cluster-staleness.js";
import type { HubContext } from "./context.js";
import { deliver, type AppMemory } from "../dispatch/deliver.js";
import { clusterErrors, deployParallelism } from "./findings.js";
import { serviceStatuses } from "../status/service-health.js";

export interface RoundContext {
  readonly ctx: HubContext;
  readonly app: Application;
  readonly generation: number;
  readonly memory: AppMemory;
  readonly definitions: DefinitionSet;
  readonly properties: ReadonlyMap<string, JsonObject | undefined>;
}

/** Delivers what `input` says and judges the services it reports. */
export async function deliverRound(rc: RoundContext, input: RoundInput): Promise<Round> {
  const { ctx, app } = rc;
  const delivery = await deliver({
    app,
    generation: rc.generation,
    rendered: stableObjects(rc.memory, input.deliver),
    memory: rc.memory,
    clientFor: ctx.clientFor,
    tracker: ctx.tracker,
    clock: ctx.clock,
    stateKeepMs: ctx.stateKeepMs,
    parallelism: deployParallelism(app),
    extraEntries: input.extraEntries,
    collectGarbage: input.collectGarbage,
    observe: ctx.metrics.dispatched,
  });
  const errors = clusterErrors(delivery.results);
  const live = await serviceStatuses(
    {
      engine: ctx.engine,
      definitions: rc.definitions,
      clientFor: ctx.clientFor,
      app,
      properties: (g) => rc.properties.get(serviceKey(g)),
      failedClusters: new Map(errors.map((e) => [e.cluster, e.message])),
    },
    serviceGroups(input.report),
  );
  const services = withClusterHealth(live, {
    health: ctx.health,
    nodePools: ctx.nodePools,
    rendered: input.report,
  });
  return {
    errors,
    services,
    ...(delivery.requeueAfterMs === undefined ? {} : { requeueAfterMs: delivery.requeueAfterMs }),
    detail: delivery,
  };
}

/**
 * The same array while the objects are the same, so delivery sees an unchanged render (its
 * test is identity) when the workflow released nothing new.
 */
function stableObjects(memory: AppMemory, objects: readonly RenderedObject[]) {
  const last = memory.released;
  if (
    last !== undefined &&
    last.length === objects.length &&
    last.every((o, i) => o === objects[i])
  )
    return last;
  memory.released = objects;
  return objects;
}
