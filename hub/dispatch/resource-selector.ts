/**
 * KubeVela's resource policy rule selector (`garbage-collect` and `apply-once` rules), pure:
 * `componentNames`, `componentTypes`, `oamTypes`, `traitTypes`, `resourceTypes` (kinds) and
 * `resourceNames`. Conditions combine with AND; an empty or absent condition is ignored; a
 * selector matches when at least one condition is given and every given one holds — so an
 * empty selector matches nothing, as in KubeVela.
 *
 * A subject's component type is its `workload.oam.dev/type` label, which only the workload
 * carries: `componentTypes` never selects a trait's objects (KubeVela reads the same label).
 * Its OAM type is `WORKLOAD` for the workload and `TRAIT` for auxiliary objects (KubeVela's
 * `app.oam.dev/resourceType` values); `COMPONENT`, the word KubeVela's policy docs use, also
 * selects workloads.
 */
import { InvalidInputError } from "../../core/errors.js";
import { isObject, type JsonObject } from "../../core/json.js";

export interface ResourceSelector {
  readonly componentNames?: readonly string[];
  readonly componentTypes?: readonly string[];
  readonly oamTypes?: readonly string[];
  readonly traitTypes?: readonly string[];
  readonly resourceTypes?: readonly string[];
  readonly resourceNames?: readonly string[];
}

/** What a selector looks at: from a rendered object's labels or a tracker entry. */
export interface SelectorSubject {
  readonly kind: string;
  readonly name: string;
  readonly component?: string;
  readonly workloadType?: string;
  readonly trait?: string;
}

const selectorKeys = [
  "componentNames",
  "componentTypes",
  "oamTypes",
  "traitTypes",
  "resourceTypes",
  "resourceNames",
] as const;

function oamTypesOf(subject: SelectorSubject): string[] {
  if (subject.workloadType !== undefined) return ["WORKLOAD", "COMPONENT"];
  return subject.trait === undefined ? [] : ["TRAIT"];
}

function valuesOf(subject: SelectorSubject, key: (typeof selectorKeys)[number]): string[] {
  const one = (v: string | undefined): string[] => (v === undefined || v === "" ? [] : [v]);
  switch (key) {
    case "componentNames":
      return one(subject.component);
    case "componentTypes":
      return one(subject.workloadType);
    case "oamTypes":
      return oamTypesOf(subject);
    case "traitTypes":
      return one(subject.trait);
    case "resourceTypes":
      return one(subject.kind);
    case "resourceNames":
      return one(subject.name);
  }
}

/** True when `selector` selects `subject` (pure). */
export function selects(selector: ResourceSelector, subject: SelectorSubject): boolean {
  let given = 0;
  for (const key of selectorKeys) {
    const wanted = selector[key] ?? [];
    if (wanted.length === 0) continue;
    given += 1;
    if (!valuesOf(subject, key).some((v) => wanted.includes(v))) return false;
  }
  return given > 0;
}

/** The selector subject of a rendered object, from its kind, name and KubeVela labels. */
export function subjectOf(object: JsonObject): SelectorSubject {
  const meta = isObject(object.metadata) ? object.metadata : {};
  const labels = isObject(meta.labels) ? meta.labels : {};
  const label = (key: string): string | undefined =>
    typeof labels[key] === "string" ? labels[key] : undefined;
  return {
    kind: typeof object.kind === "string" ? object.kind : "",
    name: typeof meta.name === "string" ? meta.name : "",
    component: label("app.oam.dev/component"),
    workloadType: label("workload.oam.dev/type"),
    trait: label("trait.oam.dev/type"),
  };
}

/** Parses a selector from policy properties; `where` names it in errors. */
export function parseSelector(value: unknown, where: string): ResourceSelector {
  if (value === undefined) return {};
  if (!isObject(value)) throw new InvalidInputError(`${where}: selector must be an object`);
  const selector: Record<string, string[]> = {};
  for (const key of selectorKeys) {
    const list = value[key];
    if (list === undefined) continue;
    if (!Array.isArray(list) || !list.every((v) => typeof v === "string"))
      throw new InvalidInputError(`${where}: selector.${key} must be a list of strings`);
    selector[key] = list;
  }
  return selector;
}
