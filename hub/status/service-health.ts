/**
 * The `services[]` of an application's status: for each component in each target, its live
 * workload read from the cluster (through the gateway) and judged by the component
 * definition's health policy, and each trait judged by its own definition's policy against
 * the live objects it rendered, as KubeVela's health check does. A cluster whose delivery
 * failed, or a workload that cannot be read or is missing, is unhealthy with the reason.
 */
import type { CueEngine } from "../../engine/cue/engine.js";
import { errorText } from "../../core/controller/logger.js";
import type { ServiceStatus, TraitStatus } from "../../engine/oam/status.js";
import type { JsonObject } from "../../core/json.js";
import type { Application, ApplicationComponent, Definition } from "../../engine/oam/types.js";
import type { DefinitionSet } from "../../engine/render/definition-set.js";
import { evaluateHealth } from "../../engine/render/health-policy.js";
import type { RenderedObject } from "../../engine/render/render.js";
import { mapLimit } from "../dispatch/pool.js";
import { describeRef, refOf, type ClientFor } from "../dispatch/types.js";
import { labelsOf, type ServiceGroup } from "./services.js";

export interface HealthOptions {
  readonly engine: CueEngine;
  readonly definitions: DefinitionSet;
  readonly clientFor: ClientFor;
  readonly app: Application;
  /** A component's properties in a target (after override policies). */
  readonly properties: (group: ServiceGroup) => JsonObject | undefined;
  /** Clusters whose delivery failed, with the reason. */
  readonly failedClusters: ReadonlyMap<string, string>;
  /** Groups checked at once; default 8. */
  readonly parallelism?: number;
}

type Live = Record<string, JsonObject>;

/** The live object of `item`, or a message saying why there is none. */
async function readLive(
  options: HealthOptions,
  item: RenderedObject,
): Promise<JsonObject | string> {
  const ref = refOf(item.object);
  try {
    const live = await options.clientFor(item.target.cluster).read(ref);
    return live ?? `${describeRef(ref)} not found`;
  } catch (error) {
    return `cannot read ${describeRef(ref)}: ${errorText(error)}`;
  }
}

/** Live auxiliary objects of one trait type, by output name (missing ones left out). */
async function liveOutputs(
  options: HealthOptions,
  auxiliaries: readonly RenderedObject[],
  type: string,
): Promise<Live> {
  const live: Live = {};
  for (const item of auxiliaries) {
    const labels = labelsOf(item.object);
    if (labels["trait.oam.dev/type"] !== type) continue;
    const found = await readLive(options, item);
    if (typeof found !== "string") live[String(labels["trait.oam.dev/resource"])] = found;
  }
  return live;
}

const hasPolicy = (d: Definition | undefined): d is Definition =>
  d?.status?.healthPolicy !== undefined || d?.status?.customStatus !== undefined;

function healthContext(options: HealthOptions, group: ServiceGroup): JsonObject {
  return {
    name: group.component,
    namespace: group.namespace,
    appName: options.app.metadata.name,
    cluster: group.cluster,
    replicaKey: group.replicaKey,
  };
}

async function traitStatuses(
  options: HealthOptions,
  group: ServiceGroup,
  spec: ApplicationComponent,
  workload: JsonObject,
): Promise<TraitStatus[]> {
  const result: TraitStatus[] = [];
  for (const trait of spec.traits ?? []) {
    const definition = options.definitions.get("TraitDefinition", trait.type);
    if (!hasPolicy(definition)) {
      result.push({ type: trait.type, healthy: true });
      continue;
    }
    const health = evaluateHealth({
      engine: options.engine,
      definition,
      live: workload,
      liveOutputs: await liveOutputs(options, group.auxiliaries, trait.type),
      properties: trait.properties ?? {},
      context: healthContext(options, group),
    });
    result.push({ type: trait.type, ...health });
  }
  return result;
}

async function serviceStatus(options: HealthOptions, group: ServiceGroup): Promise<ServiceStatus> {
  const spec = options.app.spec.components.find((c) => c.name === group.component);
  const base = {
    name: group.component,
    namespace: group.namespace,
    cluster: group.cluster,
    ...(group.replicaKey === "" ? {} : { replicaKey: group.replicaKey }),
  };
  const failure = options.failedClusters.get(group.cluster);
  if (failure !== undefined) return { ...base, healthy: false, message: failure };
  if (group.workload === undefined || spec === undefined) return { ...base, healthy: true };
  const workloadDefinition = {
    apiVersion: String(group.workload.object.apiVersion),
    kind: String(group.workload.object.kind),
  };
  const live = await readLive(options, group.workload);
  if (typeof live === "string")
    return { ...base, workloadDefinition, healthy: false, message: live };
  const definition = options.definitions.get("ComponentDefinition", spec.type);
  const own = hasPolicy(definition)
    ? evaluateHealth({
        engine: options.engine,
        definition,
        live,
        liveOutputs: await liveOutputs(options, group.auxiliaries, "AuxiliaryWorkload"),
        properties: options.properties(group) ?? spec.properties ?? {},
        context: healthContext(options, group),
      })
    : { healthy: true };
  const traits = await traitStatuses(options, group, spec, live);
  const healthy = own.healthy && traits.every((t) => t.healthy);
  return { ...base, workloadDefinition, ...own, healthy, traits };
}

/** One status entry per group, in the groups' order. */
export function serviceStatuses(
  options: HealthOptions,
  groups: readonly ServiceGroup[],
): Promise<ServiceStatus[]> {
  return mapLimit(groups, options.parallelism ?? 8, (g) => serviceStatus(options, g));
}
