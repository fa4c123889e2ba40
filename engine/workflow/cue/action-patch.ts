/**
 * The patch annotations of a `op.#ApplyComponent` (or `op.#Apply`) action's patch, read from
 * the template's text (pure): comments on fields under `<action>.patch` or the Li Auto seed's
 * `<action>.workload.patch`, as paths relative to the patch. The hub hands them to
 * engine/render/patch.ts with the patch, as it does for traits.
 *
 * Judgement: KubeVela reads only `// +patchKey=…`; the seed's apply-proxy writes
 * `// patchKey=name` (no `+`) above the container `env` it patches, and without the key its
 * env entry would be merged into the first existing one by position and conflict. In a
 * workflow step's patch Flotilla reads both spellings. Annotations inside helpers the patch
 * refers to are not followed here (trait patches get that from patch-annotations.ts).
 */
import { outlineCue } from "../../render/cue-outline.js";
import {
  formatPath,
  type PatchAnnotation,
  type PatchStrategy,
} from "../../render/patch-annotations.js";

const STRATEGIES: readonly PatchStrategy[] = [
  "retainKeys",
  "replace",
  "jsonMergePatch",
  "jsonPatch",
];

interface Tags {
  patchKey?: string;
  patchStrategy?: PatchStrategy;
}

/** `patchKey` / `patchStrategy` from a comment group, with or without the `+` (last wins). */
function tagsOf(comments: readonly string[]): Tags | undefined {
  const tags: Tags = {};
  for (const comment of comments) {
    const match = /^\+?(patchKey|patchStrategy)\s*=\s*(\S+)$/.exec(comment.slice(2).trim());
    if (match?.[1] === "patchKey") tags.patchKey = match[2];
    const strategy = STRATEGIES.find((s) => s === match?.[2]);
    if (match?.[1] === "patchStrategy" && strategy !== undefined) tags.patchStrategy = strategy;
  }
  return tags.patchKey === undefined && tags.patchStrategy === undefined ? undefined : tags;
}

const startsWith = (segments: readonly string[], prefix: readonly string[]): boolean =>
  segments.length >= prefix.length && prefix.every((s, i) => segments[i] === s);

/** The annotations under the patch of the action at `action` in `templateBody`. */
export function actionPatchAnnotations(
  templateBody: string,
  action: readonly string[],
): PatchAnnotation[] {
  const roots = [
    [...action, "patch"],
    [...action, "workload", "patch"],
  ];
  return outlineCue(templateBody).fields.flatMap((field) => {
    const root = roots.find((r) => startsWith(field.segments, r));
    const tags = root === undefined ? undefined : tagsOf(field.comments);
    if (root === undefined || tags === undefined) return [];
    const segments = field.segments.slice(root.length);
    return [{ root: "patch", segments, path: formatPath(segments), ...tags, line: field.line }];
  });
}
