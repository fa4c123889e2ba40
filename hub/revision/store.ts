/**
 * ApplicationRevisions on the hub (the I/O edge of engine/revision): creating a new revision,
 * reading one back, and pruning old ones beyond the limit, through the hub's `ObjectClient`
 * (server-side apply, read, list, delete). Their status is written by `AppApi`.
 */
import type { Application } from "../../engine/oam/types.js";
import {
  APP_NAME_LABEL,
  REVISION_API_VERSION,
  REVISION_KIND,
  REVISION_LIMIT,
  revisionName,
  revisionObject,
  revisionsToPrune,
  summarizeRevision,
  type RevisionRef,
  type RevisionSummary,
} from "../../engine/revision/revision.js";
import { FIELD_MANAGER } from "../dispatch/dispatch.js";
import type { ObjectClient } from "../dispatch/types.js";

const apply = { fieldManager: FIELD_MANAGER, force: true };

const refOf = (namespace: string, name: string) => ({
  apiVersion: REVISION_API_VERSION,
  kind: REVISION_KIND,
  namespace,
  name,
});

/** The revision `name` in `namespace`, or undefined when it is gone or unreadable. */
export async function readRevision(
  hub: ObjectClient,
  namespace: string,
  name: string,
): Promise<RevisionSummary | undefined> {
  const object = await hub.read(refOf(namespace, name));
  return object === undefined ? undefined : summarizeRevision(object);
}

/** Every revision of application `app` in `namespace`. */
export async function listRevisions(
  hub: ObjectClient,
  namespace: string,
  app: string,
): Promise<RevisionSummary[]> {
  const objects = await hub.list({
    apiVersion: REVISION_API_VERSION,
    kind: REVISION_KIND,
    namespace,
    labelSelector: `${APP_NAME_LABEL}=${app}`,
  });
  return objects.flatMap((o) => summarizeRevision(o) ?? []);
}

/** Numbers tried past a name already taken by another spec (a status lost or stale). */
const MAX_TRIES = 20;

export interface CreateRevisionInput {
  readonly app: Application;
  readonly uid?: string;
  /** The revision `decideRevision` asked for. */
  readonly revision: RevisionRef;
}

/**
 * Creates the new revision and returns it. A name already holding the same hash is that
 * revision (a previous reconcile created it but its status write was lost); a name holding
 * another spec is skipped for the next number. Then prunes the oldest revisions beyond the
 * limit.
 */
export async function createRevision(
  hub: ObjectClient,
  input: CreateRevisionInput,
): Promise<RevisionSummary> {
  const namespace = input.app.metadata.namespace ?? "default";
  let revision = input.revision;
  for (let i = 0; i < MAX_TRIES; i += 1) {
    const existing = await readRevision(hub, namespace, revision.name);
    if (existing?.revisionHash === revision.revisionHash) return existing;
    if (existing === undefined) {
      const object = revisionObject({ ...input, revision });
      const created = summarizeRevision(await hub.apply(object, apply));
      // Fewer numbers than the limit cannot exceed it: no list for an application's first ones.
      if (revision.revision > REVISION_LIMIT) await prune(hub, input.app, revision.name);
      if (created !== undefined) return created;
      throw new Error(`ApplicationRevision ${namespace}/${revision.name} was not stored`);
    }
    const next = revision.revision + 1;
    revision = { ...revision, revision: next, name: revisionName(input.app.metadata.name, next) };
  }
  throw new Error(`no free ApplicationRevision name for ${namespace}/${input.app.metadata.name}`);
}

async function prune(hub: ObjectClient, app: Application, current: string): Promise<void> {
  const namespace = app.metadata.namespace ?? "default";
  const revisions = await listRevisions(hub, namespace, app.metadata.name);
  for (const name of revisionsToPrune(revisions, current)) {
    await hub.delete(refOf(namespace, name));
  }
}
