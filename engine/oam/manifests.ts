/**
 * Parses YAML manifests into Applications and definitions (pure). Accepts KubeVela's
 * `core.oam.dev/v1beta1` kinds and the old `core.oam.dev/v1alpha2` TraitDefinition whose
 * template sits in `spec.extension.template`. Every problem names the source, the document
 * and the field.
 */
import { InvalidInputError } from "../../core/errors.js";
import { isObject, type JsonObject } from "../../core/json.js";
import { parseYamlDocuments } from "../../core/yaml.js";
import {
  type Application,
  type Definition,
  type DefinitionKind,
  type KubeSchematic,
} from "./types.js";

export interface Manifests {
  readonly applications: Application[];
  readonly definitions: Definition[];
  /** Documents of other kinds (kept for callers that apply plain objects). */
  readonly others: JsonObject[];
}

const definitionKinds = new Set<string>([
  "ComponentDefinition",
  "TraitDefinition",
  "PolicyDefinition",
  "WorkflowStepDefinition",
]);

/** Parses every YAML document of `text`; `source` names the file in errors. */
export function parseManifests(text: string, source: string): Manifests {
  const result: Manifests = { applications: [], definitions: [], others: [] };
  for (const { value, where } of parseYamlDocuments(text, source)) {
    if (value.kind === "Application") result.applications.push(parseApplication(value, where));
    else if (definitionKinds.has(String(value.kind)))
      result.definitions.push(parseDefinition(value, where));
    else result.others.push(value);
  }
  return result;
}

/** Validates an Application's shape; errors name the application and the field. */
export function parseApplication(value: JsonObject, where: string): Application {
  const meta = isObject(value.metadata) ? value.metadata : {};
  const name = typeof meta.name === "string" ? meta.name : "";
  const problems: string[] = [];
  if (name === "") problems.push("metadata.name: required");
  if (!String(value.apiVersion).startsWith("core.oam.dev/")) {
    problems.push(
      `apiVersion: expected core.oam.dev/v1beta1, got ${JSON.stringify(value.apiVersion)}`,
    );
  }
  const spec = isObject(value.spec) ? value.spec : {};
  checkComponents(spec.components, problems);
  if (problems.length > 0) {
    const at = name === "" ? where : `application "${name}"`;
    throw new InvalidInputError(`${at}: ${problems.join("; ")}`);
  }
  return value as unknown as Application;
}

function checkComponents(components: unknown, problems: string[]): void {
  if (!Array.isArray(components)) {
    problems.push("spec.components: required list");
    return;
  }
  components.forEach((c, i) => checkComponent(c, `spec.components[${i}]`, problems));
  const names = components.map((c) => (isObject(c) ? c.name : undefined));
  names.forEach((n, i) => {
    if (typeof n === "string" && names.indexOf(n) !== i) {
      problems.push(`spec.components[${i}].name: duplicate component "${n}"`);
    }
  });
}

const nonEmpty = (v: unknown): boolean => typeof v === "string" && v !== "";

function checkComponent(value: unknown, at: string, problems: string[]): void {
  if (!isObject(value)) {
    problems.push(`${at}: expected an object with name and type`);
    return;
  }
  if (!nonEmpty(value.name)) problems.push(`${at}.name: required`);
  if (!nonEmpty(value.type)) problems.push(`${at}.type: required`);
  if (value.properties !== undefined && !isObject(value.properties)) {
    problems.push(`${at}.properties: expected an object`);
  }
  checkTraits(value.traits, at, problems);
}

function checkTraits(traits: unknown, at: string, problems: string[]): void {
  if (traits === undefined) return;
  if (!Array.isArray(traits)) {
    problems.push(`${at}.traits: expected a list`);
    return;
  }
  traits.forEach((t, j) => {
    if (!isObject(t) || !nonEmpty(t.type)) problems.push(`${at}.traits[${j}].type: required`);
  });
}

/** The template text or kube schematic of a definition resource. */
function schematicOf(spec: JsonObject): Pick<Definition, "cueTemplate" | "kube"> {
  const schematic = objectAt(spec, "schematic");
  const template = objectAt(schematic, "cue").template ?? objectAt(spec, "extension").template;
  const kube = isObject(schematic.kube) ? (schematic.kube as unknown as KubeSchematic) : undefined;
  return { cueTemplate: typeof template === "string" ? template : undefined, kube };
}

const objectAt = (value: JsonObject, key: string): JsonObject => {
  const found = value[key];
  return isObject(found) ? found : {};
};

const stringList = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.map(String) : undefined;

/** Converts a definition custom resource into a `Definition`. */
export function parseDefinition(value: JsonObject, where: string): Definition {
  const meta = objectAt(value, "metadata");
  const spec = objectAt(value, "spec");
  const name = typeof meta.name === "string" ? meta.name : "";
  const kind = value.kind as DefinitionKind;
  if (name === "") throw new InvalidInputError(`${where}: ${kind} without metadata.name`);
  const schematic = schematicOf(spec);
  if (schematic.cueTemplate === undefined && schematic.kube === undefined) {
    throw new InvalidInputError(
      `${kind} "${name}" (${where}): no spec.schematic.cue.template, spec.schematic.kube or spec.extension.template`,
    );
  }
  const description = objectAt(meta, "annotations")["definition.oam.dev/description"];
  return {
    kind,
    name,
    namespace: typeof meta.namespace === "string" ? meta.namespace : undefined,
    description: typeof description === "string" ? description : undefined,
    ...schematic,
    workload: isObject(spec.workload) ? spec.workload : undefined,
    appliesToWorkloads: stringList(spec.appliesToWorkloads),
    conflictsWith: stringList(spec.conflictsWith),
    podDisruptive: spec.podDisruptive === true,
    status: isObject(spec.status) ? spec.status : undefined,
    source: where,
  };
}
