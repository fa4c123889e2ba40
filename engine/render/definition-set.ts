/**
 * The definitions visible to one render: built-ins first, then loaded ones (files, the hub
 * cluster), later entries replacing earlier ones of the same kind and name, as a definition
 * in a cluster overrides KubeVela's built-in of the same name.
 */
import type { Definition, DefinitionKind } from "../oam/types.js";

export interface DefinitionSet {
  get(kind: DefinitionKind, name: string): Definition | undefined;
  /** Names of every definition of a kind, sorted. */
  names(kind: DefinitionKind): string[];
  all(): Definition[];
}

/** Builds a set from lists in increasing priority (pure). */
export function definitionSet(...lists: ReadonlyArray<readonly Definition[]>): DefinitionSet {
  const byKey = new Map<string, Definition>();
  for (const list of lists) for (const def of list) byKey.set(`${def.kind}/${def.name}`, def);
  return {
    get: (kind, name) => byKey.get(`${kind}/${name}`),
    names: (kind) =>
      [...byKey.values()]
        .filter((d) => d.kind === kind)
        .map((d) => d.name)
        .sort(),
    all: () => [...byKey.values()],
  };
}
