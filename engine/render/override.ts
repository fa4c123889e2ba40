/**
 * The override policy (KubeVela's `override`, also the `patch` of an env-binding env), pure:
 * each entry of `components` patches the application's components before rendering.
 *
 * - An entry without `name` patches every component, or every component of its `type`.
 * - An entry with `name` (`*` matches any run of characters) patches the components whose
 *   whole name matches; when the entry's `type` differs from a matched component's type, the
 *   entry replaces that component. When nothing matches and the name has no `*`, the entry is
 *   added as a new component.
 * - Patching merges `properties` deeply (objects merge, anything else, lists included, is
 *   replaced), then traits: a trait of the same type has its properties merged, `disable: true`
 *   removes it, a new type is appended.
 * - `selector` keeps only the named components, in application order.
 *
 * Differences from KubeVela, on purpose: names match whole (KubeVela's pattern is an
 * unanchored regular expression, so `web` would also patch `frontend-web`), and `false`, `0`
 * and `""` in a patch do override (KubeVela's merge skips such zero values, so replicas could
 * not be overridden to 0).
 */
import { isObject, type JsonObject } from "../../core/json.js";
import { type ApplicationComponent } from "../oam/types.js";

export interface OverrideTrait {
  readonly type: string;
  readonly properties?: JsonObject;
  readonly disable?: boolean;
}

export interface OverridePatch {
  readonly name?: string;
  readonly type?: string;
  readonly properties?: JsonObject;
  readonly traits?: readonly OverrideTrait[];
  readonly externalRevision?: string;
}

export interface OverrideSpec {
  readonly components?: readonly OverridePatch[];
  readonly selector?: readonly string[];
}

/** Deep merge: objects merge key by key, any other value of the patch replaces (pure). */
export function mergeProperties(
  base: JsonObject | undefined,
  patch: JsonObject | undefined,
): JsonObject {
  const result: JsonObject = { ...(base ?? {}) };
  for (const [key, value] of Object.entries(patch ?? {})) {
    const current = result[key];
    result[key] = isObject(current) && isObject(value) ? mergeProperties(current, value) : value;
  }
  return result;
}

function patchTraits(
  base: ApplicationComponent["traits"],
  patches: readonly OverrideTrait[],
): NonNullable<ApplicationComponent["traits"]> {
  let traits = [...(base ?? [])];
  for (const patch of patches) {
    const index = traits.findIndex((t) => t.type === patch.type);
    if (patch.disable === true) {
      traits = traits.filter((t) => t.type !== patch.type);
    } else if (index >= 0) {
      const current = traits[index]!;
      traits[index] = {
        ...current,
        properties: mergeProperties(current.properties, patch.properties),
      };
    } else {
      traits.push({
        type: patch.type,
        ...(patch.properties ? { properties: patch.properties } : {}),
      });
    }
  }
  return traits;
}

/** A component patched by one override entry (pure). */
export function mergeComponent(
  base: ApplicationComponent,
  patch: OverridePatch,
): ApplicationComponent {
  const merged: ApplicationComponent = {
    ...base,
    properties: mergeProperties(base.properties, patch.properties),
  };
  if (patch.traits !== undefined) merged.traits = patchTraits(base.traits, patch.traits);
  if (patch.externalRevision) merged.externalRevision = patch.externalRevision;
  return merged;
}

/** The component an entry creates when it replaces or adds one. */
function asComponent(name: string, patch: OverridePatch): ApplicationComponent {
  return mergeComponent({ name, type: patch.type ?? "" }, patch);
}

/** `*` matches any run of characters; the rest matches literally, whole name only (pure). */
export function namePattern(pattern: string): RegExp {
  const escaped = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${escaped.join(".*")}$`);
}

function applyEntry(
  components: ApplicationComponent[],
  patch: OverridePatch,
): ApplicationComponent[] {
  if (!patch.name) {
    return components.map((c) =>
      !patch.type || patch.type === c.type ? mergeComponent(c, patch) : c,
    );
  }
  const pattern = namePattern(patch.name);
  const matched = components.some((c) => pattern.test(c.name));
  if (!matched) {
    return patch.name.includes("*") ? components : [...components, asComponent(patch.name, patch)];
  }
  return components.map((c) => {
    if (!pattern.test(c.name)) return c;
    return patch.type && patch.type !== c.type
      ? asComponent(c.name, patch)
      : mergeComponent(c, patch);
  });
}

/** The components after one override policy (pure; the input is not changed). */
export function applyOverride(
  components: readonly ApplicationComponent[],
  spec: OverrideSpec,
): ApplicationComponent[] {
  const patched = (spec.components ?? []).reduce(applyEntry, [...components]);
  const keep = spec.selector;
  return keep === undefined ? patched : patched.filter((c) => keep.includes(c.name));
}

/** Reads an override policy's properties (already validated against its schema). */
export function overrideSpec(properties: JsonObject | undefined): OverrideSpec {
  const props = properties ?? {};
  return {
    components: Array.isArray(props.components) ? (props.components as OverridePatch[]) : [],
    ...(Array.isArray(props.selector) ? { selector: props.selector.map(String) } : {}),
  };
}
