/**
 * The end of every reconcile: the status written when it changed (guarded by the version read,
 * so a user's workflow operation made since is never overwritten), and events for a phase
 * change, a failed stage and each cluster that failed.
 */
import type { ReconcileResult } from "../../core/controller/controller.js";
import { FlotillaError } from "../../core/errors.js";
import type { ApplicationStatusBody } from "../../engine/oam/status.js";
import { buildStatus, type ReconcileFindings } from "../status/build.js";
import { appMetaOf, type HubContext, type RawApp } from "./context.js";
import { EventReason, phaseReason, stageFailedReason } from "./event-reasons.js";

/** How soon a reconcile whose status write met a newer version runs again. */
const CONFLICT_RETRY_MS = 200;

/** Writes the status when it changed, and records events for a phase change or a failure. */
export async function finish(
  ctx: HubContext,
  raw: RawApp,
  findings: ReconcileFindings,
): Promise<ReconcileResult> {
  const previous = raw.status as Partial<ApplicationStatusBody> | undefined;
  const status = buildStatus(previous, findings, new Date(ctx.clock.now()).toISOString());
  if (JSON.stringify(status) !== JSON.stringify(previous)) {
    // Guarded by the version read: a conflict means the app changed since (a user's workflow
    // operation, or our own last write not cached yet); look again shortly, from fresh data.
    const written = await ctx.appApi.writeStatus(appMetaOf(raw), status, previous).then(
      () => true,
      (error: unknown) => {
        if (error instanceof FlotillaError && error.code === "Conflict") return false;
        throw error;
      },
    );
    if (!written) return { requeueAfterMs: CONFLICT_RETRY_MS };
  }
  if (findings.failed !== undefined) {
    ctx.events.warning(raw, stageFailedReason(findings.failed.stage), findings.failed.message);
    ctx.log.info("application not delivered", {
      app: `${appMetaOf(raw).namespace}/${appMetaOf(raw).name}`,
      stage: findings.failed.stage,
      error: findings.failed.message,
    });
  } else if (previous?.status !== status.status) {
    ctx.events.normal(raw, phaseReason(status.status), phaseMessage(status));
  }
  for (const e of findings.clusterErrors) {
    ctx.events.warning(raw, EventReason.failedApply, `cluster ${e.cluster}: ${e.message}`);
  }
  return {};
}

function phaseMessage(status: ApplicationStatusBody): string {
  const clusters = [...new Set(status.services.map((s) => s.cluster))].join(", ");
  return `phase ${status.status}${clusters === "" ? "" : ` on ${clusters}`}`;
}
