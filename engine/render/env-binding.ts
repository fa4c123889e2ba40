/**
 * KubeVela 1.1's `env-binding` policy, rewritten as what replaced it in KubeVela: one
 * `topology` and one `override` policy per environment, and `deploy` steps in place of the
 * `deploy2env` / `deploy2cluster` steps that named an environment (pure).
 *
 * Per environment `<env>` of policy `<policy>`:
 * - topology `<policy>-<env>`: `placement.clusterSelector.name` → `clusters: [name]`,
 *   `.labels` → `clusterLabelSelector`, `namespaceSelector.name` → `namespace`;
 * - override `<policy>-<env>-override`: `patch.components` as they are, the 2021 form
 *   `patch.traits` as one entry for every component, `selector.components` → `selector`.
 *
 * A `deploy2env` / `deploy2cluster` step becomes a `deploy` step naming both (with the step's
 * `component`, if any, as an extra selector). Without a workflow, every environment gets a
 * deploy step, as KubeVela generated them. Other steps are kept as they are.
 */
import { isObject, type JsonObject } from "../../core/json.js";
import { type Application, type ApplicationPolicy, type WorkflowStep } from "../oam/types.js";

const ENV_STEP_TYPES = new Set(["deploy2env", "deploy2cluster"]);

interface Env {
  readonly name: string;
  readonly placement?: JsonObject;
  readonly selector?: { components?: string[] };
  readonly patch?: { components?: unknown[]; traits?: unknown[] };
}

const envsOf = (policy: ApplicationPolicy): Env[] =>
  Array.isArray(policy.properties?.envs) ? (policy.properties.envs as Env[]) : [];

function topologyOf(policy: string, env: Env): ApplicationPolicy {
  const place = env.placement ?? {};
  const cluster = isObject(place.clusterSelector) ? place.clusterSelector : {};
  const ns = isObject(place.namespaceSelector) ? place.namespaceSelector : {};
  const properties: JsonObject = {};
  if (typeof cluster.name === "string") properties.clusters = [cluster.name];
  if (isObject(cluster.labels)) properties.clusterLabelSelector = cluster.labels;
  if (typeof ns.name === "string") properties.namespace = ns.name;
  if (properties.clusters === undefined && properties.clusterLabelSelector === undefined) {
    properties.clusters = ["local"];
  }
  return { name: `${policy}-${env.name}`, type: "topology", properties };
}

function overrideOf(policy: string, env: Env, only?: string): ApplicationPolicy {
  const components: unknown[] = [...(env.patch?.components ?? [])];
  if (env.patch?.traits !== undefined) components.push({ traits: env.patch.traits });
  const names = env.selector?.components;
  const selector = only === undefined ? names : (names ?? [only]).filter((n) => n === only);
  const suffix = only === undefined ? "override" : `${only}-override`;
  return {
    name: `${policy}-${env.name}-${suffix}`,
    type: "override",
    properties: { components, ...(selector === undefined ? {} : { selector }) },
  };
}

/** True when the application uses env-binding and needs `convertEnvBinding`. */
export function usesEnvBinding(app: Application): boolean {
  return (app.spec.policies ?? []).some((p) => p.type === "env-binding");
}

interface Conversion {
  policies: ApplicationPolicy[];
  steps: WorkflowStep[] | undefined;
}

function convertStep(
  step: WorkflowStep,
  bindings: ApplicationPolicy[],
  out: ApplicationPolicy[],
): WorkflowStep {
  if (!ENV_STEP_TYPES.has(step.type)) return step;
  const props = step.properties ?? {};
  const binding = bindings.find((b) => b.name === props.policy) ?? bindings[0];
  const env = binding === undefined ? undefined : envsOf(binding).find((e) => e.name === props.env);
  if (binding === undefined || env === undefined) return step;
  const only = typeof props.component === "string" ? props.component : undefined;
  const topology = topologyOf(binding.name, env);
  const override = overrideOf(binding.name, env, only);
  for (const p of [topology, override]) if (!out.some((q) => q.name === p.name)) out.push(p);
  return {
    name: step.name,
    type: "deploy",
    properties: { policies: [topology.name, override.name] },
  };
}

function convert(app: Application): Conversion {
  const bindings = (app.spec.policies ?? []).filter((p) => p.type === "env-binding");
  const kept = (app.spec.policies ?? []).filter((p) => p.type !== "env-binding");
  const added: ApplicationPolicy[] = [];
  const steps = app.spec.workflow?.steps;
  if (steps !== undefined && steps.length > 0) {
    const converted = steps.map((s) => convertStep(s, bindings, added));
    return { policies: [...kept, ...added], steps: converted };
  }
  const generated = bindings.flatMap((b) =>
    envsOf(b).map((env) =>
      convertStep(
        {
          name: `deploy-${b.name}-${env.name}`,
          type: "deploy2env",
          properties: { policy: b.name, env: env.name },
        },
        bindings,
        added,
      ),
    ),
  );
  return { policies: [...kept, ...added], steps: generated };
}

/** The application with env-binding rewritten (pure; unchanged when it has none). */
export function convertEnvBinding(app: Application): Application {
  if (!usesEnvBinding(app)) return app;
  const { policies, steps } = convert(app);
  const workflow = { ...(app.spec.workflow ?? {}), ...(steps === undefined ? {} : { steps }) };
  return { ...app, spec: { ...app.spec, policies, workflow } };
}
