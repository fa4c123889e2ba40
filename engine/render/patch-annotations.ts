/**
 * Finds KubeVela's patch annotations (`// +patchKey=<key>`, `// +patchStrategy=<strategy>`)
 * in a trait template's CUE source, as label paths relative to the template's `patch` (or
 * `patchOutputs`) field. cue-wasm's AST drops comments, so this reads the text through
 * cue-outline.ts, whose header says which field a comment belongs to.
 *
 * KubeVela reads the annotations from the patch value exported with references resolved
 * (kubevela/workflow `pkg/cue/model/sets/operation.go`, `findCommentTag`), so an annotation
 * inside a helper that the patch uses (`containers: [PatchContainer & {…}]`, as KubeVela's
 * own env and container-ports traits do, or a `let` as the resource trait does) counts
 * where the helper is used. A name is resolved to the nearest enclosing struct that declares
 * it, roughly as CUE scopes names. Hidden (`_x`), definition (`#X`) and `let` labels are
 * never output, so annotations under them are not reported where they are written.
 */
import {
  ANY_LABEL,
  ELEMENT,
  LET,
  outlineCue,
  type Outline,
  type Reference,
} from "./cue-outline.js";

export { ANY_LABEL, ELEMENT };

export type PatchStrategy = "retainKeys" | "replace" | "jsonMergePatch" | "jsonPatch";
const STRATEGIES: readonly PatchStrategy[] = [
  "retainKeys",
  "replace",
  "jsonMergePatch",
  "jsonPatch",
];

/** `patch` patches the workload; `patchOutputs` patches the named auxiliary outputs. */
export type PatchRoot = "patch" | "patchOutputs";

/** One annotated field. */
export interface PatchAnnotation {
  readonly root: PatchRoot;
  /**
   * Labels from the root to the annotated field (empty for the root field itself), with
   * ELEMENT for list elements and ANY_LABEL for labels computed at evaluation. Under
   * `patchOutputs` the first segment is the output name. This is what patching matches.
   */
  readonly segments: readonly string[];
  /** The same path for people: `spec.template.spec.containers[*].volumeMounts`. */
  readonly path: string;
  readonly patchKey?: string;
  readonly patchStrategy?: PatchStrategy;
  /** 1-based line of the annotated label in the scanned text. */
  readonly line: number;
}

/**
 * Every annotated field under the template's `patch` or `patchOutputs`, in source order, then
 * those reached through helpers. The fields may sit at the top level (a TraitDefinition's
 * `schematic.cue.template`) or inside a top-level `template:` (a `.cue` definition file).
 * When a comment group repeats a tag the last one counts, and unknown strategies are ignored,
 * both as in KubeVela. Pure; text it cannot follow yields fewer annotations, never an error.
 */
export function findPatchAnnotations(cueSource: string): PatchAnnotation[] {
  const outline = outlineCue(cueSource);
  const tagged = outline.fields.flatMap((field) => {
    const tags = parseTags(field.comments);
    return tags === undefined ? [] : [{ ...tags, segments: field.segments, line: field.line }];
  });
  return throughReferences(tagged, outline).flatMap((t) => toAnnotation(t) ?? []);
}

/**
 * The annotations for one auxiliary output's `patchOutputs` entry, with the output name
 * taken off their paths. Annotations on the entry itself are dropped: KubeVela patches
 * outputs by unification with its list strategies and reads nothing from the entry's own
 * comment.
 */
export function annotationsForOutput(
  annotations: readonly PatchAnnotation[],
  outputName: string,
): PatchAnnotation[] {
  return annotations
    .filter((a) => a.root === "patchOutputs" && a.segments.length > 1)
    .filter((a) => a.segments[0] === outputName || a.segments[0] === ANY_LABEL)
    .map((a) => ({ ...a, segments: a.segments.slice(1), path: formatPath(a.segments.slice(1)) }));
}

/** Formats segments as a path: `a.b[*].c`, `a[0]`, labels that are not identifiers quoted. */
export function formatPath(segments: readonly (string | number)[]): string {
  return segments.reduce<string>((path, segment) => path + formatSegment(segment, path === ""), "");
}

function formatSegment(segment: string | number, first: boolean): string {
  if (typeof segment === "number") return `[${segment}]`;
  if (segment === ELEMENT) return segment;
  const label = /^([A-Za-z_$][\w$]*|\*)$/.test(segment) ? segment : JSON.stringify(segment);
  return first ? label : `.${label}`;
}

interface Tags {
  readonly patchKey?: string;
  readonly patchStrategy?: PatchStrategy;
}
type Tagged = Tags & { readonly segments: readonly string[]; readonly line: number };

/** The patch tags of a comment group, or undefined when it has none. */
function parseTags(comments: readonly string[]): Tags | undefined {
  const tags = new Map<string, string>();
  for (const comment of comments) {
    const text = comment.slice(2).trim();
    const eq = text.indexOf("=");
    const value = text.slice(eq + 1).trim();
    // Like KubeVela: `+key=value`, blanks around either allowed, a value of one word only.
    if (text.startsWith("+") && eq > 0 && !/\s/.test(value))
      tags.set(text.slice(1, eq).trim(), value);
  }
  const patchKey = tags.get("patchKey") ?? "";
  const patchStrategy = STRATEGIES.find((s) => s === tags.get("patchStrategy"));
  if (patchKey === "" && patchStrategy === undefined) return undefined;
  return { ...(patchKey === "" ? {} : { patchKey }), ...(patchStrategy ? { patchStrategy } : {}) };
}

const MAX_REFERENCE_DEPTH = 4;

/**
 * Adds, for each reference that resolves to a declared field (or let), the annotations inside
 * it again at the place of the reference; repeated so that helpers using helpers work, to a
 * fixed depth so that self-references end.
 */
function throughReferences(tagged: readonly Tagged[], outline: Outline): Tagged[] {
  const targets = outline.references.flatMap((ref) => {
    const target = resolve(ref, outline.declared);
    return target === undefined ? [] : [{ at: ref.at, target }];
  });
  const all = [...tagged];
  const seen = new Set(all.map(identity));
  for (let depth = 0; depth < MAX_REFERENCE_DEPTH; depth++) {
    const before = all.length;
    for (const t of targets.flatMap((ref) => inherited(all, ref))) {
      if (!seen.has(identity(t))) all.push(t);
      seen.add(identity(t));
    }
    if (all.length === before) break;
  }
  return all;
}

/** The declared path a name refers to: in the nearest enclosing struct that declares it. */
function resolve(ref: Reference, declared: ReadonlySet<string>): readonly string[] | undefined {
  const [name = "", ...selectors] = ref.name;
  for (let depth = ref.at.length; depth >= 0; depth--) {
    const scope = ref.at.slice(0, depth);
    for (const label of [name, `${LET}${name}`]) {
      if (declared.has(JSON.stringify([...scope, label]))) return [...scope, label, ...selectors];
    }
  }
  return undefined;
}

function inherited(
  all: readonly Tagged[],
  { at, target }: { at: readonly string[]; target: readonly string[] },
): Tagged[] {
  return all
    .filter((t) => t.segments.length > target.length && target.every((s, i) => t.segments[i] === s))
    .map((t) => ({ ...t, segments: [...at, ...t.segments.slice(target.length)] }));
}

function identity(t: Tagged): string {
  return JSON.stringify([t.segments, t.patchKey, t.patchStrategy, t.line]);
}

function toAnnotation(tagged: Tagged): PatchAnnotation | undefined {
  const start = tagged.segments[0] === "template" ? 1 : 0;
  const root = tagged.segments[start];
  if (root !== "patch" && root !== "patchOutputs") return undefined;
  const segments = tagged.segments.slice(start + 1);
  if (segments.some((s) => /^[_#]/.test(s) || s.startsWith(LET))) return undefined;
  return { root, segments, path: formatPath(segments), ...tags(tagged), line: tagged.line };
}

function tags(t: Tags): Tags {
  return {
    ...(t.patchKey === undefined ? {} : { patchKey: t.patchKey }),
    ...(t.patchStrategy === undefined ? {} : { patchStrategy: t.patchStrategy }),
  };
}
