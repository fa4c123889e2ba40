/**
 * `flotilla workflow rollback <app>` as a pure decision: given the application and its
 * ApplicationRevisions, the revision to go back to (the newest older one that succeeded, with
 * another spec; engine/revision) and the JSON patch that restores its spec and publishVersion.
 * The patch is guarded by what it was decided from and what it writes: the application's
 * generation (it moves with every spec edit) and, when it writes the publishVersion, the
 * annotations as read, so an edit made meanwhile is never overwritten. JSON Patch cannot test
 * that a member is absent, so when the application had no annotations at all and the patch
 * adds them, the resourceVersion guards instead. The resourceVersion is not the guard
 * otherwise: every status write of the hub moves it, so a rollback would fail whenever the hub
 * happened to report between the read and the patch. The hub then publishes the restored spec
 * as a new revision and runs its workflow from the first step (see docs/workflow.md,
 * "Revisions and rollback").
 */
import { ConflictError } from "../../core/errors.js";
import {
  latestRevisionOf,
  PUBLISH_VERSION,
  rollbackTarget,
  type RevisionSummary,
} from "../../engine/revision/revision.js";
import { describeApp, type LiveApplication } from "../app/live-app.js";

export interface JsonPatchOp {
  readonly op: "test" | "add" | "replace" | "remove";
  readonly path: string;
  readonly value?: unknown;
}

export interface RollbackPlan {
  readonly target: RevisionSummary;
  readonly patch: readonly JsonPatchOp[];
  /** What to print once done. */
  readonly done: readonly string[];
}

const ANNOTATION_PATH = `/metadata/annotations/${PUBLISH_VERSION.replace("/", "~1")}`;

const testVersion = (app: LiveApplication): JsonPatchOp => ({
  op: "test",
  path: "/metadata/resourceVersion",
  value: app.metadata.resourceVersion,
});

/**
 * `test` operations for what the plan was decided from and what it writes (see the header);
 * `writesAnnotations` when the patch sets or removes the publishVersion.
 */
function guardOps(app: LiveApplication, writesAnnotations: boolean): JsonPatchOp[] {
  const { generation, annotations } = app.metadata;
  const spec: JsonPatchOp =
    generation === undefined
      ? testVersion(app)
      : { op: "test", path: "/metadata/generation", value: generation };
  if (!writesAnnotations) return [spec];
  if (annotations === undefined)
    return generation === undefined ? [spec] : [spec, testVersion(app)];
  return [spec, { op: "test", path: "/metadata/annotations", value: annotations }];
}

function annotationOps(
  annotations: Readonly<Record<string, string>> | undefined,
  publishVersion: string | undefined,
): JsonPatchOp[] {
  if (publishVersion === undefined) {
    return annotations?.[PUBLISH_VERSION] === undefined
      ? []
      : [{ op: "remove", path: ANNOTATION_PATH }];
  }
  if (annotations === undefined)
    return [
      { op: "add", path: "/metadata/annotations", value: { [PUBLISH_VERSION]: publishVersion } },
    ];
  return [{ op: "add", path: ANNOTATION_PATH, value: publishVersion }];
}

/**
 * The rollback of `app`; a `ConflictError` naming the application when the hub has not
 * recorded a revision yet, or when no earlier revision succeeded.
 */
export function planRollback(
  app: LiveApplication,
  revisions: readonly RevisionSummary[],
): RollbackPlan {
  const ref = { name: app.metadata.name, namespace: app.metadata.namespace };
  const current = latestRevisionOf(app.status);
  if (current === undefined)
    throw new ConflictError(`cannot roll back ${describeApp(ref)}: it has no revision yet`);
  const target = rollbackTarget(revisions, current);
  if (target === undefined)
    throw new ConflictError(
      `cannot roll back ${describeApp(ref)}: no revision before ${current.name} succeeded`,
    );
  const version =
    target.publishVersion === undefined ? "" : ` (publishVersion ${target.publishVersion})`;
  const annotations = annotationOps(app.metadata.annotations, target.publishVersion);
  return {
    target,
    patch: [
      ...guardOps(app, annotations.length > 0),
      { op: "replace", path: "/spec", value: target.spec },
      ...annotations,
    ],
    done: [
      `Found succeeded revision ${target.name}${version} to roll back to (from ${current.name}).`,
      `Application spec rolled back: the hub publishes it as a new revision and runs its workflow.`,
    ],
  };
}
