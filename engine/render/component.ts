/**
 * Renders one component for one target (pure given the CUE engine): the component's
 * template gives the workload (`output`) and auxiliary objects (`outputs`); then each trait,
 * in order, sees the workload as patched so far in `context.output`, and contributes
 * `patch` (applied to the workload with KubeVela's patch strategies), `patchOutputs`
 * (applied to named auxiliary objects) and `outputs` (new auxiliary objects).
 */
import type { CueEngine } from "../cue/engine.js";
import { isObject, type JsonObject } from "../../core/json.js";
import {
  type Application,
  type ApplicationComponent,
  type ApplicationTrait,
  type Definition,
} from "../oam/types.js";
import { buildContext, type RenderTarget } from "./context.js";
import type { DefinitionSet } from "./definition-set.js";
import { evaluateTemplate } from "./evaluate.js";
import { applyPatch } from "./patch.js";
import { renderKubeSchematic } from "./kube-schematic.js";
import {
  annotationsForOutput,
  findPatchAnnotations,
  type PatchAnnotation,
} from "./patch-annotations.js";
import { RenderError, type RenderLocation } from "./render-error.js";

export interface ComponentRenderInput {
  readonly engine: CueEngine;
  readonly definitions: DefinitionSet;
  readonly app: Application;
  readonly component: ApplicationComponent;
  readonly target: RenderTarget;
  readonly revision: number;
}

/** An auxiliary object and who made it. */
export interface Auxiliary {
  readonly name: string;
  /** The trait type, or `AuxiliaryWorkload` for the component's own outputs. */
  readonly from: string;
  readonly object: JsonObject;
}

export interface RenderedComponent {
  readonly name: string;
  readonly type: string;
  readonly workload: JsonObject;
  readonly auxiliaries: Auxiliary[];
}

/** Looks a definition up, or fails naming what is known. */
function requireDefinition(
  input: ComponentRenderInput,
  kind: "ComponentDefinition" | "TraitDefinition",
  type: string,
  at: RenderLocation,
): Definition {
  const found = input.definitions.get(kind, type);
  if (found !== undefined) return found;
  const noun = kind === "ComponentDefinition" ? "component type" : "trait type";
  const known = input.definitions.names(kind).join(", ");
  throw new RenderError(at, `unknown ${noun} "${type}" (known: ${known || "none"})`);
}

export function renderComponent(input: ComponentRenderInput): RenderedComponent {
  const { component, app } = input;
  const at: RenderLocation = { application: app.metadata.name, component: component.name };
  const definition = requireDefinition(input, "ComponentDefinition", component.type, at);
  const base = workloadOf(input, definition, at);
  let state: RenderedComponent = { name: component.name, type: component.type, ...base };
  for (const trait of component.traits ?? []) state = applyTrait(input, state, trait);
  return state;
}

/** The workload and the component's own auxiliary objects, from a CUE or kube schematic. */
function workloadOf(
  input: ComponentRenderInput,
  definition: Definition,
  at: RenderLocation,
): Pick<RenderedComponent, "workload" | "auxiliaries"> {
  const located = { ...at, definition: `ComponentDefinition "${definition.name}"` };
  if (definition.cueTemplate === undefined && definition.kube !== undefined) {
    return {
      workload: renderKubeSchematic(definition.kube, input.component.properties, located),
      auxiliaries: [],
    };
  }
  const { component, app } = input;
  const context = buildContext({
    app,
    component: component.name,
    target: input.target,
    revision: input.revision,
  });
  const select = ["output", "outputs"];
  const result = evaluateTemplate({
    engine: input.engine,
    definition,
    properties: component.properties,
    context,
    select,
    at,
  });
  if (!isObject(result.output))
    throw new RenderError(located, "the template has no concrete output");
  return { workload: result.output, auxiliaries: outputsOf(result.outputs, "AuxiliaryWorkload") };
}

function outputsOf(value: unknown, from: string): Auxiliary[] {
  if (!isObject(value)) return [];
  return Object.entries(value)
    .filter((entry): entry is [string, JsonObject] => isObject(entry[1]))
    .map(([name, object]) => ({ name, from, object }));
}

function applyTrait(
  input: ComponentRenderInput,
  state: RenderedComponent,
  trait: ApplicationTrait,
): RenderedComponent {
  const at: RenderLocation = {
    application: input.app.metadata.name,
    component: state.name,
    trait: trait.type,
  };
  const definition = requireDefinition(input, "TraitDefinition", trait.type, at);
  checkApplies(definition, state, at);
  const outputs = Object.fromEntries(state.auxiliaries.map((a) => [a.name, a.object]));
  const context = buildContext({
    app: input.app,
    component: state.name,
    target: input.target,
    revision: input.revision,
    output: state.workload,
    outputs,
  });
  const result = evaluateTemplate({
    engine: input.engine,
    definition,
    properties: trait.properties,
    context,
    select: ["outputs", "patch", "patchOutputs", "errs"],
    at,
  });
  const located = { ...at, definition: `TraitDefinition "${definition.name}"` };
  // KubeVela lets a trait report problems it detects itself in a list named `errs`.
  if (Array.isArray(result.errs) && result.errs.length > 0) {
    throw new RenderError({ ...located, field: "errs" }, result.errs.map(String).join("; "));
  }
  const annotations = annotationsOf(definition);
  const workload =
    result.patch === undefined
      ? state.workload
      : patchOrFail(
          () =>
            applyPatch(
              state.workload,
              result.patch,
              annotations.filter((a) => a.root !== "patchOutputs"),
            ),
          located,
        );
  const patchOutputs = isObject(result.patchOutputs) ? result.patchOutputs : {};
  const auxiliaries = state.auxiliaries.map((aux) => {
    const patch = patchOutputs[aux.name];
    if (patch === undefined) return aux;
    const own = annotationsForOutput(annotations, aux.name);
    return { ...aux, object: patchOrFail(() => applyPatch(aux.object, patch, own), located) };
  });
  return {
    ...state,
    workload,
    auxiliaries: [...auxiliaries, ...outputsOf(result.outputs, trait.type)],
  };
}

// Annotations depend only on a definition's template text, so each definition is scanned
// once rather than on every render (the scan is about 0.6 ms for a typical trait).
const scanned = new WeakMap<Definition, PatchAnnotation[]>();

function annotationsOf(definition: Definition): PatchAnnotation[] {
  let annotations = scanned.get(definition);
  if (annotations === undefined) {
    annotations = findPatchAnnotations(definition.cueTemplate ?? "");
    scanned.set(definition, annotations);
  }
  return annotations;
}

function patchOrFail(patch: () => JsonObject, at: RenderLocation): JsonObject {
  try {
    return patch();
  } catch (error) {
    const field = (error as { path?: string }).path;
    const message = error instanceof Error ? error.message : String(error);
    throw new RenderError(
      { ...at, field: field === undefined ? undefined : `patch.${field}` },
      message,
      { cause: error },
    );
  }
}

/** A trait declares the workloads it applies to by component type or workload kind. */
function checkApplies(definition: Definition, state: RenderedComponent, at: RenderLocation): void {
  const allowed = definition.appliesToWorkloads;
  if (allowed === undefined || allowed.length === 0 || allowed.includes("*")) return;
  const text = (v: unknown): string => (typeof v === "string" ? v : "");
  const kind = text(state.workload.kind);
  const group = text(state.workload.apiVersion).split("/")[0] ?? "";
  const resource = `${kind.toLowerCase()}s${group.includes(".") || group === "apps" ? "." + group : ""}`;
  const names = [state.type, kind, resource, `${resource.split(".")[0]}`];
  if (allowed.some((a) => names.includes(a))) return;
  throw new RenderError(
    { ...at, definition: `TraitDefinition "${definition.name}"` },
    `trait "${definition.name}" does not apply to component type "${state.type}" (workload ${kind}); it applies to: ${allowed.join(", ")}`,
  );
}
