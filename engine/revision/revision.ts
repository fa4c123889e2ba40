/**
 * Application revisions, as KubeVela keeps them (pure): an `ApplicationRevision`
 * (`core.oam.dev/v1beta1`, named `<app>-v<N>`, in the application's namespace, owned by it)
 * snapshots the application's spec each time it is published; `status.latestRevision` names
 * the one being delivered.
 *
 * When a new revision is made (`decideRevision`):
 * - without `app.oam.dev/publishVersion`: when the spec changed (its hash differs);
 * - with it: only when its value changed. Edits of the spec under an unchanged publishVersion
 *   wait: the hub keeps delivering the revision's snapshot until a new version is published.
 * A new revision restarts the workflow.
 */
import { contentDigest } from "../../core/digest.js";
import { isObject, type JsonObject } from "../../core/json.js";
import { type Application } from "../oam/types.js";

export const PUBLISH_VERSION = "app.oam.dev/publishVersion";
export const REVISION_HASH_LABEL = "app.oam.dev/app-revision-hash";
export const APP_NAME_LABEL = "app.oam.dev/name";
export const REVISION_API_VERSION = "core.oam.dev/v1beta1";
export const REVISION_KIND = "ApplicationRevision";
/** Revisions kept per application (KubeVela's `--application-revision-limit` default). */
export const REVISION_LIMIT = 10;

/** `status.latestRevision`'s shape. */
export interface RevisionRef {
  readonly name: string;
  readonly revision: number;
  readonly revisionHash: string;
}

/** An ApplicationRevision as read back: what the hub and the CLI need of it. */
export interface RevisionSummary extends RevisionRef {
  readonly publishVersion?: string;
  readonly succeeded: boolean;
  /** The snapshot of the application's spec. */
  readonly spec: JsonObject;
  readonly created?: string;
}

/**
 * `status.latestRevision` of an application's status as stored (read defensively: a name and a
 * number are required, a missing hash reads as ""), or undefined.
 */
export function latestRevisionOf(status: unknown): RevisionRef | undefined {
  const latest = isObject(status) ? status.latestRevision : undefined;
  if (!isObject(latest) || typeof latest.name !== "string") return undefined;
  if (typeof latest.revision !== "number") return undefined;
  const revisionHash = typeof latest.revisionHash === "string" ? latest.revisionHash : "";
  return { name: latest.name, revision: latest.revision, revisionHash };
}

export const revisionName = (app: string, revision: number): string => `${app}-v${revision}`;

export const publishVersionOf = (metadata: {
  readonly annotations?: Readonly<Record<string, string>>;
}): string | undefined => {
  const value = metadata.annotations?.[PUBLISH_VERSION];
  return value === undefined || value === "" ? undefined : value;
};

/**
 * The revision hash: the content digest (core/digest.ts: SHA-256 of the canonical JSON, 16 hex
 * digits) of the spec and the publishVersion, so key order does not matter.
 */
export function revisionHash(spec: unknown, publishVersion: string | undefined): string {
  return contentDigest({ spec, publishVersion: publishVersion ?? "" });
}

export interface RevisionDecisionInput {
  readonly app: string;
  /** `status.latestRevision`, with the publishVersion of that revision when it had one. */
  readonly latest?: RevisionRef & { readonly publishVersion?: string };
  readonly hash: string;
  readonly publishVersion?: string;
}

export type RevisionDecision =
  | { readonly kind: "keep"; readonly revision: RevisionRef }
  | { readonly kind: "new"; readonly revision: RevisionRef };

/** Whether the application's current spec and publishVersion make a new revision. */
export function decideRevision(input: RevisionDecisionInput): RevisionDecision {
  const { latest, hash, publishVersion } = input;
  if (latest !== undefined) {
    const same =
      publishVersion === undefined
        ? latest.publishVersion === undefined && latest.revisionHash === hash
        : latest.publishVersion === publishVersion;
    if (same) return { kind: "keep", revision: refOf(latest) };
  }
  const next = (latest?.revision ?? 0) + 1;
  return {
    kind: "new",
    revision: { name: revisionName(input.app, next), revision: next, revisionHash: hash },
  };
}

const refOf = (r: RevisionRef): RevisionRef => ({
  name: r.name,
  revision: r.revision,
  revisionHash: r.revisionHash,
});

/** Annotations worth keeping in a snapshot (not kubectl's copy of the last applied object). */
const keptAnnotations = (annotations: Record<string, string> = {}): Record<string, string> =>
  Object.fromEntries(
    Object.entries(annotations).filter(
      ([k]) => k !== "kubectl.kubernetes.io/last-applied-configuration",
    ),
  );

export interface RevisionObjectInput {
  readonly app: Application;
  readonly revision: RevisionRef;
  /** The application's uid, for the owner reference (the revision goes with the app). */
  readonly uid?: string;
}

/** The ApplicationRevision manifest for a new revision of `app`. */
export function revisionObject(input: RevisionObjectInput): JsonObject {
  const { app, revision, uid } = input;
  const namespace = app.metadata.namespace ?? "default";
  const publishVersion = publishVersionOf(app.metadata);
  const owner =
    uid === undefined
      ? {}
      : {
          ownerReferences: [
            {
              apiVersion: app.apiVersion,
              kind: "Application",
              name: app.metadata.name,
              uid,
              controller: true,
            },
          ],
        };
  return {
    apiVersion: REVISION_API_VERSION,
    kind: REVISION_KIND,
    metadata: {
      name: revision.name,
      namespace,
      labels: { [APP_NAME_LABEL]: app.metadata.name, [REVISION_HASH_LABEL]: revision.revisionHash },
      ...(publishVersion === undefined
        ? {}
        : { annotations: { [PUBLISH_VERSION]: publishVersion } }),
      ...owner,
    },
    spec: {
      revision: revision.revision,
      application: {
        apiVersion: app.apiVersion,
        kind: "Application",
        metadata: {
          name: app.metadata.name,
          namespace,
          ...(app.metadata.labels === undefined ? {} : { labels: app.metadata.labels }),
          annotations: keptAnnotations(app.metadata.annotations),
        },
        spec: app.spec as unknown as JsonObject,
      },
    },
  };
}

const numberFrom = (name: string): number => Number(/-v(\d+)$/.exec(name)?.[1] ?? NaN);

const objectAt = (value: unknown): JsonObject => (isObject(value) ? value : {});
const stringsAt = (value: unknown): Record<string, string> =>
  Object.fromEntries(
    Object.entries(objectAt(value)).filter((e): e is [string, string] => typeof e[1] === "string"),
  );

/** An ApplicationRevision object read from the hub; undefined when it is not one. */
export function summarizeRevision(object: JsonObject): RevisionSummary | undefined {
  const meta = objectAt(object.metadata);
  const spec = objectAt(object.spec);
  const application = objectAt(spec.application);
  const name = typeof meta.name === "string" ? meta.name : "";
  const revision = typeof spec.revision === "number" ? spec.revision : numberFrom(name);
  if (name === "" || !Number.isInteger(revision) || !isObject(application.spec)) return undefined;
  const publishVersion = publishVersionOf({ annotations: stringsAt(meta.annotations) });
  const created = meta.creationTimestamp;
  return {
    name,
    revision,
    revisionHash: stringsAt(meta.labels)[REVISION_HASH_LABEL] ?? "",
    ...(publishVersion === undefined ? {} : { publishVersion }),
    succeeded: objectAt(object.status).succeeded === true,
    spec: application.spec,
    ...(typeof created === "string" ? { created } : {}),
  };
}

/** Revisions by number, oldest first. */
export const byNumber = (revisions: readonly RevisionSummary[]): RevisionSummary[] =>
  [...revisions].sort((a, b) => a.revision - b.revision);

/**
 * The revision `workflow rollback` goes back to: the newest one that succeeded, older than
 * `current` (`status.latestRevision`) and with another spec (a revision equal to the current
 * one would change nothing). Undefined when there is none.
 */
export function rollbackTarget(
  revisions: readonly RevisionSummary[],
  current: RevisionRef,
): RevisionSummary | undefined {
  return byNumber(revisions)
    .reverse()
    .find(
      (r) =>
        r.succeeded && r.revision < current.revision && r.revisionHash !== current.revisionHash,
    );
}

/**
 * Names of revisions to delete so at most `limit` remain: the oldest first, never the current
 * one nor the newest that succeeded (the rollback target of the current one).
 */
export function revisionsToPrune(
  revisions: readonly RevisionSummary[],
  current: string,
  limit: number = REVISION_LIMIT,
): string[] {
  const sorted = byNumber(revisions);
  const lastGood = [...sorted].reverse().find((r) => r.succeeded && r.name !== current)?.name;
  const removable = sorted.filter((r) => r.name !== current && r.name !== lastGood);
  const excess = sorted.length - limit;
  return excess > 0 ? removable.slice(0, excess).map((r) => r.name) : [];
}
