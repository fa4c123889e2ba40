/**
 * The revision stage of a reconcile: which ApplicationRevision the hub delivers (creating a
 * new one when the spec or the publishVersion changed, engine/revision decides), and the
 * application to render for it. Under an unchanged `app.oam.dev/publishVersion` that is the
 * revision's snapshot, not the edited spec. Once a revision is delivered in full it is
 * marked succeeded, so `flotilla workflow rollback` can go back to it.
 */
import { FlotillaError } from "../../core/errors.js";
import type { JsonObject } from "../../core/json.js";
import type { Application } from "../../engine/oam/types.js";
import { parseApplication } from "../../engine/oam/manifests.js";
import {
  decideRevision,
  latestRevisionOf,
  publishVersionOf,
  revisionHash,
  type RevisionDecisionInput,
  type RevisionRef,
  type RevisionSummary,
} from "../../engine/revision/revision.js";
import type { WorkflowStatus } from "../../engine/workflow/types.js";
import { createRevision, readRevision } from "./store.js";
import type { AppMemory } from "../dispatch/deliver.js";
import type { HubContext, RawApp } from "../reconcile/context.js";

export interface Revisioned {
  /** The application to render: the live one, or the revision's snapshot. */
  readonly app: Application;
  readonly revision: RevisionRef;
}

/** The latest revision as stored (cached per application; read once after a hub restart). */
async function storedLatest(
  ctx: HubContext,
  memory: AppMemory,
  namespace: string,
  latest: RevisionRef,
): Promise<RevisionSummary | undefined> {
  if (memory.revision?.name === latest.name) return memory.revision;
  const read = await readRevision(ctx.clientFor("local"), namespace, latest.name);
  if (read !== undefined) memory.revision = read;
  return read;
}

export async function resolveRevision(
  ctx: HubContext,
  raw: RawApp,
  app: Application,
  memory: AppMemory,
): Promise<Revisioned> {
  const namespace = app.metadata.namespace ?? "default";
  const publishVersion = publishVersionOf(app.metadata);
  const latest = latestRevisionOf(raw.status);
  const stored =
    latest !== undefined && publishVersion !== undefined
      ? await storedLatest(ctx, memory, namespace, latest)
      : undefined;
  const decision = decideRevision({
    app: app.metadata.name,
    ...latestInput(latest, stored),
    hash: revisionHash(app.spec, publishVersion),
    ...(publishVersion === undefined ? {} : { publishVersion }),
  });
  if (decision.kind === "keep") {
    const frozen = stored === undefined ? app : snapshotApp(raw, stored);
    return { app: frozen, revision: decision.revision };
  }
  const created = await createRevision(ctx.clientFor("local"), {
    app,
    ...(raw.metadata?.uid === undefined ? {} : { uid: raw.metadata.uid }),
    revision: decision.revision,
  });
  memory.revision = created;
  return { app, revision: created };
}

/** `decideRevision`'s `latest`: the status's reference, with the stored publishVersion. */
function latestInput(
  latest: RevisionRef | undefined,
  stored: RevisionSummary | undefined,
): Pick<RevisionDecisionInput, "latest"> {
  if (latest === undefined) return {};
  const publishVersion = stored?.publishVersion;
  return { latest: { ...latest, ...(publishVersion === undefined ? {} : { publishVersion }) } };
}

/** The application as the revision snapshot has it (the live metadata, the snapshot's spec). */
function snapshotApp(raw: RawApp, stored: RevisionSummary): Application {
  const where = `ApplicationRevision ${raw.metadata?.namespace ?? "default"}/${stored.name}`;
  return parseApplication({ ...(raw as unknown as JsonObject), spec: stored.spec }, where);
}

/**
 * Marks the revision succeeded once: when its workflow succeeded, or, without steps, when
 * every service is healthy.
 */
export async function recordOutcome(
  ctx: HubContext,
  memory: AppMemory,
  input: {
    readonly namespace: string;
    readonly revision: RevisionRef;
    readonly workflow?: WorkflowStatus;
    readonly healthy: boolean;
  },
): Promise<void> {
  const { revision, workflow } = input;
  const done =
    workflow === undefined
      ? input.healthy
      : workflow.phase === "succeeded" && workflow.appRevision === revision.name;
  if (!done || memory.succeededRevision === revision.name) return;
  // A revision deleted meanwhile (by hand) has nothing to mark.
  await ctx.appApi
    .writeRevisionStatus(
      { namespace: input.namespace, name: revision.name },
      { succeeded: true, ...(workflow === undefined ? {} : { workflow }) },
    )
    .catch((error: unknown) => {
      if (!(error instanceof FlotillaError && error.code === "NotFound")) throw error;
    });
  memory.succeededRevision = revision.name;
}
